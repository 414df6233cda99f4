public import Foundation
public import RosterModel

/// Reads Kubernetes objects (`kubectl get … -o json|yaml`, raw API lists, manifests) and maps them to
/// one ``Estate`` per cluster, scope `kubernetes:<cluster>`.
///
/// kubectl's output does not name the cluster, so the name comes from where the file is, as an
/// administrator files them (see ``KubernetesMapper/clusterName(objects:path:)``): a file that lists
/// objects of several kinds is one cluster, named after the file (`clusters/prod-eks.json` → `prod-eks`);
/// manifests and single-kind lists belong to the cluster named after their folder; an object annotated
/// `roster.io/cluster: NAME` belongs to NAME whatever the file. `aws eks describe-cluster` and `az aks show`
/// output beside them give a cluster's token issuer, which federation claims then carry.
///
/// What to export, per cluster (configmaps are optional: the API server's legacy token tracking date
/// tells "unused since tracking began" from "not known"):
/// ```sh
/// kubectl get namespaces,serviceaccounts,secrets,roles,clusterroles,rolebindings,clusterrolebindings,\
///   pods,deployments,daemonsets,statefulsets,replicasets,jobs,cronjobs,nodes -A -o json > clusters/prod-eks.json
/// aws eks describe-cluster --name prod-eks > clusters/prod-eks-cluster.json     # EKS: the IRSA issuer
/// az aks show -g RG -n prod-aks > clusters/prod-aks-cluster.json               # AKS: the workload identity issuer
/// ```
/// Reading Secrets needs `list secrets`; only token Secrets are looked at, their token hashed and dropped,
/// and no other Secret value (nor `kubectl apply`'s last-applied copy of one) is kept.
///
/// For example:
/// ```swift
/// let found = try KubernetesConnector().discover(["examples/estate/kubernetes"])
/// let result = try KubernetesConnector().read(found.files)
/// ```
public struct KubernetesConnector: Connector {
    /// A file to read and what it holds.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        public var kind: KubernetesFileKind

        public init(path: String, kind: KubernetesFileKind) {
            self.path = path
            self.kind = kind
        }
    }

    public var provider: Provider { .kubernetes }

    /// The time to measure ages against, instead of the newest timestamp in the data.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Expands directories (`.json`, `.yaml`, `.yml` files, recursively) and recognises each file by content.
    ///
    /// - Throws: ``ConnectorError`` for a named file that is missing, unreadable or not one Roster reads.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        try Discovery.search(
            paths, candidate: { $0.hasSuffix(".json") || $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") },
            named: { path in
                let file = try SourceFile.read(path)
                guard let kind = KubernetesFileKind.recognise(file.data) else {
                    if file.data.isEmpty {
                        throw ConnectorError(.malformed, "the file is empty; expected \(KubernetesFileKind.importableList)", file: path, location: "line 1, column 1")
                    }
                    if file.startsLikeJSON, let problem = JSONSyntax.firstError(in: file.data) { throw file.error(for: problem) }
                    throw ConnectorError(.unrecognised, "not Kubernetes objects Roster reads; expected \(KubernetesFileKind.importableList)", file: path)
                }
                guard kind.isImportable else {
                    throw ConnectorError(.wrongKind, "this is \(kind), which Roster does not import; expected \(KubernetesFileKind.importableList)", file: path)
                }
                return InputFile(path: path, kind: kind)
            },
            found: { path in
                let file: SourceFile
                do {
                    file = try SourceFile.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not text Roster can read (\(error.message))")
                }
                switch KubernetesFileKind.recognise(file.data) {
                case let kind? where kind.isImportable: return .file(InputFile(path: path, kind: kind))
                case let kind?: return .skip("this is \(kind), which Roster does not import")
                case nil: return .skip("not Kubernetes objects Roster reads")
                }
            })
    }

    /// A digest of the files' bytes and paths (the cluster name comes from them) and of what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try SourceFile.read(input.path)
            parts.append("\(input.kind.rawValue):\(KubernetesMapper.folderName(of: input.path))/\((input.path as NSString).lastPathComponent):\(ContentDigest.sha256(file.data))")
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                newest = max(newest ?? modified, modified)
            }
        }
        parts.sort()
        // The observation time comes from --as-of, else the data's own timestamps, else the files' modification times.
        if let asOf {
            parts.append("as-of:\(asOf.timeIntervalSinceReferenceDate)")
        } else {
            parts.append("observed:\(newest?.utcDay ?? Date().utcDay)")
        }
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps them, together, to one estate per cluster.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var mapper = KubernetesMapper(asOf: asOf)
        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try SourceFile.read(input.path)
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                mapper.newestFileDate = max(mapper.newestFileDate ?? modified, modified)
            }
            switch input.kind {
            case .objectsJSON, .objectsYAML:
                try mapper.add(KubernetesParser.parse(file, kind: input.kind), path: input.path)
            case .eksCluster:
                let described = try file.decodeJSON(EKSDescribeCluster.self, expecting: "aws eks describe-cluster output", limits: KubernetesParser.limits)
                mapper.addIssuer(described.cluster.identity?.oidc?.issuer, cluster: described.cluster.name, path: input.path)
            case .aksCluster:
                let shown = try file.decodeJSON(AKSShow.self, expecting: "az aks show output", limits: KubernetesParser.limits)
                mapper.addIssuer(shown.oidcIssuerProfile?.issuerUrl, cluster: shown.name, path: input.path)
            default:
                throw ConnectorError(.wrongKind, "this is \(input.kind), which Roster does not import", file: input.path)
            }
        }
        progress?("mapping", files.count, files.count)
        let estates = mapper.map()
        return ConnectorResult(estates: estates, warnings: mapper.warnings)
    }
}

extension KubernetesConnector {
    /// The Kubernetes entry of the connector registry.
    public static let entry = ConnectorEntry(
        provider: .kubernetes, title: "Kubernetes", reads: KubernetesFileKind.importableList
    ) { paths, options in
        let connector = KubernetesConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}

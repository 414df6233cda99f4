import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

/// `roster paths`: who can become admin (or reach a target), and how.
struct PathsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Show escalation paths: which identities can become admin (or reach --to), step by step.",
        discussion: """
            Reads the access graph analysis stored (edge rules over AWS, Kubernetes, GCP and Azure, and the links
            between them). With no --from, every principal. --format json prints, per principal,
            {"principal", "provider", "adminReachable", "path": [{"from", "to", "technique", "statements", "reason", "conditions"}]},
            and for Kubernetes service accounts also "serviceAccount", "clusterAdminReachable" and "cloudIdentities".
            --format dot prints the paths as a Graphviz graph.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only this identity (name, ARN or id).", valueName: "identity"))
    var from: String?

    @Option(help: ArgumentHelp("Target: admin (the default), an identity, or a node such as aws:111122223333:sensitive:secrets.", valueName: "target"))
    var to: String = "admin"

    @Option(help: ArgumentHelp("Only principals of this provider (aws, kubernetes, gcp, azure).", valueName: "provider"))
    var provider: String?

    @Flag(help: "List principals that cannot reach the target too (table output).")
    var all = false

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let stored = try await service.accessGraph(in: view)
            let from = try await self.from.asyncMap { try await service.resolveIdentity($0, in: view) }
            var target = to
            // A node of the graph as it is (aws:111122223333:sensitive:secrets, admin:aws:111122223333), else an identity.
            if to != "admin", stored.graph.node(to) == nil { target = try await service.resolveIdentity(to, in: view) }
            let paths = try service.paths(in: stored, from: from, target: target, provider: provider.map { Provider(rawValue: $0) })
            try GraphOutput.printPaths(paths, stored: stored, format: global.format, all: all || from != nil)
        }
    }
}

/// `roster can ID ACTION RESOURCE`.
struct CanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can",
        abstract: "Decide whether an identity may make a request: allowed, denied or undecided, with the deciding statements.",
        discussion: """
            AWS identities are decided as AWS documents: explicit denies, permissions boundary, the role's trust policy for
            sts:AssumeRole, conditions on what the export knows (a condition on an unknown key makes the answer undecided).
            Exit status: 0 allowed, 1 denied, 3 undecided.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An identity: name, ARN or id.")
    var identity: String

    @Argument(help: "The action, such as iam:CreateAccessKey.")
    var action: String

    @Argument(help: "The resource: an ARN or * (AWS), a resource name (GCP, Azure), resource[.group][/subresource] or a URL path (Kubernetes).")
    var resource: String = "*"

    @OptionGroup var kubernetes: KubernetesRequestOptions

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let id = try await service.resolveIdentity(identity, in: view)
            let decision = try await service.can(
                id, action: action, resource: resource, kubernetes: kubernetes.request, in: view)
            try GraphOutput.printDecision(decision, identity: id, action: action, resource: resource, format: try global.tabular())
            switch decision.outcome {
            case .allowed: return
            case .denied: throw ExitCode(1)
            case .undecided: throw ExitCode(3)
            }
        }
    }
}

/// `roster who-can ACTION RESOURCE`.
struct WhoCanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can",
        abstract: "List the identities allowed (or possibly allowed) to make a request, with the deciding statements.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The action: s3:GetObject (AWS), iam.serviceAccounts.actAs (GCP), Microsoft.Compute/virtualMachines/write (Azure), or a Kubernetes verb.")
    var action: String

    @Argument(help: "The resource: an ARN or * (AWS), a resource name (GCP, Azure), resource[.group][/subresource] (Kubernetes).")
    var resource: String = "*"

    @OptionGroup var kubernetes: KubernetesRequestOptions

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let answers = try await service.whoCan(action: action, resource: resource, kubernetes: kubernetes.request, in: view)
            try GraphOutput.printWhoCan(answers, format: try global.tabular())
        }
    }
}

/// `roster blast-radius ID`.
struct BlastRadiusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blast-radius",
        abstract: "Show what an identity reaches if its credential leaks: admin, secrets, keys, data, IAM, CI/CD, other identities.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An identity: name, ARN, id or access key id.")
    var identity: String

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let id = try await service.resolveIdentity(identity, in: view)
            let stored = try await service.accessGraph(in: view)
            let radius = try service.blastRadius(of: id, in: stored)
            try GraphOutput.printBlastRadius(radius, stored: stored, format: try global.tabular())
        }
    }
}

/// Where a Kubernetes request is made, as `kubectl auth can-i` says it.
struct KubernetesRequestOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Kubernetes: the namespace of the request.", valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("Kubernetes: the object's name, for rules limited by resourceNames.", valueName: "name"))
    var name: String?

    var request: RosterService.KubernetesRequest { .init(namespace: namespace, name: name) }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

enum GraphOutput {
    struct StepRecord: Encodable {
        var from: String
        var to: String
        var technique: String
        var statements: [String]
        var reason: String
        var conditions: [String]

        init(_ edge: Edge) {
            from = edge.from
            to = edge.to
            technique = edge.rule
            statements = edge.statements.map(\.description)
            reason = edge.reason
            conditions = edge.conditions
        }
    }

    struct PathRecord: Encodable {
        var principal: String
        var name: String
        var provider: String
        var adminReachable: Bool
        var path: [StepRecord]
        /// False when an attached policy is missing from the export: the answer may be incomplete.
        var complete: Bool
        var serviceAccount: String?
        var clusterAdminReachable: Bool?
        var cloudIdentities: [String]?
    }

    static func printPaths(_ paths: [PrincipalPath], stored: StoredAccessGraph, format: OutputFormat, all: Bool) throws {
        switch format {
        case .json:
            let records = paths.map { p in
                let kubernetes = p.identity.provider == .kubernetes
                return PathRecord(
                    principal: p.identity.id, name: p.identity.name, provider: p.identity.provider.rawValue, adminReachable: p.reachable,
                    path: p.steps.map(StepRecord.init), complete: p.complete, serviceAccount: kubernetes ? p.identity.name : nil,
                    clusterAdminReachable: kubernetes ? p.reachable : nil, cloudIdentities: kubernetes ? p.cloudIdentities : nil)
            }
            print(try JSONOutput.encode(records), terminator: "")
        case .dot:
            print(dot(paths.flatMap(\.steps), stored: stored), terminator: "")
        case .csv:
            var csv = CSVWriter(["principal", "name", "provider", "reachable", "steps", "path"])
            for p in paths where all || p.reachable {
                csv.add([p.identity.id, p.identity.name, p.identity.provider.rawValue, p.reachable ? "true" : "false", "\(p.steps.count)",
                         p.steps.map { "\(stored.label($0.from)) -[\($0.rule)]-> \(stored.label($0.to))" }.joined(separator: " ; ")])
            }
            print(csv.render(), terminator: "")
        case .table, .sarif:
            let reachable = paths.filter(\.reachable)
            var table = Table(["PRINCIPAL", "PROVIDER", "STEPS", "PATH"])
            table.maxCellWidth = 120
            for p in paths where all || p.reachable {
                let path = p.steps.isEmpty ? (p.reachable ? "(is the target)" : "-")
                    : p.steps.map { "-[\($0.rule)]-> \(stored.label($0.to))" }.joined(separator: " ")
                table.add([p.identity.name, p.identity.provider.rawValue, "\(p.steps.count)", path])
            }
            print(table.render(), terminator: "")
            print("\(reachable.count) of \(paths.count) principals reach the target. `roster paths --from ID` explains one step by step.")
            let incomplete = paths.filter { !$0.complete }.count
            if incomplete > 0 {
                print("\(incomplete) of them hold policies the export does not include: what they reach may be more than shown (`roster show ID`).")
            }
            if paths.count == 1, let p = paths.first {
                for (i, step) in p.steps.enumerated() {
                    print(Sanitize.text("  \(i + 1). \(stored.label(step.from)) → \(stored.label(step.to)) [\(step.rule)]: \(step.reason)"))
                    for statement in step.statements { print(Sanitize.text("     allowed by \(statement)")) }
                    for condition in step.conditions { print(Sanitize.text("     only if: \(condition)")) }
                }
            }
        }
    }

    /// The edges as a Graphviz digraph, labels quoted and escaped.
    static func dot(_ edges: [Edge], stored: StoredAccessGraph) -> String {
        func quote(_ text: String) -> String {
            "\"" + Sanitize.text(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out = "digraph roster {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        var nodes: Set<String> = []
        var seen: Set<String> = []
        var lines: [String] = []
        for edge in edges {
            nodes.insert(edge.from)
            nodes.insert(edge.to)
            let line = "  \(quote(edge.from)) -> \(quote(edge.to)) [label=\(quote(edge.rule))];"
            if seen.insert(line).inserted { lines.append(line) }
        }
        for node in nodes.sorted() {
            let style = GraphFragment.isAdminNode(node) ? ", style=filled, fillcolor=\"#f4cccc\"" : ""
            out += "  \(quote(node)) [label=\(quote(stored.label(node)))\(style)];\n"
        }
        return out + lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n") + "}\n"
    }

    struct DecisionRecord: Encodable {
        var identity: String
        var action: String
        var resource: String
        var decision: String
        var explicit: Bool
        var statements: [String]
        var reasons: [String]
    }

    static func printDecision(_ decision: PermissionDecision, identity: String, action: String, resource: String, format: OutputFormat) throws {
        let record = DecisionRecord(
            identity: identity, action: action, resource: resource, decision: decision.outcome.rawValue, explicit: decision.explicit,
            statements: decision.statements.map(\.description), reasons: decision.reasons)
        if format == .json {
            print(try JSONOutput.encode(record), terminator: "")
            return
        }
        print(Sanitize.text("\(decision.outcome.rawValue)\(decision.explicit ? " (explicit deny)" : ""): \(identity) \(action) on \(resource)"))
        for reason in decision.reasons { print(Sanitize.text("  \(reason)")) }
    }

    static func printWhoCan(_ answers: [(identity: Identity, decision: PermissionDecision)], format: OutputFormat) throws {
        switch format {
        case .json:
            struct Record: Encodable {
                var principal: String
                var name: String
                var decision: String
                var statements: [String]
                var reasons: [String]
            }
            print(try JSONOutput.encode(answers.map {
                Record(principal: $0.identity.id, name: $0.identity.name, decision: $0.decision.outcome.rawValue,
                       statements: $0.decision.statements.map(\.description), reasons: $0.decision.reasons)
            }), terminator: "")
        case .csv:
            var csv = CSVWriter(["principal", "name", "decision", "statements"])
            for a in answers { csv.add([a.identity.id, a.identity.name, a.decision.outcome.rawValue, a.decision.statements.map(\.description).joined(separator: "; ")]) }
            print(csv.render(), terminator: "")
        default:
            var table = Table(["PRINCIPAL", "DECISION", "ALLOWED BY"])
            table.maxCellWidth = 100
            for a in answers { table.add([a.identity.name, a.decision.outcome.rawValue, a.decision.statements.map(\.description).joined(separator: ", ")]) }
            print(table.render(), terminator: "")
            print("\(answers.count) identities.")
        }
    }

    static func printBlastRadius(_ radius: BlastRadius, stored: StoredAccessGraph, format: OutputFormat) throws {
        switch format {
        case .json:
            struct Reach: Encodable {
                var id: String
                var label: String
                var category: String
                var path: [StepRecord]
            }
            struct Record: Encodable {
                var identity: String
                var complete: Bool
                var counts: [String: Int]
                var reaches: [Reach]
            }
            print(try JSONOutput.encode(Record(
                identity: radius.identity.id, complete: radius.complete, counts: radius.counts,
                reaches: radius.reaches.map { Reach(id: $0.id, label: $0.label, category: $0.category, path: $0.steps.map(StepRecord.init)) })), terminator: "")
        case .csv:
            var csv = CSVWriter(["category", "id", "label", "steps"])
            for r in radius.reaches { csv.add([r.category, r.id, r.label, "\(r.steps.count)"]) }
            print(csv.render(), terminator: "")
        default:
            let counts = radius.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print(Sanitize.text("\(radius.identity.name) reaches: \(counts.isEmpty ? "nothing beyond itself" : counts)"))
            if !radius.complete {
                print("Some of its policies are not in the export: it may reach more than this (`roster show \(Sanitize.text(radius.identity.name))`).")
            }
            var table = Table(["CATEGORY", "REACHES", "STEPS", "FIRST STEP"])
            for r in radius.reaches {
                table.add([r.category, r.label, "\(r.steps.count)", r.steps.first.map { "\($0.rule) → \(stored.label($0.to))" } ?? ""])
            }
            print(table.render(), terminator: "")
        }
    }
}

/// `roster graph export`: the whole access graph for other tools.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Export the access graph.", subcommands: [GraphExportCommand.self])
}

struct GraphExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the access graph as Graphviz DOT, JSON, or CSV files for `neo4j-admin database import`.",
        discussion: """
            --format dot (default for this command when --format is table) prints a digraph; --format json prints
            {"nodes": [{"id", "label", "provider", "kind"}], "edges": [{"from", "to", "kind", "rule", "reason", "statements", "conditions"}]};
            --format csv writes nodes.csv and relationships.csv into --out, with neo4j-admin's headers
            (id:ID, :LABEL, :START_ID, :END_ID, :TYPE), and prints the import command.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Directory for the CSV files (with --format csv).", valueName: "dir"))
    var out: String?

    func validate() throws {
        if global.format == .csv, out == nil { throw ValidationError("--format csv writes two files: give the directory with --out") }
        if global.format == .sarif { throw ValidationError("--format sarif is for `roster findings`; graph export prints dot, json or csv") }
    }

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let stored = try await service.accessGraph(in: view)
            let graph = stored.graph
            switch global.format {
            case .json:
                struct Node: Encodable {
                    var id, label: String
                    var provider: String?
                    var kind: String
                }
                struct Export: Encodable {
                    var nodes: [Node]
                    var edges: [GraphOutput.EdgeRecord]
                }
                let nodes = graph.ids.map { id in
                    let identity = stored.identities[id]
                    return Node(id: id, label: stored.label(id), provider: identity?.provider.rawValue, kind: GraphOutput.nodeKind(id, identity))
                }
                print(try JSONOutput.encode(Export(nodes: nodes, edges: graph.edges.map(GraphOutput.EdgeRecord.init))), terminator: "")
            case .csv:
                let directory = URL(fileURLWithPath: out ?? ".")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                var nodes = CSVWriter(["id:ID", "name", "provider", ":LABEL"])
                for id in graph.ids {
                    let identity = stored.identities[id]
                    nodes.add([id, stored.label(id), identity?.provider.rawValue ?? "", GraphOutput.nodeKind(id, identity).split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()])
                }
                var relationships = CSVWriter([":START_ID", ":END_ID", ":TYPE", "rule", "reason", "statements:string[]"])
                for edge in graph.edges {
                    relationships.add([
                        edge.from, edge.to, edge.kind.rawValue.uppercased().replacingOccurrences(of: "-", with: "_"), edge.rule, edge.reason,
                        edge.statements.map(\.description).joined(separator: ";"),
                    ])
                }
                try nodes.render().write(to: directory.appendingPathComponent("nodes.csv"), atomically: true, encoding: .utf8)
                try relationships.render().write(to: directory.appendingPathComponent("relationships.csv"), atomically: true, encoding: .utf8)
                print(Sanitize.text("Wrote \(graph.ids.count) nodes and \(graph.edges.count) relationships to \(directory.path)."))
                print(Sanitize.text("Import: neo4j-admin database import full --nodes=\(directory.path)/nodes.csv --relationships=\(directory.path)/relationships.csv neo4j"))
            default:
                print(GraphOutput.dot(graph.edges, stored: stored), terminator: "")
            }
        }
    }
}

extension GraphOutput {
    struct EdgeRecord: Encodable {
        var from, to, kind, rule, reason: String
        var statements: [String]
        var conditions: [String]

        init(_ edge: Edge) {
            from = edge.from
            to = edge.to
            kind = edge.kind.rawValue
            rule = edge.rule
            reason = edge.reason
            statements = edge.statements.map(\.description)
            conditions = edge.conditions
        }
    }

    /// What a node is, for exports: `identity`, `admin`, `sensitive`, `policy-set` or `resource`.
    static func nodeKind(_ id: String, _ identity: Identity?) -> String {
        if identity != nil { return "identity" }
        if GraphFragment.isAdminNode(id) { return "admin" }
        if GraphLabels.category(id) != nil { return "sensitive" }
        if id.hasPrefix("aws:policy-set:") { return "policy-set" }
        return "resource"
    }
}

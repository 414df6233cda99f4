import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// Every way a Kubernetes file can be wrong gives one ConnectorError naming the file, the place and what was expected;
/// files of other kinds are recognised and passed over (in a folder) or refused by name (named).
struct KubernetesBadInputTests {
    @Test func truncatedJSONGivesLineAndColumn() throws {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", \"metadata\": {\"name\": \"a"
        let error = try #require(try kubernetesError(text: text, name: "cut.json"))
        #expect(error.code == .malformed)
        #expect(error.location?.hasPrefix("line 5, column ") == true, "\(error)")
    }

    @Test func yamlSyntaxErrorGivesLineAndColumn() throws {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [unclosed\n  namespace: a\n"
        let error = try #require(try kubernetesError(text: text))
        #expect(error.code == .malformed)
        #expect(error.message.hasPrefix("not valid YAML"))
        #expect(error.location?.hasPrefix("line ") == true, "\(error)")
    }

    @Test func wrongTypeGivesThePathAndLine() throws {
        // Given a binding whose subjects is a string, in the second document
        let text = K8s.stream(K8s.serviceAccount("a", "x"), "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n  namespace: a\nroleRef:\n  kind: Role\n  name: r\nsubjects: everyone\n")
        let error = try #require(try kubernetesError(text: text))
        #expect(error.code == .wrongShape)
        #expect(error.location?.contains("at $.subjects") == true, "\(error)")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "subjects: everyone" }! + 1
        #expect(error.location?.hasPrefix("line \(line), column ") == true, "\(error)")
        #expect(error.location?.contains("document 2") == true, "\(error)")
    }

    @Test func wrongTypeInJSONGivesThePath() throws {
        let text = #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","namespace":"a","labels":["team"]}}]}"#
        let error = try #require(try kubernetesError(text: text, name: "list.json"))
        #expect(error.code == .wrongShape)
        #expect(error.location == "$.items[0].metadata.labels", "\(error)")
    }

    @Test func missingKindInAManifestIsNamed() throws {
        let text = #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","metadata":{"name":"x"}}]}"#
        let error = try #require(try kubernetesError(text: text, name: "list.json"))
        #expect(error.code == .wrongShape)
        #expect(error.message.contains("\"kind\""))
        #expect(error.location == "$.items[0]")
    }

    @Test func duplicateKeysAreRefusedInBothFormats() throws {
        let yaml = try #require(try kubernetesError(text: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n  namespace: x\n"))
        #expect(yaml.code == .duplicateKey)
        #expect(yaml.location?.hasPrefix("line ") == true)
        let json = try #require(try kubernetesError(text: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"a","name":"b"}}"#, name: "sa.json"))
        #expect(json.code == .duplicateKey)
    }

    @Test func billionLaughsIsRefused() throws {
        var text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: y\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { text += "lol\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let error = try #require(try kubernetesError(text: text))
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("billion laughs"))
    }

    @Test func overlongNameIsRefused() throws {
        let error = try #require(try kubernetesError(text: K8s.serviceAccount("a", String(repeating: "n", count: 300))))
        #expect(error.code == .wrongShape)
        #expect(error.message.contains("at most 253"))
        #expect(error.location?.contains("$.metadata.name") == true)
    }

    @Test func hugeFieldInJSONIsRefusedBeforeDecoding() throws {
        let text = #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","annotations":{"a":""# + String(repeating: "x", count: 2 << 20) + #""}}}"#
        let error = try #require(try kubernetesError(text: text, name: "big.json"))
        #expect(error.code == .tooLarge)
    }

    @Test func badTimestampAndBadTokenEncodingAreNamed() throws {
        let time = try #require(try kubernetesError(text: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: a\n  creationTimestamp: yesterday\n"))
        #expect(time.location?.contains("$.metadata.creationTimestamp") == true)
        let token = try #require(try kubernetesError(text: "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: t\n  namespace: a\ndata:\n  token: \"%%%\"\n"))
        #expect(token.code == .wrongShape)
        #expect(token.location?.contains("$.data.token") == true)
        // And the message does not quote the value
        #expect(!token.description.contains("%%%"))
    }

    @Test func byteOrderMarkAndUTF16AreRead() throws {
        let yaml = K8s.serviceAccount("a", "x")
        try withTemporaryDirectory { dir in
            let folder = dir.appendingPathComponent("c1")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try (Data([0xEF, 0xBB, 0xBF]) + Data(yaml.utf8)).write(to: folder.appendingPathComponent("bom.yaml"))
            let json = #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"y","namespace":"a"}}"#
            try (Data([0xFF, 0xFE]) + json.data(using: .utf16LittleEndian)!).write(to: folder.appendingPathComponent("utf16.json"))
            let result = try readKubernetes([folder.path], asOf: KubernetesFixture.now)
            #expect(result.estates.first?.identities.map(\.id) == ["kubernetes:c1/a/x", "kubernetes:c1/a/y"])
        }
    }

    @Test func nulBytesSayUTF16WithoutByteOrderMark() throws {
        let text = String(decoding: K8s.serviceAccount("a", "x").data(using: .utf16LittleEndian)!, as: UTF8.self)
        let error = try #require(try kubernetesError(text: text))
        #expect(error.message.contains("UTF-16") || error.code == .unrecognised, "\(error)")
    }

    @Test func otherFilesAreRecognisedAndPassedOver() throws {
        try withTemporaryDirectory { dir in
            // Given a folder with an AWS export, a kubeconfig, a Kustomization, a chart template and a GitHub workflow beside one manifest
            let write = { (name: String, text: String) in try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
            try write("authorization-details.json", #"{"UserDetailList": [], "RoleDetailList": [], "apiVersion": "v1"}"#)
            try write("kubeconfig.yaml", "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://example\nusers: []\n")
            try write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- sa.yaml\n")
            try write("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
            try write("ci.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n")
            try write("sa.yaml", K8s.serviceAccount("a", "x"))
            // When the folder is searched
            let found = try KubernetesConnector().discover([dir.path])
            // Then only the manifest is read, and each other file is skipped with what it is
            #expect(found.files.map { ($0.path as NSString).lastPathComponent } == ["sa.yaml"])
            let reasons = Dictionary(uniqueKeysWithValues: found.skips.map { (($0.path as NSString).lastPathComponent, $0.reason) })
            #expect(reasons["kubeconfig.yaml"]?.contains("kubeconfig") == true)
            #expect(reasons["kustomization.yaml"]?.contains("kustomize") == true)
            #expect(reasons["deployment.yaml"]?.contains("Helm") == true)
            #expect(reasons["authorization-details.json"] == "not Kubernetes objects Roster reads")
            #expect(reasons["ci.yml"] == "not Kubernetes objects Roster reads")
            // And a kubeconfig named on the command line is refused as what it is
            let error = try #require(kubernetesError([dir.appendingPathComponent("kubeconfig.yaml").path]))
            #expect(error.code == .wrongKind)
            #expect(error.message.contains("kubeconfig"))
        }
    }

    @Test func awsExportsAreNotTakenForKubernetes() throws {
        let found = try KubernetesConnector().discover([Fixture.acmeDir])
        #expect(found.files.isEmpty)
        let error = try #require(kubernetesError([Fixture.acmeDir + "/authorization-details.json"]))
        #expect(error.code == .unrecognised)
    }

    @Test func registryRecognisesKubernetesFilesBesideAWSOnes() throws {
        // Given the AWS example and the Kubernetes example together
        let recognised = try Connectors.recogniseAll([Fixture.acmeDir, KubernetesFixture.example])
        let kubernetes = try #require(recognised.first { $0.provider == .kubernetes })
        #expect(kubernetes.paths.map { ($0 as NSString).lastPathComponent }.sorted() == ["gke-prod.yaml", "prod-eks-cluster.json", "prod-eks.json"])
        #expect(recognised.first { $0.provider == .aws }?.paths.contains { $0.contains("estate/kubernetes") } == false)
    }

    @Test func describeClusterForAnUnimportedClusterIsWarnedAbout() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("other.json")
            try Data(#"{"cluster": {"name": "other", "arn": "arn:aws:eks:us-east-1:210987654321:cluster/other", "identity": {"oidc": {"issuer": "https://oidc.example/id/1"}}}}"#.utf8).write(to: file)
            let result = try readKubernetes([file.path, KubernetesFixture.example + "/gke-prod.yaml"])
            #expect(result.warnings.contains { $0.contains("describes cluster other") })
        }
    }
}

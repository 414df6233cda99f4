import Crypto
import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// Reading kubectl output and manifests into the model: identities, tokens, roles, bindings, workloads, claims.
struct KubernetesConnectorTests {
    func example() throws -> ConnectorResult { try readKubernetes([KubernetesFixture.example]) }

    @Test func exampleEstateGivesOneEstatePerCluster() throws {
        // Given the example: a kubectl List from an EKS cluster, its describe-cluster output, and a GKE cluster's -o yaml List
        let result = try example()
        // Then each cluster is one estate named after its file
        #expect(result.estates.map(\.scope) == ["kubernetes:gke-prod", "kubernetes:prod-eks"])
        let eks = try #require(result.estates.first { $0.scope == "kubernetes:prod-eks" })
        let api = try #require(eks.identity(id: "kubernetes:prod-eks/payments/payments-api"))
        #expect(api.kind == .kubernetesServiceAccount)
        #expect(api.name == "payments/payments-api")
        #expect(api.account == "prod-eks")
        #expect(api.nature == .machine)
        #expect(api.environment == "production")
        #expect(api.owner == "payments")
        #expect(api.tags["eks.amazonaws.com/role-arn"] == "arn:aws:iam::210987654321:role/eks-payments-api")
        // And the observation time is the newest timestamp in the data
        #expect(eks.observedAt == utc("2026-11-19T06:30:00Z"))
    }

    @Test func irsaAnnotationBecomesAClaimWithSubjectAudienceAndIssuer() throws {
        let eks = try #require(try example().estates.first { $0.scope == "kubernetes:prod-eks" })
        // Then the annotated account claims the role, with what its tokens present
        let edge = try #require(eks.edges(from: "kubernetes:prod-eks/payments/payments-api").first { $0.kind == .canAssume })
        #expect(edge.to == "arn:aws:iam::210987654321:role/eks-payments-api")
        #expect(edge.rule == "kubernetes.import")
        #expect(edge.conditions == [
            "iss=https://oidc.eks.us-east-1.amazonaws.com/id/5C4A2B9E8F1D3A7B6C0E2F4A8D9B1C3E", "sub=system:serviceaccount:payments:payments-api", "aud=sts.amazonaws.com",
        ])
        #expect(edge.reason.contains("eks.amazonaws.com/role-arn"))
    }

    @Test func gkeAnnotationBecomesAnActsAsClaim() throws {
        let gke = try #require(try example().estates.first { $0.scope == "kubernetes:gke-prod" })
        let edge = try #require(gke.edges(from: "kubernetes:gke-prod/payments/payments-api").first { $0.kind == .actsAs })
        #expect(edge.to == "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com")
        #expect(edge.conditions == ["ksa=payments/payments-api"])
    }

    @Test func azureWorkloadIdentityAnnotationBecomesACanAssumeClaim() throws {
        // Given an account annotated with an Entra application's client id
        let estate = try manifestEstate(K8s.serviceAccount("payments", "api", annotations: ["azure.workload.identity/client-id": "1F2E3D4C-5B6A-4978-8A9B-0C1D2E3F4A5B"]))
        // Then it claims the application, with its token's subject and the token exchange audience
        let edge = try #require(estate.edges(from: "kubernetes:prod/payments/api").first)
        #expect(edge.kind == .canAssume)
        #expect(edge.to == "azure:appId:1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
        #expect(edge.conditions == ["sub=system:serviceaccount:payments:api", "aud=api://AzureADTokenExchange"])
    }

    @Test func malformedAnnotationsAreWarnedAboutNotClaimed() throws {
        let result = try readManifests(["sa.yaml": K8s.serviceAccount("payments", "api", annotations: ["eks.amazonaws.com/role-arn": "payments-role"])])
        #expect(result.estates[0].edges.isEmpty)
        #expect(result.warnings.contains { $0.contains("is not an IAM role ARN") })
    }

    @Test func tokenSecretIsAFingerprintedCredentialAndNoSecretValueIsKept() throws {
        // Given the example, whose deployer token Secret and an Opaque Secret (with a last-applied copy) hold synthetic values
        let result = try example()
        let eks = try #require(result.estates.first { $0.scope == "kubernetes:prod-eks" })
        let token = try #require(eks.credentials.first { $0.id == "kubernetes:prod-eks/ci/Secret/deployer-token" })
        // Then the token is a credential of the account, fingerprinted by the SHA-256 of the decoded token
        #expect(token.identityId == "kubernetes:prod-eks/ci/deployer")
        #expect(token.kind == .kubernetesServiceAccountToken)
        #expect(token.status == .active)
        #expect(token.createdAt == utc("2023-02-14T16:20:00Z"))
        #expect(token.lastUsedAt == utc("2026-11-17T00:00:00Z"))
        #expect(token.usageTracked)
        let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6InN5bnRoZXRpYyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmNpOmRlcGxveWVyIn0.ZXhhbXBsZS1zaWduYXR1cmUtbm90LXJlYWw"
        #expect(token.fingerprint == CredentialFingerprint(.kubernetesServiceAccountToken, of: jwt).description)
        // And the invalidated token is inactive, and the Opaque Secret is not a credential
        #expect(eks.credentials.first { $0.id.hasSuffix("grafana-token-7xk2p") }?.status == .inactive)
        #expect(eks.credentials.count == 2)
        // And no value (token, base64 token, password, last-applied copy) appears anywhere in what is stored
        let stored = String(decoding: try JSONEncoder().encode(result.estates), as: UTF8.self)
        for secret in [jwt, Data(jwt.utf8).base64EncodedString(), "c3ludGhldGljLW5vdC1yZWFs", "last-applied-configuration", "db-credentials"] {
            #expect(!stored.contains(secret), "\(secret) was kept")
        }
    }

    @Test func rolesAndBindingsBecomePoliciesAndScopedGrants() throws {
        let eks = try #require(try example().estates.first { $0.scope == "kubernetes:prod-eks" })
        // Then a ClusterRoleBinding grants cluster-wide, a RoleBinding in its namespace
        let deployer = eks.grants.filter { $0.subjectId == "kubernetes:prod-eks/ci/deployer" }
        #expect(deployer == [Grant(subjectId: "kubernetes:prod-eks/ci/deployer", policyId: "kubernetes:prod-eks/ClusterRole/cluster-admin", via: .binding, scope: GrantScope(.cluster, "prod-eks"))])
        #expect(eks.grants.contains(Grant(
            subjectId: "kubernetes:prod-eks/payments/default", policyId: "kubernetes:prod-eks/ClusterRole/edit", via: .binding, scope: GrantScope(.namespace, "payments"))))
        let admin = try #require(eks.policies.first { $0.id == "kubernetes:prod-eks/ClusterRole/cluster-admin" })
        #expect(admin.kind == .providerManaged)
        #expect(admin.body == .kubernetesRBAC([RBACRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"]), RBACRule(verbs: ["*"], nonResourceURLs: ["*"])]))
        // And the binding is named on an edge to its subject, for evidence
        #expect(eks.edges.contains { $0.from == "kubernetes:prod-eks/ClusterRoleBinding/ci-deployer-admin" && $0.to == "kubernetes:prod-eks/ci/deployer" && $0.kind == .kubernetesBinds })
        // And a group of people is not a service account: recorded on the binding, granted nothing here
        #expect(eks.resource(id: "kubernetes:prod-eks/ci/RoleBinding/platform-admins")?.attributes["otherSubjects"] == "Group acme:platform-admins")
        #expect(!eks.grants.contains { $0.subjectId.contains("platform-admins") })
    }

    @Test func aggregatedClusterRoleTakesTheRulesOfTheRolesItSelects() throws {
        // Given manifests where `view` aggregates by label and has no rules of its own (as written before the controller fills them)
        let estate = try manifestEstate(K8s.stream(
            K8s.clusterRole("view", rules: "  []") + "\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      rbac.example.com/aggregate-to-view: \"true\"",
            K8s.clusterRole("pods-view", rules: K8s.readPods, labels: ["rbac.example.com/aggregate-to-view": "true"]),
            K8s.clusterRole("other", rules: K8s.wildcard, labels: ["rbac.example.com/aggregate-to-edit": "true"])))
        // Then view holds the selected role's rules and not the other's
        let view = try #require(estate.policies.first { $0.id == "kubernetes:prod/ClusterRole/view" })
        #expect(view.body == .kubernetesRBAC([RBACRule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"])]))
    }

    @Test func boundDefaultRoleMissingFromManifestsUsesKubernetesDefinition() throws {
        let result = try readManifests(["rbac.yaml": K8s.stream(
            K8s.serviceAccount("ci", "deployer"), K8s.binding("deployer", role: "cluster-admin", subjects: K8s.sa("ci", "deployer")))])
        let policy = try #require(result.estates[0].policies.first { $0.id == "kubernetes:prod/ClusterRole/cluster-admin" })
        #expect(policy.kind == .providerManaged)
        #expect(result.warnings.contains { $0.contains("Kubernetes' default definition") })
    }

    @Test func groupAndUserSubjectsReachServiceAccounts() throws {
        // Given a binding to every account of a namespace, and one to an account by its user name
        let estate = try manifestEstate(K8s.stream(
            K8s.serviceAccount("payments", "api"), K8s.serviceAccount("ci", "builder"),
            K8s.binding("all-payments", namespace: "payments", role: "view", subjects: K8s.group("system:serviceaccounts:payments")),
            K8s.binding("builder", namespace: "ci", role: "edit", subjects: "- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: system:serviceaccount:ci:builder")))
        // Then the namespace's accounts are members of the group, which holds the grant
        let group = "kubernetes:prod/Group/system:serviceaccounts:payments"
        #expect(estate.edges.contains { $0.from == "kubernetes:prod/payments/api" && $0.to == group && $0.kind == .memberOf })
        #expect(!estate.edges.contains { $0.from == "kubernetes:prod/ci/builder" && $0.to == group })
        #expect(estate.grants.contains { $0.subjectId == group })
        // And the user name of an account's tokens is that account
        #expect(estate.grants.contains { $0.subjectId == "kubernetes:prod/ci/builder" && $0.policyId == "kubernetes:prod/ClusterRole/edit" })
    }

    @Test func roleBindingAccountWithoutNamespaceIsInTheBindingsNamespace() throws {
        let estate = try manifestEstate(K8s.binding("b", namespace: "payments", role: "view", subjects: "- kind: ServiceAccount\n  name: api"))
        #expect(estate.grants.first?.subjectId == "kubernetes:prod/payments/api")
    }

    @Test func podsOfAListedControllerFoldIntoIt() throws {
        // Given a Deployment and its pods (whose ReplicaSet is not listed), and a pod of the same ReplicaSet running as another account
        let estate = try manifestEstate(K8s.stream(
            K8s.serviceAccount("payments", "api"), K8s.deployment("payments", "api", account: "api"),
            K8s.pod("payments", "api-5d9c7b8f6-a1b2c", account: "api", owner: ("ReplicaSet", "api-5d9c7b8f6"), labels: ["pod-template-hash": "5d9c7b8f6"]),
            K8s.pod("payments", "api-5d9c7b8f6-d3e4f", account: "api", owner: ("ReplicaSet", "api-5d9c7b8f6"), labels: ["pod-template-hash": "5d9c7b8f6"]),
            K8s.pod("payments", "api-5d9c7b8f6-zzzzz", account: "debug", owner: ("ReplicaSet", "api-5d9c7b8f6"), labels: ["pod-template-hash": "5d9c7b8f6"])))
        // Then the Deployment is one resource counting its pods, the odd pod is listed on its own
        let deployment = try #require(estate.resource(id: "kubernetes:prod/payments/Deployment/api"))
        #expect(deployment.attributes["pods"] == "2")
        #expect(deployment.attributes["serviceAccount"] == "api")
        #expect(estate.resource(id: "kubernetes:prod/payments/Pod/api-5d9c7b8f6-zzzzz") != nil)
        #expect(estate.resource(id: "kubernetes:prod/payments/Pod/api-5d9c7b8f6-a1b2c") == nil)
        let runsAs = estate.edges.filter { $0.kind == .kubernetesRunsAs }.map(\.to).sorted()
        #expect(runsAs == ["kubernetes:prod/payments/api", "kubernetes:prod/payments/debug"])
        #expect(estate.resource(id: "kubernetes:prod")?.attributes["podsListed"] == "true")
    }

    @Test func tokenMountingFollowsPodThenAccountThenDefault() throws {
        // Given an account that opts out, a pod that opts back in, and a pod with neither set
        let estate = try manifestEstate(K8s.stream(
            K8s.serviceAccount("ns", "quiet", automount: false), K8s.serviceAccount("ns", "plain"),
            K8s.pod("ns", "inherits", account: "quiet"), K8s.pod("ns", "overrides", account: "quiet", automount: true),
            K8s.pod("ns", "defaulted", account: "plain"), K8s.pod("ns", "nameless")))
        func mount(_ pod: String) -> String? { estate.resource(id: "kubernetes:prod/ns/Pod/\(pod)")?.attributes["automountServiceAccountToken"] }
        #expect(mount("inherits") == "false")
        #expect(mount("overrides") == "true")
        #expect(mount("defaulted") == "true")
        // And a pod that names no account runs as default
        #expect(estate.edges(from: "kubernetes:prod/ns/Pod/nameless").first?.to == "kubernetes:prod/ns/default")
        #expect(estate.edges(from: "kubernetes:prod/ns/Pod/inherits").first?.conditions == ["automount=false"])
    }

    @Test func distributionAccountsInKubeSystemAreProviderManaged() throws {
        let eks = try #require(try example().estates.first { $0.scope == "kubernetes:prod-eks" })
        #expect(eks.identity(id: "kubernetes:prod-eks/kube-system/clusterrole-aggregation-controller")?.managedBy == "kubernetes")
        #expect(eks.identity(id: "kubernetes:prod-eks/kube-system/default")?.managedBy == "kubernetes")
        // And accounts the customer installs in kube-system are not
        #expect(eks.identity(id: "kubernetes:prod-eks/kube-system/aws-node")?.managedBy == nil)
        #expect(eks.identity(id: "kubernetes:prod-eks/payments/default")?.managedBy == nil)
    }

    @Test func clusterNameComesFromFileFolderOrAnnotation() throws {
        try withTemporaryDirectory { dir in
            // Given a multi-kind kubectl List, manifests in a folder, a single-kind list in that folder, and an annotated object
            let clusters = dir.appendingPathComponent("clusters")
            let staging = clusters.appendingPathComponent("staging")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            let list = #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","namespace":"a"}}]}"#
            try Data(list.utf8).write(to: clusters.appendingPathComponent("prod-eks.json"))
            try Data(K8s.serviceAccount("b", "y").utf8).write(to: staging.appendingPathComponent("sa.yaml"))
            let single = #"{"apiVersion":"v1","kind":"ServiceAccountList","items":[{"metadata":{"name":"z","namespace":"c"}}]}"#
            try Data(single.utf8).write(to: staging.appendingPathComponent("serviceaccounts.json"))
            try Data(K8s.serviceAccount("d", "w", annotations: ["roster.io/cluster": "edge-1"]).utf8).write(to: staging.appendingPathComponent("other.yaml"))
            // When the folder is read
            let result = try readKubernetes([clusters.path], asOf: KubernetesFixture.now)
            // Then each object is in the cluster its file, folder or annotation names
            let ids = Dictionary(grouping: result.estates.flatMap { estate in estate.identities.map { (estate.scope, $0.id) } }, by: \.0).mapValues { $0.map(\.1).sorted() }
            #expect(ids == [
                "kubernetes:prod-eks": ["kubernetes:prod-eks/a/x"],
                "kubernetes:staging": ["kubernetes:staging/b/y", "kubernetes:staging/c/z"],
                "kubernetes:edge-1": ["kubernetes:edge-1/d/w"],
            ])
        }
    }

    @Test func rawAPIListItemsTakeTheirKindFromTheList() throws {
        let result = try readKubernetes([KubernetesFixture.path("raw-api/serviceaccounts.json")], asOf: KubernetesFixture.now)
        #expect(result.estates.first?.identities.map(\.id) == ["kubernetes:raw-api/payments/api", "kubernetes:raw-api/payments/default"])
    }

    @Test func multiDocumentManifestsSkipEmptyDocumentsAndReadLists() throws {
        // Given a stream with an empty document, a comment-only document and a List document
        let yaml = "---\n# nothing here\n---\n" + K8s.serviceAccount("a", "one") + "\n---\n\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: two\n    namespace: a\n"
        let estate = try manifestEstate(yaml)
        #expect(estate.identities.map(\.id) == ["kubernetes:prod/a/one", "kubernetes:prod/a/two"])
    }

    @Test func customResourceNamedLikeRBACIsNotRead() throws {
        // Given Crossplane's `Role` (an AWS IAM role as a custom resource)
        let estate = try manifestEstate(K8s.stream(
            K8s.serviceAccount("a", "x"), "apiVersion: iam.aws.crossplane.io/v1beta1\nkind: Role\nmetadata:\n  name: r\nspec:\n  forProvider: {}\n"))
        #expect(estate.policies.isEmpty)
    }

    @Test func manifestWithoutNamespaceIsInDefault() throws {
        let result = try readManifests(["sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n"])
        #expect(result.estates[0].identities.map(\.id) == ["kubernetes:prod/default/app"])
        #expect(result.warnings.contains { $0.contains("taken to be in \"default\"") })
    }

    @Test func fastYAMLReadingAgreesWithYams() throws {
        // Given YAML with every kind of scalar Kubernetes objects hold, and the example's kubectl -o yaml
        let yaml = K8s.stream(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  namespace: n\n  creationTimestamp: null\n  labels:\n    flag: \"on\"\n    version: '1.0'\n"
                + "  annotations:\n    note: |\n      line \"one\"\n      back\\slash\tand tab\n    empty: \"\"\nautomountServiceAccountToken: no\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\nspec:\n  replicas: 3\n  template:\n    spec:\n      serviceAccountName: a\n      containers: [{name: c, image: \"r/x:1\"}]\n")
        for text in [yaml, try String(contentsOfFile: KubernetesFixture.example + "/gke-prod.yaml", encoding: .utf8)] {
            try withTemporaryDirectory { dir in
                let path = dir.appendingPathComponent("c.yaml").path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                let file = try SourceFile.read(path)
                // When it is read through JSON (without falling back) and through Yams' node tree
                for json in try YAMLToJSON.documents(file.data, path: path, stringLimit: KubernetesParser.limits.string) {
                    _ = try JSONDecoder().decode(KubernetesDocument.self, from: json)
                }
                var fast = KubernetesMapper(asOf: KubernetesFixture.now)
                try fast.add(KubernetesParser.parseYAML(file), path: path)
                var careful = KubernetesMapper(asOf: KubernetesFixture.now)
                try careful.add(KubernetesParser.parseYAMLCarefully(file), path: path)
                // Then both give the same estates
                #expect(fast.map() == careful.map())
            }
        }
        let estate = try manifestEstate(yaml)
        let account = try #require(estate.identity(id: "kubernetes:prod/n/a"))
        #expect(account.tags["flag"] == "on")
        #expect(account.tags["version"] == "1.0")
        #expect(account.tags["note"] == "line \"one\"\nback\\slash\tand tab\n")
        #expect(account.createdAt == nil)
        #expect(estate.resource(id: "kubernetes:prod/n/Deployment/d")?.attributes["replicas"] == "3")
        #expect(estate.resource(id: "kubernetes:prod/n/Deployment/d")?.attributes["automountServiceAccountToken"] == "false")
    }
}

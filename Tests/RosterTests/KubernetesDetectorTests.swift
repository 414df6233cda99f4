import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// An EstateBuilder holding the estate manifests give, so Kubernetes cases fit the shared detector table.
func kubernetesCase(_ documents: String...) throws -> EstateBuilder {
    var builder = EstateBuilder(observedAt: KubernetesFixture.now)
    builder.estate = try manifestEstate(K8s.stream(documents.joined(separator: "\n---\n")))
    return builder
}

/// A pod, so the export shows what runs (the unused-account detector judges only then).
let somePod = K8s.pod("apps", "web-1", account: "web")

/// Every Kubernetes detector with an estate where it must fire and a look-alike where it must not.
/// (To be merged into `detectorCases`, which the registry test checks against `Detectors.all`.)
let kubernetesDetectorCases: [String: DetectorCase] = [
    "kubernetes.service-account.cluster-admin": DetectorCase(
        identity: "ci/deployer", severity: .critical, owasp: .nhi5OverprivilegedNHI, evidence: "every verb on every resource across the cluster",
        risky: {
            try kubernetesCase(
                K8s.serviceAccount("ci", "deployer"), K8s.clusterRole("cluster-admin", rules: K8s.wildcard),
                K8s.binding("ci-deployer-admin", role: "cluster-admin", subjects: K8s.sa("ci", "deployer")))
        },
        healthy: {
            // Wildcard verbs on named resources in its own namespace only, and view across the cluster
            try kubernetesCase(
                K8s.serviceAccount("ci", "deployer"),
                K8s.role("ci", "deploy", rules: "- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"*\"]"),
                K8s.binding("deploy", namespace: "ci", roleKind: "Role", role: "deploy", subjects: K8s.sa("ci", "deployer")),
                K8s.clusterRole("view", rules: K8s.readPods), K8s.binding("deployer-view", role: "view", subjects: K8s.sa("ci", "deployer")))
        }),
    "kubernetes.service-account.privilege-escalation": DetectorCase(
        identity: "ci/legacy-sync", severity: .high, owasp: .nhi5OverprivilegedNHI, evidence: "may read Secrets across the cluster",
        risky: {
            try kubernetesCase(
                K8s.serviceAccount("ci", "legacy-sync"),
                K8s.clusterRole("secret-reader", rules: "- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\", \"list\"]"),
                K8s.binding("legacy-sync-secrets", role: "secret-reader", subjects: K8s.sa("ci", "legacy-sync")))
        },
        healthy: {
            // The same right in its own namespace only, and one named Secret across the cluster
            try kubernetesCase(
                K8s.serviceAccount("ci", "legacy-sync"),
                K8s.clusterRole("secret-reader", rules: "- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\", \"list\"]"),
                K8s.binding("legacy-sync-secrets", namespace: "ci", role: "secret-reader", subjects: K8s.sa("ci", "legacy-sync")),
                K8s.clusterRole("one-secret", rules: "- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  resourceNames: [\"sync-config\"]\n  verbs: [\"get\"]"),
                K8s.binding("one-secret", role: "one-secret", subjects: K8s.sa("ci", "legacy-sync")))
        }),
    "kubernetes.service-account.long-lived-token": DetectorCase(
        identity: "ci/deployer", severity: .high, owasp: .nhi7LongLivedSecrets, evidence: "Secret ci/deployer-token holds a token for it that does not expire",
        risky: {
            try kubernetesCase(
                K8s.serviceAccount("ci", "deployer"), K8s.tokenSecret("ci", "deployer-token", account: "deployer"),
                K8s.clusterRole("deployer", rules: "- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"update\", \"patch\"]"),
                K8s.binding("deployer", namespace: "apps", role: "deployer", subjects: K8s.sa("ci", "deployer")))
        },
        healthy: {
            // The token was invalidated by the legacy token cleaner; an Opaque Secret names the account but holds no token
            try kubernetesCase(
                K8s.serviceAccount("ci", "deployer"),
                K8s.tokenSecret("ci", "deployer-token", account: "deployer", labels: ["kubernetes.io/legacy-token-invalid-since": "2025-01-10"]),
                "apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: deployer-notes\n  namespace: ci\n  annotations:\n    kubernetes.io/service-account.name: deployer\n")
        }),
    "kubernetes.default-service-account.has-rights": DetectorCase(
        identity: "payments/default", severity: .medium, owasp: .nhi9NHIReuse, evidence: "ClusterRole view in namespace payments",
        risky: {
            try kubernetesCase(
                K8s.serviceAccount("payments", "default"), K8s.clusterRole("view", rules: K8s.readPods),
                K8s.binding("default-view", namespace: "payments", role: "view", subjects: K8s.sa("payments", "default")),
                K8s.pod("payments", "reconcile-1"))
        },
        healthy: {
            // Only what every authenticated caller has, through the default policy's binding
            try kubernetesCase(
                K8s.serviceAccount("payments", "default"),
                K8s.clusterRole("system:basic-user", rules: "- apiGroups: [\"authorization.k8s.io\"]\n  resources: [\"selfsubjectaccessreviews\", \"selfsubjectrulesreviews\"]\n  verbs: [\"create\"]"),
                K8s.binding("system:basic-user", role: "system:basic-user", subjects: K8s.group("system:authenticated"), labels: ["kubernetes.io/bootstrapping": "rbac-defaults"]),
                K8s.pod("payments", "reconcile-1"))
        }),
    "kubernetes.service-account.unused-with-rights": DetectorCase(
        identity: "ci/old-sync", severity: .medium, owasp: .nhi1ImproperOffboarding, evidence: "no pod or workload in the export runs as it",
        risky: {
            try kubernetesCase(
                K8s.serviceAccount("ci", "old-sync"), K8s.clusterRole("view", rules: K8s.readPods),
                K8s.binding("old-sync-view", role: "view", subjects: K8s.sa("ci", "old-sync")), somePod)
        },
        healthy: {
            // A CronJob runs as it (no pod of it is running right now)
            try kubernetesCase(
                K8s.serviceAccount("ci", "old-sync"), K8s.clusterRole("view", rules: K8s.readPods),
                K8s.binding("old-sync-view", role: "view", subjects: K8s.sa("ci", "old-sync")), somePod,
                "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: sync\n  namespace: ci\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: old-sync\n          containers:\n          - name: sync\n            image: example/sync:1\n")
        }),
]

struct KubernetesDetectorTests {
    @Test func everyKubernetesDetectorHasACase() {
        #expect(Set(kubernetesDetectorCases.keys) == Set(Detectors.kubernetesFamily.map(\.id)))
    }

    @Test(arguments: kubernetesDetectorCases.keys.sorted())
    func firesOnTheRiskyAccount(_ ruleId: String) throws {
        let fixture = try #require(kubernetesDetectorCases[ruleId])
        let detector = try #require(Detectors.kubernetesFamily.first { $0.id == ruleId })
        #expect(detector.severity == fixture.severity)
        #expect(detector.owasp == fixture.owasp)
        // Given an estate with one risky account
        let analysis = try fixture.risky().analyse(fixture.policy)
        // Then the account has this rule's finding, with its evidence
        let finding = try #require(analysis.findings(on: fixture.identity).first { $0.ruleId == ruleId },
                                   "\(ruleId) not raised on \(fixture.identity); got \(analysis.ruleIds(on: fixture.identity))")
        #expect(finding.severity == fixture.severity)
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "evidence: \(finding.evidence)")
    }

    @Test(arguments: kubernetesDetectorCases.keys.sorted())
    func staysSilentOnTheHealthyLookAlike(_ ruleId: String) throws {
        let fixture = try #require(kubernetesDetectorCases[ruleId])
        let analysis = try fixture.healthy().analyse(fixture.policy)
        #expect(analysis.profile(named: fixture.identity) != nil)
        #expect(!analysis.ruleIds(on: fixture.identity).contains(ruleId), "\(analysis.findings(on: fixture.identity).map(\.evidence))")
    }

    @Test func controllerAccountsKeepTheirDefaultRightsWithoutFindings() throws {
        // Given the aggregation controller, which may escalate ClusterRoles by design, bound by the default policy
        let analysis = try kubernetesCase(
            K8s.serviceAccount("kube-system", "clusterrole-aggregation-controller"),
            K8s.clusterRole("system:controller:clusterrole-aggregation-controller", rules: "- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"escalate\", \"get\", \"list\", \"patch\", \"update\", \"watch\"]"),
            K8s.binding("system:controller:clusterrole-aggregation-controller", role: "system:controller:clusterrole-aggregation-controller",
                        subjects: K8s.sa("kube-system", "clusterrole-aggregation-controller"), labels: ["kubernetes.io/bootstrapping": "rbac-defaults"]),
            somePod).analyse()
        let name = "kube-system/clusterrole-aggregation-controller"
        // Then its privilege is known (admin-equivalent), but no Kubernetes detector reports the platform's own account
        #expect(analysis.profile(named: name)?.privilege.level == .admin)
        #expect(analysis.ruleIds(on: name).filter { $0.hasPrefix("kubernetes.") }.isEmpty)
    }

    @Test func customerBindingOnADistributionAccountIsReported() throws {
        // Given kube-system/default (which Kubernetes creates) bound to cluster-admin by a customer's binding, as Helm 2 guides advised
        let analysis = try kubernetesCase(
            K8s.serviceAccount("kube-system", "default"), K8s.clusterRole("cluster-admin", rules: K8s.wildcard),
            K8s.binding("add-on-cluster-admin", role: "cluster-admin", subjects: K8s.sa("kube-system", "default"))).analyse()
        let rules = analysis.ruleIds(on: "kube-system/default")
        #expect(rules.contains("kubernetes.service-account.cluster-admin"))
        #expect(rules.contains("kubernetes.default-service-account.has-rights"))
        // And with write rights the default account's finding is high
        #expect(analysis.findings(on: "kube-system/default").first { $0.ruleId == "kubernetes.default-service-account.has-rights" }?.severity == .high)
    }

    @Test func exampleEstateRaisesTheRiskyCasesOnly() throws {
        // Given the bundled example clusters
        let result = try readKubernetes([KubernetesFixture.example])
        let analysis = Analyzer.run(result.estates)
        func rules(_ name: String, _ cluster: String) -> Set<String> {
            Set(analysis.findings.filter { $0.identityId == "kubernetes:\(cluster)/\(name)" }.map(\.ruleId).filter { $0.hasPrefix("kubernetes.") })
        }
        #expect(rules("ci/deployer", "prod-eks") == ["kubernetes.service-account.cluster-admin", "kubernetes.service-account.long-lived-token"])
        #expect(rules("ci/legacy-sync", "prod-eks") == ["kubernetes.service-account.privilege-escalation", "kubernetes.service-account.unused-with-rights"])
        #expect(rules("payments/default", "prod-eks") == ["kubernetes.default-service-account.has-rights"])
        #expect(rules("kube-system/default", "gke-prod") == ["kubernetes.service-account.cluster-admin", "kubernetes.default-service-account.has-rights"])
        for healthy in ["payments/payments-api", "ci/image-builder", "ci/runner-cache", "monitoring/grafana", "monitoring/prometheus", "kube-system/aws-node",
                        "kube-system/clusterrole-aggregation-controller", "ci/default"] {
            #expect(rules(healthy, "prod-eks").isEmpty, "\(healthy): \(rules(healthy, "prod-eks"))")
        }
        #expect(rules("payments/payments-api", "gke-prod").isEmpty)
    }
}

/// The RBAC evaluator's levels, on one binding at a time.
struct KubernetesPrivilegeTests {
    func level(_ rules: String, namespace: String? = nil, role: String = "r") throws -> PrivilegeAssessment {
        let analysis = try kubernetesCase(
            K8s.serviceAccount("apps", "subject"), K8s.clusterRole(role, rules: rules),
            K8s.binding("b", namespace: namespace, role: role, subjects: K8s.sa("apps", "subject"))).analyse()
        return try #require(analysis.profile(named: "apps/subject")?.privilege)
    }

    @Test func levels() throws {
        #expect(try level(K8s.wildcard).level == .admin)
        #expect(try level(K8s.wildcard, namespace: "apps").level == .write)
        #expect(try level(K8s.wildcard, namespace: "kube-system").level == .admin)
        #expect(try level(K8s.readPods).level == .read)
        #expect(try level(K8s.readPods, namespace: "apps").level == .read)
        #expect(try level("- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"create\"]").level == .admin)
        #expect(try level("- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"create\"]", namespace: "apps").level == .write)
        #expect(try level("- apiGroups: [\"\"]\n  resources: [\"pods/*\"]\n  verbs: [\"create\"]").level == .admin)
        #expect(try level("- apiGroups: [\"\"]\n  resources: [\"users\", \"groups\"]\n  verbs: [\"impersonate\"]").level == .admin)
        #expect(try level("- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"bind\"]").level == .admin)
        #expect(try level("- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  resourceNames: [\"one\"]\n  verbs: [\"get\"]").level == .read)
        // A rule in another API group does not reach core resources
        #expect(try level("- apiGroups: [\"apps\"]\n  resources: [\"*\"]\n  verbs: [\"get\"]").level == .read)
        #expect(try level("- apiGroups: [\"apps\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\"]").level == .read)
        // Reviewing its own access is what every caller may do
        #expect(try level("- apiGroups: [\"authorization.k8s.io\"]\n  resources: [\"selfsubjectaccessreviews\"]\n  verbs: [\"create\"]").level == .none)
    }

    @Test func bindingToARoleTheExportDoesNotHoldIsUnknown() throws {
        let analysis = try kubernetesCase(
            K8s.serviceAccount("apps", "subject"), K8s.binding("b", namespace: "apps", roleKind: "Role", role: "gone", subjects: K8s.sa("apps", "subject"))).analyse()
        #expect(analysis.profile(named: "apps/subject")?.privilege.level == .unknown)
    }

    @Test func groupBindingsCountForEveryMember() throws {
        let analysis = try kubernetesCase(
            K8s.serviceAccount("apps", "subject"), K8s.clusterRole("cluster-admin", rules: K8s.wildcard),
            K8s.binding("all", role: "cluster-admin", subjects: K8s.group("system:serviceaccounts"))).analyse()
        let privilege = try #require(analysis.profile(named: "apps/subject")?.privilege)
        #expect(privilege.level == .admin)
        #expect(privilege.evidence.contains { $0.contains("through group system:serviceaccounts") && $0.contains("ClusterRoleBinding all") })
    }
}

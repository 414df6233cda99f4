import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// A cluster built in code, mapped as the Kubernetes connector maps one: service accounts with their namespace
/// as `path`, roles as policies, bindings as grants plus binding resources and `kubernetes.binds` edges, groups
/// with `member-of` edges, workloads with `kubernetes.runs-as` edges.
private struct Cluster {
    static let scope = "kubernetes:test"
    static let prefix = scope
    var estate = Estate(observedAt: Date(timeIntervalSince1970: 1_763_625_600), scope: scope)
    var groups: Set<String> = []

    static func sa(_ ref: String) -> String { "\(prefix)/\(ref)" }
    static func group(_ name: String) -> String { "\(prefix)/Group/\(name)" }
    static let admin = GraphFragment.adminNode(scope)
    static let nodes = KubernetesGraph.nodesNode(scope)

    @discardableResult
    mutating func account(_ ref: String) -> String {
        let parts = ref.split(separator: "/").map(String.init)
        let id = Self.sa(ref)
        estate.identities.append(
            Identity(
                id: id,
                provider: .kubernetes,
                kind: .kubernetesServiceAccount,
                name: ref,
                account: "test",
                path: parts[0],
                nature: .machine
            )
        )
        return id
    }

    mutating func namespace(_ name: String, enforce: String? = nil) {
        estate.resources.append(
            Resource(
                id: "\(Self.prefix)/Namespace/\(name)",
                provider: .kubernetes,
                type: "kubernetes.namespace",
                name: name,
                account: "test",
                attributes: enforce.map { [KubernetesGraph.podSecurityEnforceAttribute: $0] } ?? [:]
            )
        )
    }

    @discardableResult
    mutating func clusterRole(_ name: String, _ rules: [RBACRule]) -> String {
        let id = "\(Self.prefix)/ClusterRole/\(name)"
        estate.policies.append(
            Policy(id: id, name: "ClusterRole \(name)", provider: .kubernetes, kind: .customerManaged, body: .kubernetesRBAC(rules))
        )
        return id
    }

    @discardableResult
    mutating func role(_ namespace: String, _ name: String, _ rules: [RBACRule]) -> String {
        let id = "\(Self.prefix)/\(namespace)/Role/\(name)"
        estate.policies.append(
            Policy(id: id, name: "Role \(namespace)/\(name)", provider: .kubernetes, kind: .customerManaged, body: .kubernetesRBAC(rules))
        )
        return id
    }

    /// Subjects are `ns/name` for service accounts, `group:<name>` for groups.
    @discardableResult
    mutating func bind(_ name: String, namespace: String? = nil, _ policyId: String, to subjects: [String]) -> String {
        let bindingId = namespace.map { "\(Self.prefix)/\($0)/RoleBinding/\(name)" } ?? "\(Self.prefix)/ClusterRoleBinding/\(name)"
        var attributes = ["policyId": policyId]
        if let namespace { attributes["namespace"] = namespace }
        estate.resources.append(
            Resource(
                id: bindingId,
                provider: .kubernetes,
                type: namespace == nil ? "kubernetes.clusterrolebinding" : "kubernetes.rolebinding",
                name: namespace.map { "\($0)/\(name)" } ?? name,
                account: "test",
                attributes: attributes
            )
        )
        for subject in subjects {
            let subjectId: String
            if subject.hasPrefix("group:") {
                let group = String(subject.dropFirst("group:".count))
                groups.insert(group)
                subjectId = Self.group(group)
            } else {
                subjectId = Self.sa(subject)
            }
            estate.grants.append(
                Grant(
                    subjectId: subjectId,
                    policyId: policyId,
                    via: .binding,
                    scope: namespace.map { GrantScope(.namespace, $0) } ?? GrantScope(.cluster, "test")
                )
            )
            estate.edges.append(Edge(from: bindingId, to: subjectId, kind: .kubernetesBinds, rule: "kubernetes.import"))
        }
        return bindingId
    }

    mutating func workload(_ namespace: String, _ kind: String, _ name: String, runsAs account: String, mounted: Bool = true, replicas: Int? = nil) {
        let id = "\(Self.prefix)/\(namespace)/\(kind)/\(name)"
        var attributes = ["namespace": namespace, "serviceAccount": account, "automountServiceAccountToken": mounted ? "true" : "false"]
        if let replicas { attributes["replicas"] = String(replicas) }
        estate.resources.append(
            Resource(
                id: id,
                provider: .kubernetes,
                type: "kubernetes.\(kind.lowercased())",
                name: "\(namespace)/\(name)",
                account: "test",
                attributes: attributes
            )
        )
        estate.edges.append(
            Edge(
                from: id,
                to: Self.sa("\(namespace)/\(account)"),
                kind: .kubernetesRunsAs,
                rule: "kubernetes.import",
                conditions: ["automount=\(mounted)"]
            )
        )
    }

    mutating func tokenSecret(_ namespace: String, _ name: String, of account: String) {
        estate.credentials.append(
            Credential(
                id: "\(Self.prefix)/\(namespace)/Secret/\(name)",
                identityId: Self.sa("\(namespace)/\(account)"),
                kind: .kubernetesServiceAccountToken,
                status: .active
            )
        )
    }

    /// The estate, with group resources and every account's memberships, as the connector adds them.
    var finished: Estate {
        var out = estate
        for group in groups.sorted() {
            out.resources.append(Resource(id: Self.group(group), provider: .kubernetes, type: "kubernetes.group", name: group, account: "test"))
        }
        for identity in estate.identities {
            let namespace = identity.path ?? ""
            for group in ["system:authenticated", "system:serviceaccounts", "system:serviceaccounts:\(namespace)"] where groups.contains(group) {
                out.edges.append(Edge(from: identity.id, to: Self.group(group), kind: .memberOf, rule: "kubernetes.import"))
            }
        }
        return out
    }

    var rbac: KubernetesRBACEvaluator { KubernetesRBACEvaluator(estate: finished) }
    var graph: GraphFragment { KubernetesGraph.fragment(for: finished) }
}

private func rule(_ groups: [String], _ resources: [String], _ verbs: [String], names: [String] = []) -> RBACRule {
    RBACRule(apiGroups: groups, resources: resources, verbs: verbs, resourceNames: names)
}

private let everything = RBACRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])

extension GraphFragment {
    /// Targets of the edges of one rule from a node (through any hub it holds).
    fileprivate func targets(of from: String, rule: String) -> Set<String> {
        var out: Set<String> = []
        for edge in edges where edge.from == from && edge.rule == rule {
            if edge.kind == .holds {
                out.formUnion(edges.filter { $0.from == edge.to && $0.rule == rule }.map(\.to))
            } else {
                out.insert(edge.to)
            }
        }
        return out
    }

    fileprivate func rules(from: String) -> Set<String> { Set(edges.filter { $0.from == from }.map(\.rule)) }

    fileprivate func reachesAdmin(_ from: String) -> Bool {
        let graph = AccessGraph(edges: edges)
        guard let start = graph.node(from), !graph.adminNodes.isEmpty else { return false }
        return graph.towards(graph.adminNodes).distance[start] != .max
    }
}

struct KubernetesGraphTests {
    // MARK: Evaluator: the RBAC authorizer's matching

    @Test func resourceNamesRestrictToNamedObjectsAndNeverMatchUnnamedRequests() {
        // Given a Role that may get, list and update one Secret by name
        var c = Cluster()
        c.account("app/reader")
        let role = c.role("app", "one-secret", [rule([""], ["secrets"], ["get", "list", "update", "create"], names: ["db-password"])])
        c.bind("reader", namespace: "app", role, to: ["app/reader"])
        let rbac = c.rbac
        let me = Cluster.sa("app/reader")
        // Then the named Secret is allowed, another is not
        #expect(rbac.decide(subject: me, verb: "get", group: "", resource: "secrets", namespace: "app", name: "db-password").isAllowed)
        #expect(!rbac.decide(subject: me, verb: "get", group: "", resource: "secrets", namespace: "app", name: "other").isAllowed)
        // And a request without a name (list all, create) is not matched by a rule with resourceNames (RBAC docs, "Referring to resources")
        #expect(!rbac.decide(subject: me, verb: "list", group: "", resource: "secrets", namespace: "app", name: nil).isAllowed)
        #expect(!rbac.decide(subject: me, verb: "create", group: "", resource: "secrets", namespace: "app", name: nil).isAllowed)
        // But a list with a metadata.name field selector carries the name, and is allowed
        #expect(rbac.decide(subject: me, verb: "list", group: "", resource: "secrets", namespace: "app", name: "db-password").isAllowed)
    }

    @Test func subresourcesMustBeNamedExceptByStarAndStarSlashSubresource() {
        var c = Cluster()
        for name in ["pods", "podsstar", "star", "starexec", "starscale", "exec"] { c.account("ns/\(name)") }
        let cases: [(String, [String])] = [
            ("pods", ["pods"]), ("podsstar", ["pods/*"]), ("star", ["*"]), ("starexec", ["*/exec"]), ("starscale", ["*/scale"]),
            ("exec", ["pods/exec"]),
        ]
        for (name, resources) in cases {
            let id = c.clusterRole(name, [rule(["", "apps"], resources, ["create", "get", "update"])])
            c.bind(name, id, to: ["ns/\(name)"])
        }
        let rbac = c.rbac
        func may(_ who: String, _ resource: String, group: String = "") -> Bool {
            rbac.decide(subject: Cluster.sa("ns/\(who)"), verb: "create", group: group, resource: resource, namespace: "ns", name: nil).isAllowed
        }
        // `pods` does not cover its subresources
        #expect(may("pods", "pods") && !may("pods", "pods/exec"))
        // `pods/*` is no wildcard in the authorizer: only `*` and `*/<subresource>` are
        #expect(!may("podsstar", "pods/exec") && !may("podsstar", "pods"))
        // `*` covers every resource and subresource
        #expect(may("star", "pods/exec") && may("star", "pods"))
        // `*/exec` covers the exec subresource of any resource, not the resource itself, and not another subresource
        #expect(may("starexec", "pods/exec") && !may("starexec", "pods") && !may("starexec", "pods/attach"))
        #expect(may("starscale", "deployments/scale", group: "apps") && !may("starscale", "deployments", group: "apps"))
        // `pods/exec` covers exactly that
        #expect(may("exec", "pods/exec") && !may("exec", "pods"))
    }

    @Test func roleBindingOfAClusterRoleGrantsOnlyInItsNamespace() {
        // Given cluster-admin bound by a RoleBinding in `team`, and `view`-like rights by a ClusterRoleBinding
        var c = Cluster()
        c.account("team/lead")
        let admin = c.clusterRole("cluster-admin", [everything])
        let reader = c.clusterRole("pod-reader", [rule([""], ["pods"], ["list"])])
        c.bind("team-admin", namespace: "team", admin, to: ["team/lead"])
        let crb = c.bind("readers", reader, to: ["team/lead"])
        let rbac = c.rbac
        let me = Cluster.sa("team/lead")
        // Then everything is allowed in team, nothing elsewhere, and nothing cluster-scoped
        #expect(rbac.decide(subject: me, verb: "delete", group: "apps", resource: "deployments", namespace: "team", name: "x").isAllowed)
        #expect(!rbac.decide(subject: me, verb: "delete", group: "apps", resource: "deployments", namespace: "other", name: "x").isAllowed)
        #expect(!rbac.decide(subject: me, verb: "get", group: "", resource: "nodes", namespace: nil, name: "node-1").isAllowed)
        #expect(
            !rbac.decide(subject: me, verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", namespace: nil, name: nil)
                .isAllowed
        )
        // And the ClusterRoleBinding grants in every namespace and across them (namespace nil)
        #expect(rbac.decide(subject: me, verb: "list", group: "", resource: "pods", namespace: "other", name: nil).isAllowed)
        let all = rbac.decide(subject: me, verb: "list", group: "", resource: "pods", namespace: nil, name: nil)
        #expect(all.statements == [StatementRef(policyId: reader, index: 0, sid: crb)])
        // And in team both allow, the ClusterRoleBinding first, as the authorizer visits them
        let inTeam = rbac.decide(subject: me, verb: "list", group: "", resource: "pods", namespace: "team", name: nil)
        #expect(inTeam.statements.map(\.policyId) == [reader, admin])
        #expect(inTeam.statements.last?.sid == "\(Cluster.prefix)/team/RoleBinding/team-admin")
    }

    @Test func groupSubjectsCountThroughMembership() {
        // Given a RoleBinding to every account of namespace a, and a ClusterRoleBinding to every authenticated caller
        var c = Cluster()
        c.account("a/one")
        c.account("b/two")
        let minter = c.role("a", "minter", [rule([""], ["serviceaccounts/token"], ["create"])])
        c.bind("all-a", namespace: "a", minter, to: ["group:system:serviceaccounts:a"])
        let health = c.clusterRole("lister", [rule([""], ["namespaces"], ["list"])])
        c.bind("everyone", health, to: ["group:system:authenticated"])
        let rbac = c.rbac
        #expect(
            rbac.decide(subject: Cluster.sa("a/one"), verb: "create", group: "", resource: "serviceaccounts/token", namespace: "a", name: "x")
                .isAllowed
        )
        #expect(
            !rbac.decide(subject: Cluster.sa("b/two"), verb: "create", group: "", resource: "serviceaccounts/token", namespace: "a", name: "x")
                .isAllowed
        )
        #expect(rbac.decide(subject: Cluster.sa("b/two"), verb: "list", group: "", resource: "namespaces", namespace: nil, name: nil).isAllowed)
        // And who-can expands groups to their members
        #expect(rbac.subjects(allowedTo: "create", group: "", resource: "serviceaccounts/token", namespace: "a", name: "x") == [Cluster.sa("a/one")])
        #expect(
            rbac.subjects(allowedTo: "list", group: "", resource: "namespaces", namespace: nil, name: nil) == [
                Cluster.sa("a/one"), Cluster.sa("b/two"),
            ]
        )
        #expect(rbac.subjects(allowedTo: "create", group: "", resource: "serviceaccounts/token", namespace: "b", name: "x").isEmpty)
    }

    @Test func nonResourceURLsOnlyThroughClusterRoleBindingsWithPrefixWildcards() {
        var c = Cluster()
        c.account("mon/prom")
        c.account("mon/local")
        let urls = c.clusterRole(
            "health",
            [
                RBACRule(verbs: ["get"], nonResourceURLs: ["/healthz/*", "/metrics"])
            ]
        )
        c.bind("prom-health", urls, to: ["mon/prom"])
        c.bind("local-health", namespace: "mon", urls, to: ["mon/local"])
        let rbac = c.rbac
        let prom = Cluster.sa("mon/prom")
        #expect(rbac.decide(subject: prom, verb: "get", nonResourceURL: "/healthz/etcd").isAllowed)
        #expect(rbac.decide(subject: prom, verb: "get", nonResourceURL: "/healthz/").isAllowed)
        #expect(!rbac.decide(subject: prom, verb: "get", nonResourceURL: "/healthz").isAllowed)
        #expect(rbac.decide(subject: prom, verb: "get", nonResourceURL: "/metrics").isAllowed)
        #expect(!rbac.decide(subject: prom, verb: "get", nonResourceURL: "/metrics/cadvisor").isAllowed)
        #expect(!rbac.decide(subject: prom, verb: "post", nonResourceURL: "/metrics").isAllowed)
        // A RoleBinding never grants non-resource URLs, and a URL rule grants no resource
        #expect(!rbac.decide(subject: Cluster.sa("mon/local"), verb: "get", nonResourceURL: "/metrics").isAllowed)
        #expect(!rbac.decide(subject: prom, verb: "get", group: "", resource: "pods", namespace: "mon", name: nil).isAllowed)
    }

    @Test func rbacOnlyAllowsAndAMissingRoleIsUndecided() {
        var c = Cluster()
        c.account("ns/app")
        c.account("ns/other")
        let reader = c.clusterRole("reader", [rule(["apps"], ["deployments"], ["get"])])
        c.bind("reader", reader, to: ["ns/app"])
        c.bind("ghost", namespace: "ns", "\(Cluster.prefix)/ClusterRole/not-exported", to: ["ns/other"])
        let rbac = c.rbac
        let denied = rbac.decide(subject: Cluster.sa("ns/app"), verb: "get", group: "", resource: "deployments", namespace: "ns", name: "x")
        #expect(denied.outcome == .denied && !denied.explicit && denied.statements.isEmpty)
        #expect(rbac.decide(subject: Cluster.sa("ns/app"), verb: "get", group: "apps", resource: "deployments", namespace: "ns", name: "x").isAllowed)
        #expect(
            rbac.decide(subject: Cluster.sa("ns/other"), verb: "get", group: "", resource: "pods", namespace: "ns", name: "x").outcome == .undecided
        )
        // Outside the RoleBinding's namespace the missing role cannot matter
        #expect(
            rbac.decide(subject: Cluster.sa("ns/other"), verb: "get", group: "", resource: "pods", namespace: "elsewhere", name: "x").outcome
                == .denied
        )
    }

    // MARK: Edge rules

    @Test func clusterAdminOnlyThroughAClusterRoleBinding() throws {
        var c = Cluster()
        c.account("ops/root")
        c.account("team/lead")
        c.account("team/app")
        let admin = c.clusterRole("cluster-admin", [everything])
        let crb = c.bind("root", admin, to: ["ops/root"])
        c.bind("lead", namespace: "team", admin, to: ["team/lead"])
        c.namespace("team", enforce: "restricted")
        let graph = c.graph
        let edge = try #require(graph.edges.first { $0.from == Cluster.sa("ops/root") && $0.rule == "kubernetes.cluster-admin" })
        #expect(edge.to == Cluster.admin && edge.kind == .canTakeOver)
        #expect(edge.statement == StatementRef(policyId: admin, index: 0, sid: crb))
        // The RoleBinding of cluster-admin reaches the namespace's accounts, never the cluster
        let lead = Cluster.sa("team/lead")
        #expect(!graph.rules(from: lead).contains("kubernetes.cluster-admin"))
        #expect(graph.targets(of: lead, rule: "kubernetes.pod-create") == [Cluster.sa("team/app")])
        #expect(!graph.reachesAdmin(lead))
    }

    @Test func podCreateTakesOverEveryAccountOfItsNamespaceOnly() throws {
        var c = Cluster()
        let creator = c.account("app/creator")
        let quiet = c.account("app/no-automount")
        c.account("other/x")
        let role = c.role("app", "pods", [rule([""], ["pods"], ["create"])])
        let binding = c.bind("creator", namespace: "app", role, to: ["app/creator"])
        c.namespace("app", enforce: "baseline")
        let graph = c.graph
        // Every account of the namespace, automount off or not; never itself; never another namespace
        #expect(graph.targets(of: creator, rule: "kubernetes.pod-create") == [quiet])
        let edge = try #require(graph.edges.first { $0.from == creator && $0.to == quiet })
        #expect(edge.statement == StatementRef(policyId: role, index: 0, sid: binding))
        #expect(
            edge.reason.contains("create pods") && edge.reason.contains("namespace app") && edge.reason.contains("Role app/pods")
                && edge.reason.contains("RoleBinding app/creator")
        )
        // baseline forbids privileged pods
        #expect(!graph.rules(from: creator).contains("kubernetes.privileged-pod"))
    }

    @Test func workloadCreateReachesTheNamespaceThroughControllers() {
        var c = Cluster()
        let deployer = c.account("ci/deployer")
        let worker = c.account("ci/worker")
        let jobs = c.clusterRole("job-runner", [rule(["batch"], ["cronjobs"], ["create"])])
        c.bind("deployer", namespace: "ci", jobs, to: ["ci/deployer"])
        c.namespace("ci", enforce: "restricted")
        // Workload rights in the wrong API group give nothing
        let wrong = c.role("ci", "wrong", [rule([""], ["deployments"], ["create"])])
        let other = c.account("ci/other")
        c.bind("other", namespace: "ci", wrong, to: ["ci/other"])
        let graph = c.graph
        #expect(graph.targets(of: deployer, rule: "kubernetes.workload-create") == [worker, other])
        #expect(graph.rules(from: other).isEmpty)
    }

    @Test func podExecReachesOnlyAccountsRunningPodsMount() throws {
        var c = Cluster()
        let debugger = c.account("app/debugger")
        let api = c.account("app/api")
        c.account("app/batch")
        c.account("app/idle")
        c.account("app/scaled")
        c.workload("app", "Deployment", "api", runsAs: "api")
        c.workload("app", "Deployment", "batch", runsAs: "batch", mounted: false)
        c.workload("app", "Deployment", "scaled", runsAs: "scaled", replicas: 0)
        let exec = c.role("app", "exec", [rule([""], ["pods/exec"], ["create"])])
        c.bind("debugger", namespace: "app", exec, to: ["app/debugger"])
        // get on pods/exec is exec over WebSocket before 1.35: an edge, under a condition
        let viewer = c.account("app/viewer")
        let getExec = c.role("app", "get-exec", [rule([""], ["pods/exec", "pods/log"], ["get"])])
        c.bind("viewer", namespace: "app", getExec, to: ["app/viewer"])
        // a name restricts exec to that pod
        let one = c.account("app/one")
        c.account("app/standalone")
        c.workload("app", "Pod", "standalone-0", runsAs: "standalone")
        let named = c.role("app", "exec-one", [rule([""], ["pods/exec"], ["create"], names: ["standalone-0"])])
        c.bind("one", namespace: "app", named, to: ["app/one"])
        let graph = c.graph
        #expect(graph.targets(of: debugger, rule: "kubernetes.pod-exec") == [api, Cluster.sa("app/standalone")])
        #expect(graph.targets(of: viewer, rule: "kubernetes.pod-exec") == [api, Cluster.sa("app/standalone")])
        let conditional = try #require(graph.edges.first { $0.from == viewer && $0.rule == "kubernetes.pod-exec" })
        #expect(conditional.conditions.contains { $0.contains("1.35") })
        #expect(graph.targets(of: one, rule: "kubernetes.pod-exec") == [Cluster.sa("app/standalone")])
    }

    @Test func saTokenRespectsResourceNames() {
        var c = Cluster()
        let minter = c.account("ns/minter")
        let harmless = c.account("ns/harmless")
        c.account("ns/powerful")
        c.account("elsewhere/harmless")
        let role = c.clusterRole("mint-harmless", [rule([""], ["serviceaccounts/token"], ["create"], names: ["harmless"])])
        c.bind("minter", namespace: "ns", role, to: ["ns/minter"])
        // cluster-wide, the same name reaches the account of that name in every namespace
        let wide = c.account("ops/wide")
        c.bind("wide", role, to: ["ops/wide"])
        let graph = c.graph
        #expect(graph.targets(of: minter, rule: "kubernetes.sa-token") == [harmless])
        #expect(graph.targets(of: wide, rule: "kubernetes.sa-token") == [harmless, Cluster.sa("elsewhere/harmless")])
    }

    @Test func secretReadNeedsListOrANameAndTargetsTokenOwners() throws {
        var c = Cluster()
        let lister = c.account("ns/lister")
        let getter = c.account("ns/getter")
        let named = c.account("ns/named")
        let watcher = c.account("ns/watcher")
        let builder = c.account("ns/builder")
        c.account("ns/no-token")
        c.tokenSecret("ns", "builder-token-x7k2p", of: "builder")
        c.bind("lister", namespace: "ns", c.role("ns", "list", [rule([""], ["secrets"], ["list"])]), to: ["ns/lister"])
        c.bind("getter", namespace: "ns", c.role("ns", "get", [rule([""], ["secrets"], ["get"])]), to: ["ns/getter"])
        c.bind("named", namespace: "ns", c.role("ns", "named", [rule([""], ["secrets"], ["get"], names: ["builder-token-x7k2p"])]), to: ["ns/named"])
        c.bind("watcher", namespace: "ns", c.role("ns", "watch", [rule([""], ["secrets"], ["watch"])]), to: ["ns/watcher"])
        let graph = c.graph
        #expect(graph.targets(of: lister, rule: "kubernetes.secret-read") == [builder])
        #expect(graph.targets(of: watcher, rule: "kubernetes.secret-read") == [builder])
        #expect(graph.targets(of: named, rule: "kubernetes.secret-read") == [builder])
        #expect(graph.targets(of: getter, rule: "kubernetes.secret-read").isEmpty)

        // Without token Secrets in the export, list reaches every account of the namespace, and says why
        var bare = Cluster()
        let reader = bare.account("ns/reader")
        let other = bare.account("ns/other")
        bare.bind("reader", namespace: "ns", bare.role("ns", "list", [rule([""], ["secrets"], ["list", "get"])]), to: ["ns/reader"])
        let edge = try #require(bare.graph.edges.first { $0.from == reader && $0.rule == "kubernetes.secret-read" })
        #expect(edge.to == other && edge.reason.contains("lists no token Secrets"))
    }

    @Test func rbacBindClusterWideIsAdminAndNamespacedReachesTheNamespace() {
        var c = Cluster()
        c.clusterRole("cluster-admin", [everything])
        c.clusterRole("edit", [rule([""], ["pods"], ["create"])])
        c.clusterRole("view", [rule([""], ["pods"], ["get"])])
        let root = c.account("ops/binder")
        c.bind(
            "binder",
            c.clusterRole(
                "binder",
                [
                    rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"]),
                    rule(["rbac.authorization.k8s.io"], ["clusterrolebindings"], ["create"]),
                ]
            ),
            to: ["ops/binder"]
        )
        let local = c.account("team/binder")
        let app = c.account("team/app")
        c.bind(
            "binder",
            namespace: "team",
            c.role(
                "team",
                "binder",
                [
                    rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"], names: ["edit"]),
                    rule(["rbac.authorization.k8s.io"], ["rolebindings"], ["create"]),
                ]
            ),
            to: ["team/binder"]
        )
        // bind limited to view runs no pods: no edge
        let viewOnly = c.account("team/view-binder")
        c.bind(
            "view-binder",
            namespace: "team",
            c.role(
                "team",
                "view-binder",
                [
                    rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"], names: ["view"]),
                    rule(["rbac.authorization.k8s.io"], ["rolebindings"], ["create"]),
                ]
            ),
            to: ["team/view-binder"]
        )
        // bind without create on bindings: no edge
        let bindOnly = c.account("team/bind-only")
        c.bind(
            "bind-only",
            namespace: "team",
            c.role("team", "bind-only", [rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"])]),
            to: ["team/bind-only"]
        )
        let graph = c.graph
        #expect(graph.targets(of: root, rule: "kubernetes.rbac-bind") == [Cluster.admin])
        #expect(graph.targets(of: local, rule: "kubernetes.rbac-bind") == [app, viewOnly, bindOnly])
        #expect(graph.rules(from: viewOnly).isEmpty)
        #expect(graph.rules(from: bindOnly).isEmpty)
    }

    @Test func rbacEscalateRewritesARoleItHolds() {
        var c = Cluster()
        let escalator = c.account("ops/escalator")
        c.bind(
            "escalator",
            c.clusterRole("role-editor", [rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["update", "escalate"])]),
            to: ["ops/escalator"]
        )
        // update without escalate cannot add rules it does not hold
        let updater = c.account("ops/updater")
        c.bind(
            "updater",
            c.clusterRole("role-updater", [rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["update", "patch"])]),
            to: ["ops/updater"]
        )
        // a Role in a namespace: the namespace's accounts
        let local = c.account("team/escalator")
        let app = c.account("team/app")
        c.bind(
            "escalator",
            namespace: "team",
            c.role(
                "team",
                "self-editor",
                [
                    rule(["rbac.authorization.k8s.io"], ["roles"], ["patch", "escalate"], names: ["self-editor"])
                ]
            ),
            to: ["team/escalator"]
        )
        let graph = c.graph
        #expect(graph.targets(of: escalator, rule: "kubernetes.rbac-escalate") == [Cluster.admin])
        #expect(graph.rules(from: updater).isEmpty)
        #expect(graph.targets(of: local, rule: "kubernetes.rbac-escalate") == [app])
    }

    @Test func impersonationOfGroupsIsAdminAndOfNamedAccountsOnlyThose() {
        var c = Cluster()
        let wide = c.account("ops/impersonator")
        c.bind("wide", c.clusterRole("impersonator", [rule([""], ["users", "groups"], ["impersonate"])]), to: ["ops/impersonator"])
        // groups alone cannot be impersonated without a user to carry them
        let groupsOnly = c.account("ops/groups-only")
        c.bind("groups-only", c.clusterRole("groups", [rule([""], ["groups"], ["impersonate"])]), to: ["ops/groups-only"])
        let helper = c.account("team/helper")
        let harmless = c.account("team/harmless")
        c.account("team/powerful")
        c.bind(
            "helper",
            namespace: "team",
            c.role("team", "one", [rule([""], ["serviceaccounts"], ["impersonate"], names: ["harmless"])]),
            to: ["team/helper"]
        )
        let graph = c.graph
        #expect(graph.targets(of: wide, rule: "kubernetes.impersonate") == [Cluster.admin])
        #expect(graph.rules(from: groupsOnly).isEmpty)
        #expect(graph.targets(of: helper, rule: "kubernetes.impersonate") == [harmless])
    }

    @Test func nodesProxyPrivilegedPodsAndNodeTokens() {
        var c = Cluster()
        let proxy = c.account("ops/proxy")
        c.bind("proxy", c.clusterRole("node-proxy", [rule([""], ["nodes/proxy"], ["get"])]), to: ["ops/proxy"])
        let oneNode = c.account("ops/one-node")
        c.bind("one-node", c.clusterRole("one-node", [rule([""], ["nodes/proxy"], ["get"], names: ["node-1"])]), to: ["ops/one-node"])
        // Pod creators in a namespace of each Pod Security level
        let pods = c.clusterRole("pods", [rule([""], ["pods"], ["create"])])
        var creators: [String: String] = [:]
        for (namespace, level) in [("open", nil), ("privileged", "privileged"), ("baseline", "baseline"), ("restricted", "restricted")]
            as [(String, String?)]
        {
            c.namespace(namespace, enforce: level ?? "")
            creators[namespace] = c.account("\(namespace)/creator")
            c.bind("creator", namespace: namespace, pods, to: ["\(namespace)/creator"])
        }
        // Tokens the nodes hold
        let mounted = c.account("apps/api")
        c.account("apps/quiet")
        c.account("apps/stopped")
        c.workload("apps", "DaemonSet", "api", runsAs: "api")
        c.workload("apps", "Deployment", "quiet", runsAs: "quiet", mounted: false)
        c.workload("apps", "Deployment", "stopped", runsAs: "stopped", replicas: 0)
        let graph = c.graph
        #expect(graph.targets(of: proxy, rule: "kubernetes.nodes-proxy") == [Cluster.nodes])
        #expect(graph.rules(from: oneNode).isEmpty)
        #expect(graph.targets(of: creators["open"]!, rule: "kubernetes.privileged-pod") == [Cluster.nodes])
        #expect(graph.targets(of: creators["privileged"]!, rule: "kubernetes.privileged-pod") == [Cluster.nodes])
        #expect(graph.targets(of: creators["baseline"]!, rule: "kubernetes.privileged-pod").isEmpty)
        #expect(graph.targets(of: creators["restricted"]!, rule: "kubernetes.privileged-pod").isEmpty)
        #expect(graph.targets(of: Cluster.nodes, rule: "kubernetes.node-tokens") == [mounted])
        #expect(graph.nodes[Cluster.nodes] == "every node of cluster test")
    }

    @Test func certificateApprovalAndMutatingWebhooksAreAdmin() {
        var c = Cluster()
        let group = "certificates.k8s.io"
        let approver = c.account("ops/approver")
        c.bind(
            "approver",
            c.clusterRole(
                "approver",
                [
                    rule([group], ["certificatesigningrequests"], ["create"]), rule([group], ["certificatesigningrequests/approval"], ["update"]),
                    rule([group], ["signers"], ["approve"], names: ["kubernetes.io/*"]),
                ]
            ),
            to: ["ops/approver"]
        )
        // approving only for another signer issues no client certificate for the API server
        let kubelet = c.account("ops/kubelet-approver")
        c.bind(
            "kubelet-approver",
            c.clusterRole(
                "kubelet-approver",
                [
                    rule([group], ["certificatesigningrequests"], ["create"]), rule([group], ["certificatesigningrequests/approval"], ["update"]),
                    rule([group], ["signers"], ["approve"], names: ["kubernetes.io/kubelet-serving"]),
                ]
            ),
            to: ["ops/kubelet-approver"]
        )
        let hooks = c.account("ops/hooks")
        c.bind(
            "hooks",
            c.clusterRole("hooks", [rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["patch"])]),
            to: ["ops/hooks"]
        )
        let validating = c.account("ops/validating")
        c.bind(
            "validating",
            c.clusterRole("validating", [rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["create"])]),
            to: ["ops/validating"]
        )
        let graph = c.graph
        #expect(graph.targets(of: approver, rule: "kubernetes.csr-approve") == [Cluster.admin])
        #expect(graph.rules(from: kubelet).isEmpty)
        #expect(graph.targets(of: hooks, rule: "kubernetes.mutating-webhook") == [Cluster.admin])
        #expect(graph.rules(from: validating).isEmpty)
    }

    @Test func ruleIdsAreTheContract() {
        #expect(
            KubernetesGraph.rules.map(\.id) == [
                "kubernetes.cluster-admin", "kubernetes.pod-create", "kubernetes.workload-create", "kubernetes.pod-exec", "kubernetes.sa-token",
                "kubernetes.secret-read", "kubernetes.rbac-bind", "kubernetes.rbac-escalate", "kubernetes.impersonate", "kubernetes.nodes-proxy",
                "kubernetes.csr-approve", "kubernetes.privileged-pod", "kubernetes.node-tokens", "kubernetes.mutating-webhook",
            ]
        )
        #expect(KubernetesGraph.rules.allSatisfy { $0.provider == .kubernetes && !$0.references.isEmpty })
    }

    // MARK: Hubs and size

    @Test func manyCreatorsOfManyAccountsGoThroughAHub() throws {
        // Given 30 accounts of one namespace, all of which may create pods there (through their namespace's group)
        var c = Cluster()
        c.namespace("big", enforce: "restricted")
        for i in 0..<30 { c.account("big/sa-\(i)") }
        c.bind("everyone", namespace: "big", c.role("big", "pods", [rule([""], ["pods"], ["create"])]), to: ["group:system:serviceaccounts:big"])
        let graph = c.graph
        // Then each holds the namespace's hub, which takes over each: 60 edges, not 870
        let hub = KubernetesGraph.hubNode(Cluster.scope, rule: "kubernetes.pod-create", namespace: "big")
        #expect(hub == "kubernetes:test#ns/big/pod-create")
        #expect(graph.nodes[hub] != nil)
        let podEdges = graph.edges.filter { $0.rule == "kubernetes.pod-create" }
        #expect(podEdges.count == 60)
        let holds = try #require(podEdges.first { $0.from == Cluster.sa("big/sa-0") })
        #expect(holds.kind == .holds && holds.to == hub && holds.statement != nil)
        #expect(graph.targets(of: Cluster.sa("big/sa-0"), rule: "kubernetes.pod-create").count == 30)
        // And a path through the hub reads as one step from the account
        let access = AccessGraph(edges: graph.edges)
        let start = try #require(access.node(Cluster.sa("big/sa-0")))
        let reached = access.reachable(from: start).map { access.ids[$0.node] }
        #expect(reached.contains(Cluster.sa("big/sa-29")))
    }

    @Test func clusterWideRightsAndSharedNamedRulesGoThroughHubs() {
        // Given 3 accounts that may mint tokens everywhere, and 30 accounts of one namespace that may, through their
        // namespace's group, impersonate 10 named accounts there
        var c = Cluster()
        let minter = c.clusterRole("minter", [rule([""], ["serviceaccounts/token"], ["create"])])
        for i in 0..<3 { c.account("ops/minter-\(i)") }
        c.bind("minters", minter, to: ["ops/minter-0", "ops/minter-1", "ops/minter-2"])
        for i in 0..<30 { c.account("team/sa-\(i)") }
        let names = (0..<10).map { "sa-\($0)" }
        c.bind(
            "everyone",
            namespace: "team",
            c.role("team", "impersonate-some", [rule([""], ["serviceaccounts"], ["impersonate"], names: names)]),
            to: ["group:system:serviceaccounts:team"]
        )
        let graph = c.graph
        // Then the cluster-wide minters hold one hub reaching all 33 accounts
        let clusterHub = KubernetesGraph.hubNode(Cluster.scope, rule: "kubernetes.sa-token", namespace: nil)
        #expect(clusterHub == "kubernetes:test#all-namespaces/sa-token")
        #expect(graph.edges.filter { $0.from == clusterHub }.count == 33)
        #expect(graph.targets(of: Cluster.sa("ops/minter-0"), rule: "kubernetes.sa-token").count == 33)
        // And the shared named rule is one hub reaching its 10 accounts, each holder holding it once
        let impersonation = graph.edges.filter { $0.rule == "kubernetes.impersonate" }
        #expect(impersonation.count == 30 + 10)
        #expect(graph.targets(of: Cluster.sa("team/sa-20"), rule: "kubernetes.impersonate") == Set(names.map { Cluster.sa("team/\($0)") }))
        #expect(graph.nodes.keys.contains { $0.hasPrefix("kubernetes:test#names/impersonate/") })
    }

    @Test func fiveThousandAccountsAndTwoThousandRolesBuildQuicklyAndLinearly() {
        // Given 5,000 accounts in 250 namespaces, 2,000 roles, each namespace's accounts able to create pods there,
        // a tenth able to read Secrets cluster-wide, and one workload per account
        var c = Cluster()
        let readSecrets = c.clusterRole("secret-reader", [rule([""], ["secrets"], ["get", "list", "watch"])])
        for n in 0..<250 {
            let namespace = "ns-\(n)"
            c.namespace(namespace, enforce: n.isMultiple(of: 2) ? "restricted" : nil)
            for r in 0..<8 {
                let role = c.role(
                    namespace,
                    "role-\(r)",
                    [
                        rule([""], ["configmaps"], ["get", "list"]), rule(["apps"], ["deployments"], r == 0 ? ["create"] : ["get"]),
                        rule([""], r == 1 ? ["pods"] : ["services"], ["create", "get"]),
                    ]
                )
                c.bind("binding-\(r)", namespace: namespace, role, to: ["group:system:serviceaccounts:\(namespace)"])
            }
            for i in 0..<20 {
                c.account("\(namespace)/sa-\(i)")
                c.workload(namespace, "Deployment", "app-\(i)", runsAs: "sa-\(i)")
                if i == 0 { c.bind("secrets-\(n)", readSecrets, to: ["\(namespace)/sa-\(i)"]) }
            }
        }
        let estate = c.finished
        let start = Date()
        let graph = KubernetesGraph.fragment(for: estate)
        let elapsed = Date().timeIntervalSince(start)
        // Then the graph stays linear in accounts (no account-pair blow-up), and builds in seconds even unoptimised
        #expect(graph.edges.count < 20 * 5_000)
        #expect(elapsed < 30, "built in \(elapsed) s")
        print("5,000 accounts, 2,000 roles: \(graph.edges.count) edges in \(String(format: "%.2f", elapsed)) s")
    }

    // MARK: The example

    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/graph/kubernetes")

    struct Expected: Decodable {
        struct Vulnerable: Decodable {
            var serviceAccount: String
            var rule: String
            var reachesAdmin: Bool
        }

        struct Safe: Decodable {
            var serviceAccount: String
            var notRule: String
            var target: String?
        }

        var vulnerable: [Vulnerable]
        var safe: [Safe]
    }

    @Test func exampleClusterGivesExactlyTheExpectedEdges() throws {
        // Given the example export, read through the connector
        let connector = KubernetesConnector(asOf: Date(timeIntervalSince1970: 1_763_625_600))
        let found = try connector.discover([Self.example.path])
        let result = try connector.read(found.files)
        let estate = try #require(result.estates.first { $0.scope == "kubernetes:graph-demo" })
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.example.appendingPathComponent("expected.json")))
        // When the graph is built
        let graph = KubernetesGraph.fragment(for: estate)
        func id(_ ref: String) -> String {
            switch ref {
            case "admin": GraphFragment.adminNode(estate.scope)
            case "nodes": KubernetesGraph.nodesNode(estate.scope)
            default: "kubernetes:graph-demo/\(ref)"
            }
        }
        // Then every vulnerable account has its edge, and reaches the admin node exactly when expected
        for item in expected.vulnerable {
            #expect(graph.rules(from: id(item.serviceAccount)).contains(item.rule), "\(item.serviceAccount) lacks \(item.rule)")
            #expect(graph.reachesAdmin(id(item.serviceAccount)) == item.reachesAdmin, "\(item.serviceAccount) reachesAdmin")
        }
        // And no look-alike has the edge it must not have
        for item in expected.safe {
            let targets = graph.targets(of: id(item.serviceAccount), rule: item.notRule)
            if let target = item.target {
                #expect(!targets.contains(id(target)), "\(item.serviceAccount) has \(item.notRule) to \(target)")
            } else {
                #expect(targets.isEmpty, "\(item.serviceAccount) has \(item.notRule)")
            }
        }
        // And the connector put Pod Security levels and privileged pod specs on the resources
        let namespaces = Dictionary(
            estate.resources.filter { $0.type == "kubernetes.namespace" }.map { ($0.name, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        #expect(namespaces["pod-create-restricted"]?.attributes["podSecurityEnforce"] == "restricted")
        #expect(namespaces["privileged-pods"]?.attributes["podSecurityEnforce"] == nil)
        let agent = try #require(estate.resources.first { $0.name == "privileged-pods/node-agent" })
        #expect(agent.attributes["privileged"] == "true" && agent.attributes["hostPath"] == "true" && agent.attributes["hostPID"] == nil)
        // And the nodes hold the tokens of the accounts running pods mount: root's, not idle-admin's
        let nodeTargets = graph.targets(of: KubernetesGraph.nodesNode(estate.scope), rule: "kubernetes.node-tokens")
        #expect(nodeTargets.contains(id("admin-sa/root")) && !nodeTargets.contains(id("admin-sa/idle-admin")))
    }
}

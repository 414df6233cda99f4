public import RosterModel

/// Builds a Kubernetes cluster's part of the access graph: every edge rule over every service account.
///
/// Nodes, besides the service accounts (`kubernetes:<cluster>/<ns>/<name>`):
/// - the cluster's admin node, `admin:kubernetes:<cluster>` (``GraphFragment/adminNode(_:)``);
/// - the cluster's nodes, `kubernetes:<cluster>#nodes` ("every node of cluster X"): whoever runs a privileged
///   pod or uses the kubelet API reaches it, and it reaches (rule `kubernetes.node-tokens`) every account whose
///   token a running pod mounts;
/// - hubs, where many accounts reach many by one technique: `kubernetes:<cluster>#ns/<ns>/<technique>`
///   (`kubernetes:prod#ns/payments/pod-create`) for the accounts of one namespace,
///   `kubernetes:<cluster>#all-namespaces/<technique>` for rights held cluster-wide, and
///   `kubernetes:<cluster>#names/<technique>/<n>` for one rule with `resourceNames` that many accounts hold (a
///   RoleBinding to a group, say). Each source has a `holds` edge to the hub, carrying its statements and the
///   technique's rule id, and the hub a `can-take-over` edge (same rule) to each target, so a thousand accounts
///   that can create pods in a namespace of a thousand accounts make two thousand edges, not a million. A hub is
///   used only when it saves edges (sources × targets over ``hubThreshold``, at least two of each).
///
/// Edges are `can-take-over` from the service account, with the technique's rule id, a reason naming the verbs,
/// resources, namespace and the roles and bindings, and the deciding rules as ``StatementRef``s (role id, rule index,
/// binding id as `sid`). A binding to a role the export does not hold gives no edge (the privilege evaluator reports it).
/// Each rule's `edges(in:principal:)` gives the edges from the principal and the hub edges into it, so every rule
/// over every principal is the whole fragment.
///
/// For example:
/// ```swift
/// let fragment = KubernetesGraph.fragment(for: estate)
/// fragment.edges.filter { $0.to == GraphFragment.adminNode(estate.scope) }   // who administers the cluster, and how
/// ```
public enum KubernetesGraph {
    /// Every Kubernetes edge rule; ids are a contract.
    public static let rules: [EdgeRule<KubernetesGraphContext>] = KubernetesEdgeRules.all

    /// Above this many direct edges (sources × targets), a namespace's fan goes through a hub.
    public static let hubThreshold = 64

    /// The attribute of a `kubernetes.namespace` resource holding its `pod-security.kubernetes.io/enforce` label.
    public static let podSecurityEnforceAttribute = "podSecurityEnforce"

    /// The node standing for every node of a cluster: `kubernetes:prod-eks#nodes`.
    public static func nodesNode(_ scope: String) -> String { scope + "#nodes" }

    /// A hub: `kubernetes:prod#ns/payments/pod-create`, or `kubernetes:prod#all-namespaces/pod-create`.
    public static func hubNode(_ scope: String, rule: String, namespace: String?) -> String {
        let technique = rule.hasPrefix("kubernetes.") ? String(rule.dropFirst("kubernetes.".count)) : rule
        return scope + (namespace.map { "#ns/\($0)/" } ?? "#all-namespaces/") + technique
    }

    /// A hub for one rule whose `resourceNames` many accounts hold: `kubernetes:prod#names/sa-token/0`.
    public static func namedHubNode(_ scope: String, rule: String, index: Int) -> String {
        let technique = rule.hasPrefix("kubernetes.") ? String(rule.dropFirst("kubernetes.".count)) : rule
        return "\(scope)#names/\(technique)/\(index)"
    }

    public static func fragment(for estate: Estate) -> GraphFragment {
        guard estate.scope.hasPrefix("kubernetes:") else { return GraphFragment() }
        let context = KubernetesGraphContext(estate: estate)
        guard !context.principals.isEmpty else { return GraphFragment() }
        var fragment = GraphFragment(nodes: [
            context.adminNode: "administrator of Kubernetes cluster \(context.cluster)",
            context.nodesNode: "every node of cluster \(context.cluster)",
        ])
        fragment.nodes.merge(context.hubLabels) { a, _ in a }
        let rules = Self.rules
        let perPrincipal =
            (try? Parallel.mapped(Array(context.principals.indices)) { principal in
                rules.flatMap { $0.edges(in: context, principal: principal) }
            }) ?? []
        for edges in perPrincipal { fragment.edges += edges }
        return fragment
    }

    /// The namespace (nil for a ClusterRole) and name of a role, from its policy id (`<scope>/ClusterRole/<name>`,
    /// `<scope>/<ns>/Role/<name>`).
    static func roleRef(_ policyId: String, scope: String) -> (namespace: String?, name: String)? {
        guard policyId.hasPrefix(scope + "/") else { return nil }
        let parts = policyId.dropFirst(scope.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0] == "ClusterRole" { return (nil, String(parts[1])) }
        if parts.count == 3, parts[1] == "Role" { return (String(parts[0]), String(parts[2])) }
        return nil
    }
}

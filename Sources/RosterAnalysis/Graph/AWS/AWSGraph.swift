public import RosterModel

/// Builds an AWS account's part of the access graph: every edge rule over every principal.
///
/// Self rules run per principal. Target rules run once per policy set; when a set has several
/// holders and its rules give edges, the edges hang on one node for the set (`aws:policy-set:…`,
/// kind `holds` from each holder) instead of being repeated per holder, so a thousand principals
/// that may create keys for a thousand users make two thousand edges, not a million.
///
/// For example:
/// ```swift
/// let fragment = AWSGraph.fragment(for: estate, index: EstateIndex([estate]))
/// fragment.edges.filter { $0.to == GraphFragment.adminNode(estate.scope) }   // who is admin, and how
/// ```
public enum AWSGraph {
    public static var rules: [EdgeRule<AWSGraphContext>] { AWSEdgeRules.all }

    public static func fragment(for estate: Estate, index: EstateIndex) -> GraphFragment {
        guard estate.scope.hasPrefix("aws:") else { return GraphFragment() }
        let context = AWSGraphContext(estate: estate, index: index)
        guard !context.principals.isEmpty else { return GraphFragment() }
        var fragment = GraphFragment(nodes: [context.adminNode: "administrator of AWS account \(context.account)"])
        for kind in AWSEdgeRules.sensitiveKinds {
            fragment.nodes[AWSEdgeRules.sensitiveNode(account: context.account, kind: kind.kind)] = "\(kind.label) of \(context.account)"
        }

        // Self rules, per principal; target rules, per policy set, in parallel chunks.
        let decided = collect(Array(context.holders.indices)) { set in
            let holder = context.holders[set][0]
            let admin = AWSEdgeRules.administrator.edges(in: context, principal: holder)
            // An administrator outright reaches everything already: only its sensitive access is worth listing.
            if admin.contains(where: { $0.conditions.isEmpty }) { return admin + AWSEdgeRules.sensitiveAccess.edges(in: context, principal: holder) }
            return admin + AWSEdgeRules.targetRules.filter { $0.id != AWSEdgeRules.administrator.id }.flatMap { $0.edges(in: context, principal: holder) }
        }
        // An administrator outright needs no escalation: its self rules would only repeat that.
        let outright = Set(decided.indices.filter { set in decided[set].contains { $0.rule == AWSEdgeRules.administrator.id && $0.conditions.isEmpty } })
        for edges in collect(Array(context.principals.indices), { principal in
            outright.contains(context.setOf[principal]) ? [] : AWSEdgeRules.selfRules.flatMap { $0.edges(in: context, principal: principal) }
        }) { fragment.edges += edges.filter { $0.from != $0.to } }

        var expansions: Set<String> = []
        let setEdges = decided.map { compact($0, context: context, expansions: &expansions) }
        for node in expansions.sorted() {
            let (label, targets) = node.hasSuffix(":every-user") ? ("every IAM user of \(context.account)", context.users) : ("every IAM role of \(context.account)", context.changeableRoles)
            fragment.nodes[node] = label
            fragment.edges += targets.map { Edge(from: node, to: $0.id, kind: .expandsTo, rule: "aws.every", reason: "\(label) includes \($0.name)") }
        }
        for (set, edges) in setEdges.enumerated() where !edges.isEmpty {
            let holders = context.holders[set]
            if holders.count == 1 {
                // Passing a role to a service as itself, taking a key of itself: nothing gained.
                fragment.edges += edges.filter { $0.from != $0.to }
                continue
            }
            let node = "aws:policy-set:\(context.account):\(set)"
            let first = context.principals[holders[0]]
            fragment.nodes[node] = "the policies \(first.name) and \(holders.count - 1) other principal(s) of \(context.account) hold"
            for edge in edges {
                var shared = edge
                shared.from = node
                fragment.edges.append(shared)
            }
            for holder in holders {
                fragment.edges.append(Edge(
                    from: context.principals[holder].id, to: node, kind: .holds, rule: "aws.policy-set",
                    reason: "it holds the same policies as \(holders.count - 1) other principal(s)"))
            }
        }
        return fragment
    }

    /// Rules whose targets are every user or every (changeable) role of the account.
    static let everyUserRules: Set<String> = [AWSEdgeRules.createAccessKey.id, AWSEdgeRules.loginProfile.id]
    static let everyRoleRules: Set<String> = [AWSEdgeRules.updateAssumeRolePolicy.id]
    /// Below this many targets, one edge each is as small as the shared node.
    static let expansionThreshold = 16

    /// One principal's (or policy set's) edges, with a rule that reaches every user (or every changeable role)
    /// by the same statements folded into one edge to the account's `every-user` (`every-role`) node.
    static func compact(_ edges: [Edge], context: AWSGraphContext, expansions: inout Set<String>) -> [Edge] {
        var out: [Edge] = []
        var byRule: [String: [Edge]] = [:]
        for edge in edges {
            if everyUserRules.contains(edge.rule) || everyRoleRules.contains(edge.rule) { byRule[edge.rule, default: []].append(edge) } else { out.append(edge) }
        }
        for (rule, group) in byRule.sorted(by: { $0.key < $1.key }) {
            let every = everyUserRules.contains(rule)
            let total = every ? context.users.count : context.changeableRoles.count
            let first = group[0]
            let uniform = group.allSatisfy { $0.statements == first.statements && $0.conditions == first.conditions }
            guard total >= expansionThreshold, group.count == total, uniform else {
                out += group
                continue
            }
            let node = "aws:\(context.account):\(every ? "every-user" : "every-role")"
            expansions.insert(node)
            var folded = first
            folded.to = node
            folded.reason = every
                ? "it can call \(rule == AWSEdgeRules.createAccessKey.id ? "iam:CreateAccessKey" : "iam:CreateLoginProfile/UpdateLoginProfile") on every user of the account"
                : "it can call iam:UpdateAssumeRolePolicy on every role of the account, make one trust itself and assume it"
            out.append(folded)
        }
        return out
    }

    /// `transform` over `values` on every core, results in order.
    static func collect<T: Sendable, R>(_ values: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        (try? Parallel.mapped(values, transform)) ?? []
    }
}

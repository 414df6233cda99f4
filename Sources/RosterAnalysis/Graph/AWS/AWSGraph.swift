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
        let setEdges = collect(Array(context.holders.indices)) { set in
            let holder = context.holders[set][0]
            let admin = AWSEdgeRules.administrator.edges(in: context, principal: holder)
            // An administrator outright reaches everything already: only its sensitive access is worth listing.
            if admin.contains(where: { $0.conditions.isEmpty }) { return admin + AWSEdgeRules.sensitiveAccess.edges(in: context, principal: holder) }
            return admin + AWSEdgeRules.targetRules.filter { $0.id != AWSEdgeRules.administrator.id }.flatMap { $0.edges(in: context, principal: holder) }
        }
        // An administrator outright needs no escalation: its self rules would only repeat that.
        let outright = Set(setEdges.indices.filter { set in setEdges[set].contains { $0.rule == AWSEdgeRules.administrator.id && $0.conditions.isEmpty } })
        for edges in collect(Array(context.principals.indices), { principal in
            outright.contains(context.setOf[principal]) ? [] : AWSEdgeRules.selfRules.flatMap { $0.edges(in: context, principal: principal) }
        }) { fragment.edges += edges.filter { $0.from != $0.to } }

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

    /// `transform` over `values` on every core, results in order.
    static func collect<T: Sendable, R>(_ values: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        (try? Parallel.mapped(values, transform)) ?? []
    }
}

public import RosterModel

/// Builds a GCP project's part of the access graph: every edge rule over every role binding.
///
/// Edges go from service accounts (the principals the connector imports) to the service accounts
/// they can act as, and to the project's admin node (`admin:gcp:<project>`) for those that control
/// its IAM policy. A binding with several members that reaches several accounts hangs its edges on
/// a node of its own (`gcp:binding:…`, reached by `holds` edges; see ``GCPGraphContext``).
///
/// For example:
/// ```swift
/// let fragment = GCPGraph.fragment(for: estate)
/// fragment.edges.filter { $0.to == GraphFragment.adminNode(estate.scope) }   // who controls the project, and how
/// ```
public enum GCPGraph {
    public static let rules: [EdgeRule<GCPGraphContext>] = GCPEdgeRules.all

    public static func fragment(for estate: Estate) -> GraphFragment {
        guard estate.scope.hasPrefix("gcp:") else { return GraphFragment() }
        let context = GCPGraphContext(estate: estate)
        var fragment = GraphFragment()
        // Several rules share a binding's node: its holds edges are kept once.
        var held: Set<String> = []
        for index in 0..<context.bindingCount {
            for rule in rules {
                for edge in rule.edges(in: context, principal: index) {
                    if edge.kind == .holds {
                        guard held.insert(edge.from + "\u{0}" + edge.to).inserted else { continue }
                        fragment.nodes[edge.to] = GCPGraphContext.label(ofHub: edge.to)
                    }
                    if edge.to == context.adminNode { fragment.nodes[edge.to] = "administrator of GCP project \(context.project)" }
                    fragment.edges.append(edge)
                }
            }
        }
        return fragment
    }
}

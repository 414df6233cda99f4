public import RosterModel

/// The access graph's part for one estate, from its provider's builder, and the rules behind it.
public enum GraphBuilder {
    public static func fragment(for estate: Estate, index: EstateIndex) -> GraphFragment {
        switch estate.scope.split(separator: ":").first {
        case "aws": AWSGraph.fragment(for: estate, index: index)
        case "gcp": GCPGraph.fragment(for: estate)
        case "azure": AzureGraph.fragment(for: estate)
        case "kubernetes": KubernetesGraph.fragment(for: estate)
        default: GraphFragment()
        }
    }

    /// Whether the graph follows an edge a source stated. GCP's import states "may act as" for
    /// every service-account user binding; the GCP edge rules decide that (actAs needs a way to run
    /// code too), so the stated edge is left to them.
    public static func follows(_ edge: Edge) -> Bool {
        !(edge.kind == .actsAs && edge.rule == "gcp.import")
    }

    /// Every edge rule, for listings.
    public static var rules: [EdgeRuleInfo] {
        var seen: Set<String> = []
        let all = AWSGraph.rules.map(\.info) + KubernetesGraph.rules.map(\.info) + GCPGraph.rules.map(\.info) + AzureGraph.rules.map(\.info)
        return all.filter { seen.insert($0.id).inserted }
    }
}

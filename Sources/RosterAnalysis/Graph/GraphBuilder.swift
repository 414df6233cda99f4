public import RosterModel

/// The access graph's part for one estate, from its provider's builder.
public enum GraphBuilder {
    public static func fragment(for estate: Estate, index: EstateIndex) -> GraphFragment {
        switch estate.scope.split(separator: ":").first {
        case "aws": AWSGraph.fragment(for: estate, index: index)
        default: GraphFragment()
        }
    }

    /// Every edge rule, for listings.
    public static var rules: [EdgeRuleInfo] {
        var seen: Set<String> = []
        return AWSGraph.rules.map(\.info).filter { seen.insert($0.id).inserted }
    }
}

extension PolicyStatement {
    /// Whether the statement's Action element covers `action` (AWS matching: case-insensitive, `*` and `?` wildcards).
    public func coversAction(_ action: String) -> Bool {
        switch actions {
        case .only(let patterns): patterns.contains { Wildcard.matches($0, action, caseInsensitive: true) }
        case .except(let patterns): !patterns.contains { Wildcard.matches($0, action, caseInsensitive: true) }
        case nil: false
        }
    }
}

/// AWS's wildcard matching for actions and ARNs: `*` any run of characters, `?` any one.
///
/// For example, `Wildcard.matches("s3:Get*", "s3:GetObject", caseInsensitive: true)` is true.
public enum Wildcard {
    public static func matches(_ pattern: String, _ value: String, caseInsensitive: Bool) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).utf8)
        let v = Array((caseInsensitive ? value.lowercased() : value).utf8)
        var pi = 0
        var vi = 0
        var star = -1
        var mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == v[vi]) {
                pi += 1
                vi += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

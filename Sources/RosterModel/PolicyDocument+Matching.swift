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
        // Fast paths for the shapes that dominate real policies.
        if pattern == "*" { return true }
        var pattern = pattern
        var value = value
        return pattern.withUTF8 { p in
            value.withUTF8 { v in
                match(p, v, fold: caseInsensitive)
            }
        }
    }

    private static func match(_ p: UnsafeBufferPointer<UInt8>, _ v: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { fold && b >= 65 && b <= 90 ? b | 0x20 : b }
        let star = UInt8(ascii: "*")
        let question = UInt8(ascii: "?")
        var pi = 0
        var vi = 0
        var starAt = -1
        var mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == question || lower(p[pi]) == lower(v[vi])) && p[pi] != star {
                pi += 1
                vi += 1
            } else if pi < p.count && p[pi] == star {
                starAt = pi
                mark = vi
                pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == star { pi += 1 }
        return pi == p.count
    }
}

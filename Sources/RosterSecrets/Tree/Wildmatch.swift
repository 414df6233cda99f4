/// Git's glob dialect (wildmatch), on bytes.
///
/// With `pathname` on, `*`, `?` and `[...]` do not match `/`, and `**` spans directories only
/// when it stands alone between slashes (`**/x`, `x/**`, `x/**/y`); elsewhere it is a plain `*`.
/// `[...]` takes ranges, `!` or `^` negation, `\` escapes, a leading `]` as a member, and the
/// POSIX classes (`[[:digit:]]`).
///
/// Backtracking is bounded the way git bounds it: a star stops trying longer spans once the text
/// has run out under the rest of the pattern (nothing longer can help), and a single star stops
/// at a `/` and tells an enclosing `**` to carry on instead. Without this a hostile `.gitignore`
/// (`*a*a*a*a*a*b`) in a scanned repository would cost exponential time.
struct Wildmatch {
    let pattern: [UInt8]
    let text: ArraySlice<UInt8>
    let pathname: Bool

    private enum Outcome {
        case match, noMatch
        /// The text ran out before the pattern: no longer span of an enclosing star can match.
        case abortAll
        /// A single star met a `/`: only an enclosing `**` may go on.
        case abortToStarStar
    }

    func matches() -> Bool { match(pattern.startIndex, text.startIndex) == .match }

    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")
    private static let backslash = UInt8(ascii: "\\")

    private func match(_ start: Int, _ textStart: Int) -> Outcome {
        var p = start
        var t = textStart
        while p < pattern.endIndex {
            let pc = pattern[p]
            if t == text.endIndex && pc != Self.star { return .abortAll }
            switch pc {
            case Self.backslash:
                p += 1
                // A trailing backslash escapes nothing and matches nothing, as in git.
                guard p < pattern.endIndex, text[t] == pattern[p] else { return .noMatch }
            case UInt8(ascii: "?"):
                if pathname && text[t] == Self.slash { return .noMatch }
            case Self.star:
                return matchStar(at: p, t)
            case UInt8(ascii: "["):
                guard let (matched, end) = matchClass(at: p, text[t]) else { return .abortAll }
                if !matched || (pathname && text[t] == Self.slash) { return .noMatch }
                p = end
            default:
                if text[t] != pc { return .noMatch }
            }
            p += 1
            t += 1
        }
        return t == text.endIndex ? .match : .noMatch
    }

    /// A run of stars at `p`: tries every span of text it may cover.
    private func matchStar(at star: Int, _ t: Int) -> Outcome {
        var p = star
        while p < pattern.endIndex && pattern[p] == Self.star { p += 1 }
        var crossesSlash = !pathname
        if pathname && p - star >= 2 {
            let startsComponent = star == pattern.startIndex || pattern[star - 1] == Self.slash
            let endsComponent =
                p == pattern.endIndex || pattern[p] == Self.slash
                || (pattern[p] == Self.backslash && p + 1 < pattern.endIndex && pattern[p + 1] == Self.slash)
            if startsComponent && endsComponent {
                // `**/` may also stand for no directory at all: `a/**/b` matches `a/b`.
                if p < pattern.endIndex && pattern[p] == Self.slash && match(p + 1, t) == .match { return .match }
                crossesSlash = true
            }
        }
        if p == pattern.endIndex {
            // A trailing star takes the rest of the text, unless that holds a `/` it may not cross.
            if !crossesSlash && text[t...].contains(Self.slash) { return .abortToStarStar }
            return .match
        }
        var k = t
        while true {
            switch match(p, k) {
            case .match: return .match
            case .abortAll: return .abortAll
            case .abortToStarStar where !crossesSlash: return .abortToStarStar
            case .noMatch, .abortToStarStar: break
            }
            if k == text.endIndex { return .abortAll }
            if !crossesSlash && text[k] == Self.slash { return .abortToStarStar }
            k += 1
        }
    }

    /// A bracket expression at `p` against one byte: whether it matched, and the index of its
    /// closing `]`; nil when the expression is never closed (then nothing can match).
    private func matchClass(at open: Int, _ c: UInt8) -> (Bool, Int)? {
        var p = open + 1
        guard p < pattern.endIndex else { return nil }
        let negated = pattern[p] == UInt8(ascii: "!") || pattern[p] == UInt8(ascii: "^")
        if negated { p += 1 }
        var matched = false
        var previous: UInt8? = nil
        // The first member is read before looking for `]`, so `[]a]` holds `]`.
        var first = true
        while true {
            guard p < pattern.endIndex else { return nil }
            var member = pattern[p]
            if member == UInt8(ascii: "]") && !first { break }
            first = false
            if member == Self.backslash {
                p += 1
                guard p < pattern.endIndex else { return nil }
                member = pattern[p]
                if c == member { matched = true }
                previous = member
            } else if member == UInt8(ascii: "-"), let low = previous, p + 1 < pattern.endIndex, pattern[p + 1] != UInt8(ascii: "]") {
                p += 1
                var high = pattern[p]
                if high == Self.backslash {
                    p += 1
                    guard p < pattern.endIndex else { return nil }
                    high = pattern[p]
                }
                if low <= c && c <= high { matched = true }
                previous = nil
            } else if member == UInt8(ascii: "["), p + 1 < pattern.endIndex, pattern[p + 1] == UInt8(ascii: ":") {
                let nameStart = p + 2
                guard let close = pattern[nameStart...].firstIndex(of: UInt8(ascii: "]")) else { return nil }
                if close - 1 >= nameStart && pattern[close - 1] == UInt8(ascii: ":") {
                    guard let inClass = Self.posixClass(pattern[nameStart..<(close - 1)], c) else { return nil }
                    if inClass { matched = true }
                    p = close
                    previous = nil
                } else {
                    // No `:]`: the `[` is an ordinary member.
                    if c == member { matched = true }
                    previous = member
                }
            } else {
                if c == member { matched = true }
                previous = member
            }
            p += 1
        }
        return (matched != negated, p)
    }

    /// Membership in a POSIX class by name; nil for an unknown name (git then matches nothing).
    private static func posixClass(_ name: ArraySlice<UInt8>, _ c: UInt8) -> Bool? {
        let isUpper = (0x41...0x5A).contains(c)
        let isLower = (0x61...0x7A).contains(c)
        let isDigit = (0x30...0x39).contains(c)
        let isPrint = (0x20...0x7E).contains(c)
        let isSpace = c == 0x20 || (0x09...0x0D).contains(c)
        switch String(decoding: name, as: UTF8.self) {
        case "alnum": return isUpper || isLower || isDigit
        case "alpha": return isUpper || isLower
        case "blank": return c == 0x20 || c == 0x09
        case "cntrl": return c < 0x20 || c == 0x7F
        case "digit": return isDigit
        case "graph": return isPrint && c != 0x20
        case "lower": return isLower
        case "print": return isPrint
        case "punct": return isPrint && c != 0x20 && !(isUpper || isLower || isDigit)
        case "space": return isSpace
        case "upper": return isUpper
        case "xdigit": return isDigit || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
        default: return nil
        }
    }
}

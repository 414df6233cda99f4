import Foundation

/// What an IAM condition on a GCP binding says at the time an export was observed.
///
/// A condition is a CEL expression over the request (https://cloud.google.com/iam/docs/conditions-overview).
/// The export fixes only the time, so only what is decided by it is decided here: `true`, `false`,
/// and comparisons of `request.time` with a `timestamp("…")`, joined by `&&`, `||` and parentheses.
/// A binding whose condition expired before the export (`request.time < timestamp(past)`) grants
/// nothing, now or later. Anything else (the resource's name or type, a date to come) is undecided.
///
/// For example:
/// ```swift
/// GCPCondition.evaluate("request.time < timestamp(\"2020-01-01T00:00:00Z\")", at: now)   // .never
/// GCPCondition.evaluate("resource.name.startsWith(\"projects/_/buckets/x\")", at: now)   // .unknown
/// ```
enum GCPCondition {
    enum Verdict: Hashable, Sendable {
        /// Holds when the export was observed; the note says until when, if it expires.
        case holds(String?)
        /// Cannot hold, now or later; why.
        case never(String)
        /// Depends on what the export does not fix; what.
        case unknown(String)
    }

    static func evaluate(_ expression: String, at now: Date) -> Verdict {
        evaluate(Substring(expression), now: now)
    }

    private static func evaluate(_ text: Substring, now: Date) -> Verdict {
        let expression = unwrap(trim(text))
        let alternatives = split(expression, on: "||")
        if alternatives.count > 1 { return any(alternatives.map { evaluate($0, now: now) }) }
        let conjuncts = split(expression, on: "&&")
        if conjuncts.count > 1 { return all(conjuncts.map { evaluate($0, now: now) }) }
        return atom(expression, now: now)
    }

    private static func any(_ verdicts: [Verdict]) -> Verdict {
        var unknown: String?
        var reasons: [String] = []
        for verdict in verdicts {
            switch verdict {
            case .holds: return verdict
            case .unknown(let why): unknown = unknown ?? why
            case .never(let why): reasons.append(why)
            }
        }
        return unknown.map(Verdict.unknown) ?? .never(reasons.joined(separator: "; "))
    }

    private static func all(_ verdicts: [Verdict]) -> Verdict {
        var unknown: String?
        var note: String?
        for verdict in verdicts {
            switch verdict {
            case .never: return verdict
            case .unknown(let why): unknown = unknown ?? why
            case .holds(let until): note = note ?? until
            }
        }
        return unknown.map(Verdict.unknown) ?? .holds(note)
    }

    private static func atom(_ text: Substring, now: Date) -> Verdict {
        switch text {
        case "true": return .holds(nil)
        case "false": return .never("it is `false`")
        default: break
        }
        if let comparison = timeComparison(text) {
            let (op, date) = comparison
            let when = ISO8601DateFormatter().string(from: date)
            switch op {
            case "<", "<=":
                let holds = op == "<" ? now < date : now <= date
                return holds ? .holds("until \(when)") : .never("it expired at \(when), before the export was observed")
            default:
                let holds = op == ">" ? now > date : now >= date
                return holds ? .holds(nil) : .unknown("it holds only from \(when), after the export was observed")
            }
        }
        return .unknown("`\(text.prefix(200))` depends on the request, which the export does not fix")
    }

    /// `request.time OP timestamp("…")`, or the same the other way round, as the operator with `request.time` on the left.
    private static func timeComparison(_ text: Substring) -> (String, Date)? {
        for op in ["<=", ">=", "<", ">"] {
            guard let range = text.range(of: op) else { continue }
            let left = trim(text[..<range.lowerBound])
            let right = trim(text[range.upperBound...])
            if left == "request.time", let date = timestamp(right) { return (op, date) }
            if right == "request.time", let date = timestamp(left) {
                let flipped = ["<=": ">=", ">=": "<=", "<": ">", ">": "<"][op]!
                return (flipped, date)
            }
            return nil
        }
        return nil
    }

    /// The date of `timestamp("2024-01-01T00:00:00Z")` (single or double quotes).
    private static func timestamp(_ text: Substring) -> Date? {
        guard text.hasPrefix("timestamp("), text.hasSuffix(")") else { return nil }
        var inner = trim(text.dropFirst("timestamp(".count).dropLast())
        guard let quote = inner.first, quote == "\"" || quote == "'", inner.count >= 2, inner.last == quote else { return nil }
        inner = inner.dropFirst().dropLast()
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: String(inner)) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(inner))
    }

    // MARK: Text

    static func trim(_ text: Substring) -> Substring {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start].isWhitespace { start = text.index(after: start) }
        while end > start, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
        return text[start..<end]
    }

    /// The expression without parentheses that enclose all of it.
    private static func unwrap(_ text: Substring) -> Substring {
        var current = text
        while current.first == "(", current.last == ")", closing(ofOpeningAt: current.startIndex, in: current) == current.index(before: current.endIndex) {
            current = trim(current.dropFirst().dropLast())
        }
        return current
    }

    private static func closing(ofOpeningAt open: Substring.Index, in text: Substring) -> Substring.Index? {
        var depth = 0
        var quote: Character?
        var index = open
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == "\\" { index = text.index(after: index) } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return nil
    }

    /// The parts of `text` between occurrences of `op` outside parentheses and string literals.
    private static func split(_ text: Substring, on op: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var quote: Character?
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == "\\" {
                    index = text.index(after: index)
                    if index < text.endIndex { index = text.index(after: index) }
                    continue
                }
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            } else if depth == 0, text[index...].hasPrefix(op) {
                parts.append(text[start..<index])
                index = text.index(index, offsetBy: op.count)
                start = index
                continue
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }
}

public import RosterModel
import Foundation

/// Evaluates the `Condition` element of AWS policies against what a request is known to carry.
///
/// The rules are the IAM User Guide's: "IAM JSON policy elements: Condition operators" (operators,
/// `…IfExists`, `Null`), "Single-valued vs. multivalued context keys" (`ForAnyValue:` and
/// `ForAllValues:`) and "IAM policy elements: Variables and tags" (`${…}` in condition values).
/// A test that needs a key the context does not know is `.undecided`, with a sentence naming the
/// operator and the key; so is an operator this type does not implement. Nothing is guessed.
///
/// Values the policy gets wrong (a number that is not one, a malformed CIDR or date) match no
/// request value: AWS would refuse such a policy, and evaluation must not crash on it.
///
/// For example:
/// ```swift
/// var context = AWSRequestContext()
/// context.set("aws:SourceIp", "203.0.113.7")
/// let onOfficeNetwork = PolicyCondition(operator: "IpAddress", key: "aws:SourceIp", values: ["203.0.113.0/24"])
/// AWSConditions.evaluate(onOfficeNetwork, in: context)   // .matches
/// ```
public enum AWSConditions {
    /// A statement's whole `Condition` block, whose tests must all match (AND).
    ///
    /// `.fails` if any test fails; otherwise `.undecided`, with the reasons joined by "; ", if any
    /// test is undecided; otherwise `.matches`. An empty block matches.
    ///
    /// For example, `[StringEquals aws:PrincipalTag/team = ci, Bool aws:SecureTransport = true]` on
    /// a request from a `ci` principal over HTTPS is `.matches`.
    public static func evaluate(_ conditions: [PolicyCondition], in context: AWSRequestContext) -> ConditionOutcome {
        var reasons: [String] = []
        for condition in conditions {
            switch evaluate(condition, in: context) {
            case .fails: return .fails
            case .undecided(let reason): reasons.append(reason)
            case .matches: continue
            }
        }
        return reasons.isEmpty ? .matches : .undecided(reasons.joined(separator: "; "))
    }

    /// One operator test on one key: the policy's values are ORed, qualifiers and `IfExists` applied.
    ///
    /// The key is looked up case-insensitively. An unknown key, a policy variable whose key is
    /// unknown, or an operator outside the documented set gives `.undecided` with the reason.
    ///
    /// For example, `StringLikeIfExists` on `ec2:InstanceType` with `["t2.*"]` matches a request
    /// without the key and one for `t2.micro`, and fails one for `m5.large`.
    public static func evaluate(_ condition: PolicyCondition, in context: AWSRequestContext) -> ConditionOutcome {
        guard let op = Operator(condition.operator) else {
            return .undecided("unsupported condition operator \(condition.operator)")
        }
        switch context.lookup(condition.key.lowercased()) {
        case .unknown:
            return .undecided(
                "\(condition.operator) on \(condition.key) needs the request's \(condition.key), which the export does not record")
        case .absent:
            return absent(op, condition)
        case .present(let values):
            return present(values, op, condition, context)
        }
    }

    /// The answer for a key the request does not carry.
    ///
    /// "IAM JSON policy elements: Condition operators" (the Important note at the top): a key that
    /// is not in the request context does not match, so a positive operator is false and a
    /// negated one (`StringNotEquals`, `StringNotLike`, `NumericNotEquals`, `DateNotEquals`,
    /// `NotIpAddress`, `ArnNotEquals`, `ArnNotLike`) is true; the exceptions are `…IfExists`, true
    /// when the key is missing (section "…IfExists condition operators"), and `Null` (section
    /// "Condition operator to check existence of condition keys"). "Single-valued vs. multivalued
    /// context keys": `ForAllValues:` is true when the request has no values for the key, and
    /// `ForAnyValue:` false, whether the operator after them is negated or not (the page's
    /// `ForAllValues:StringNotLike` table matches a request without `aws:TagKeys`).
    private static func absent(_ op: Operator, _ condition: PolicyCondition) -> ConditionOutcome {
        if op.test == .null { return nullCheck(keyPresent: false, condition.values) }
        if op.ifExists { return .matches }
        switch op.qualifier {
        case .forAllValues: return .matches
        case .forAnyValue: return .fails
        case .none: return op.negated ? .matches : .fails
        }
    }

    private static func present(
        _ requestValues: [String], _ op: Operator, _ condition: PolicyCondition, _ context: AWSRequestContext
    ) -> ConditionOutcome {
        if op.test == .null { return nullCheck(keyPresent: true, condition.values) }
        let matcher = ValueMatcher(op, condition, context)
        // "Single-valued vs. multivalued context keys": values that resolve to an empty data set
        // (an empty string) make ForAllValues true and ForAnyValue false, as a missing key does.
        let emptySet = requestValues.allSatisfy(\.isEmpty)
        switch op.qualifier {
        case .forAnyValue:
            if emptySet { return .fails }
            return Kleene.any(requestValues.lazy.map { op.apply(matcher.test($0)) })
        case .forAllValues:
            if emptySet { return .matches }
            return Kleene.all(requestValues.lazy.map { op.apply(matcher.test($0)) })
        case .none:
            if requestValues.count == 1 { return op.apply(matcher.test(requestValues[0])) }
            return unqualified(requestValues, op, condition, matcher)
        }
    }

    /// A bare operator on a key with several request values.
    ///
    /// "Single-valued vs. multivalued context keys" says multivalued keys need `ForAnyValue:` or
    /// `ForAllValues:`, but not how a bare operator compares several values. When no request value
    /// matches a policy value, every reading agrees that the positive test fails; otherwise the
    /// answer depends on the reading, so it is undecided.
    private static func unqualified(
        _ requestValues: [String], _ op: Operator, _ condition: PolicyCondition, _ matcher: ValueMatcher
    ) -> ConditionOutcome {
        var pending: String?
        for value in requestValues {
            switch matcher.test(value) {
            case .fails: continue
            case .undecided(let reason): pending = pending ?? reason
            case .matches:
                return .undecided(
                    "\(condition.operator) on \(condition.key) meets \(requestValues.count) request values without ForAnyValue: or "
                        + "ForAllValues:, and AWS does not document how a bare operator compares several values")
            }
        }
        if let pending { return .undecided(pending) }
        return op.apply(.fails)
    }

    /// `Null`: `"true"` asks for the key to be absent, `"false"` for it to be present; values are ORed.
    private static func nullCheck(keyPresent: Bool, _ values: [String]) -> ConditionOutcome {
        let wanted = keyPresent ? "false" : "true"
        return values.contains { $0.lowercased() == wanted } ? .matches : .fails
    }
}

extension AWSConditions {
    /// Three-valued AND and OR over outcomes: a decided answer wins over an undecided one when it settles the result.
    enum Kleene {
        static func any(_ outcomes: some Sequence<ConditionOutcome>) -> ConditionOutcome {
            var pending: String?
            for outcome in outcomes {
                switch outcome {
                case .matches: return .matches
                case .undecided(let reason): pending = pending ?? reason
                case .fails: continue
                }
            }
            return pending.map(ConditionOutcome.undecided) ?? .fails
        }

        static func all(_ outcomes: some Sequence<ConditionOutcome>) -> ConditionOutcome {
            var pending: String?
            for outcome in outcomes {
                switch outcome {
                case .fails: return .fails
                case .undecided(let reason): pending = pending ?? reason
                case .matches: continue
                }
            }
            return pending.map(ConditionOutcome.undecided) ?? .matches
        }
    }
}

// MARK: - Operators

extension AWSConditions {
    /// A condition operator as written, taken apart: `ForAnyValue:StringNotLikeIfExists` is a
    /// negated `StringLike` test with the `ForAnyValue` qualifier and `IfExists`.
    struct Operator: Sendable {
        enum Qualifier: Sendable { case none, forAnyValue, forAllValues }

        enum Test: Hashable, Sendable {
            case stringEquals, stringEqualsIgnoreCase, stringLike
            case numeric(Comparison), date(Comparison)
            case bool, binary, ipAddress, arn, null

            /// Whether `${…}` in values is a policy variable: for string and ARN operators ("IAM
            /// policy elements: Variables and tags"), and `Bool` ("Condition operators", Boolean).
            var takesVariables: Bool {
                switch self {
                case .stringEquals, .stringEqualsIgnoreCase, .stringLike, .arn, .bool: true
                default: false
                }
            }
        }

        enum Comparison: Sendable {
            case equal, less, lessOrEqual, greater, greaterOrEqual

            /// The comparison of a request value (left, as the key is in the policy) with a policy value.
            func holds<T: Comparable>(_ request: T, _ policy: T) -> Bool {
                switch self {
                case .equal: request == policy
                case .less: request < policy
                case .lessOrEqual: request <= policy
                case .greater: request > policy
                case .greaterOrEqual: request >= policy
                }
            }
        }

        let qualifier: Qualifier
        let ifExists: Bool
        let test: Test
        /// `…Not…` operators: true when no policy value matches (for several values, effectively an AND of negations).
        let negated: Bool

        /// The operators the IAM User Guide documents, spelled as it spells them; any other spelling is
        /// left undecided rather than guessed at.
        private static let operators: [String: (test: Test, negated: Bool)] = [
            "StringEquals": (.stringEquals, false), "StringNotEquals": (.stringEquals, true),
            "StringEqualsIgnoreCase": (.stringEqualsIgnoreCase, false), "StringNotEqualsIgnoreCase": (.stringEqualsIgnoreCase, true),
            "StringLike": (.stringLike, false), "StringNotLike": (.stringLike, true),
            "NumericEquals": (.numeric(.equal), false), "NumericNotEquals": (.numeric(.equal), true),
            "NumericLessThan": (.numeric(.less), false), "NumericLessThanEquals": (.numeric(.lessOrEqual), false),
            "NumericGreaterThan": (.numeric(.greater), false), "NumericGreaterThanEquals": (.numeric(.greaterOrEqual), false),
            "DateEquals": (.date(.equal), false), "DateNotEquals": (.date(.equal), true),
            "DateLessThan": (.date(.less), false), "DateLessThanEquals": (.date(.lessOrEqual), false),
            "DateGreaterThan": (.date(.greater), false), "DateGreaterThanEquals": (.date(.greaterOrEqual), false),
            "Bool": (.bool, false), "BinaryEquals": (.binary, false),
            "IpAddress": (.ipAddress, false), "NotIpAddress": (.ipAddress, true),
            "ArnEquals": (.arn, false), "ArnLike": (.arn, false), "ArnNotEquals": (.arn, true), "ArnNotLike": (.arn, true),
            "Null": (.null, false),
        ]

        /// Nil for an operator outside the documented set, an unknown qualifier, or `Null` with
        /// `IfExists` or a qualifier (AWS allows `IfExists` on every operator except `Null`).
        init?(_ written: String) {
            var name = Substring(written)
            var qualifier = Qualifier.none
            if let colon = name.firstIndex(of: ":") {
                switch name[..<colon] {
                case "ForAnyValue": qualifier = .forAnyValue
                case "ForAllValues": qualifier = .forAllValues
                default: return nil
                }
                name = name[name.index(after: colon)...]
            }
            let ifExists = name.hasSuffix("IfExists")
            if ifExists { name = name.dropLast("IfExists".count) }
            guard let entry = Self.operators[String(name)] else { return nil }
            if entry.test == .null && (ifExists || qualifier != .none) { return nil }
            self.qualifier = qualifier
            self.ifExists = ifExists
            self.test = entry.test
            self.negated = entry.negated
        }

        /// A positive test's outcome turned into this operator's: negated operators flip decided answers.
        func apply(_ positive: ConditionOutcome) -> ConditionOutcome {
            guard negated else { return positive }
            switch positive {
            case .matches: return .fails
            case .fails: return .matches
            case .undecided: return positive
            }
        }
    }
}

// MARK: - Values

extension AWSConditions {
    /// A condition's policy values, parsed once, answering "does this request value match any of them?".
    ///
    /// The answer is positive (before negation): `.matches` when a policy value matches, `.undecided`
    /// when none does but one depends on a variable the context does not fix, else `.fails`.
    struct ValueMatcher {
        private let matchesAny: (String) -> Bool
        private let unresolved: String?

        init(_ op: Operator, _ condition: PolicyCondition, _ context: AWSRequestContext) {
            var patterns: [PatternText] = []
            var unresolved: String?
            if op.test.takesVariables {
                for value in condition.values {
                    switch PatternText.resolve(value, in: context, for: condition) {
                    case .text(let text): patterns.append(text)
                    case .nothing: continue
                    case .unknown(let reason): unresolved = unresolved ?? reason
                    }
                }
            }
            self.unresolved = unresolved
            self.matchesAny = Self.matcher(op.test, patterns, condition.values)
        }

        func test(_ requestValue: String) -> ConditionOutcome {
            if matchesAny(requestValue) { return .matches }
            return unresolved.map(ConditionOutcome.undecided) ?? .fails
        }

        /// - Parameters:
        ///   - patterns: the values with variables resolved, for operators that take variables.
        ///   - raw: the values as written, for the others.
        private static func matcher(_ test: Operator.Test, _ patterns: [PatternText], _ raw: [String]) -> (String) -> Bool {
            switch test {
            case .stringEquals:
                let wanted = Set(patterns.map { Array($0.text.utf8) })
                return { wanted.contains(Array($0.utf8)) }
            case .stringEqualsIgnoreCase:
                let wanted = Set(patterns.map { Array($0.text.lowercased().utf8) })
                return { wanted.contains(Array($0.lowercased().utf8)) }
            case .stringLike:
                return { value in patterns.contains { $0.matches(value) } }
            case .bool:
                let wanted = Set(patterns.map { $0.text.lowercased() }.filter { $0 == "true" || $0 == "false" })
                return { wanted.contains($0.lowercased()) }
            case .arn:
                let arns = patterns.compactMap(\.arnComponents)
                return { value in
                    guard let parts = ArnComponents.split(value) else { return false }
                    return arns.contains { pattern in zip(pattern, parts).allSatisfy { $0.matches(String($1)) } }
                }
            case .numeric(let comparison):
                let numbers = raw.compactMap(ExactDecimal.init)
                return { value in
                    guard let number = ExactDecimal(value) else { return false }
                    return numbers.contains { comparison.holds(number, $0) }
                }
            case .date(let comparison):
                let instants = raw.compactMap(Instant.init)
                return { value in
                    guard let instant = Instant(value) else { return false }
                    return instants.contains { comparison.holds(instant, $0) }
                }
            case .binary:
                // The context holds binary values base64-encoded, as the policy does; bytes are compared.
                let blobs = Set(raw.compactMap { Data(base64Encoded: $0) })
                return { value in Data(base64Encoded: value).map { blobs.contains($0) } ?? false }
            case .ipAddress:
                let networks = raw.compactMap(IPNetwork.init)
                return { value in
                    guard let address = IPAddress(Substring(value)) else { return false }
                    return networks.contains { $0.contains(address) }
                }
            case .null:
                return { _ in false }
            }
        }
    }
}

// MARK: - Policy variables and wildcards

extension AWSConditions {
    /// One policy value with its `${…}` variables replaced, ready for exact or wildcard matching.
    ///
    /// Substituted values and the escapes `${*}`, `${?}` and `${$}` are literal text ("IAM policy
    /// elements: Variables and tags", Special characters); `units` records them only when they put a
    /// literal `*` or `?` in the text, which `Wildcard` would otherwise read as a wildcard.
    struct PatternText {
        enum Unit: Equatable { case byte(UInt8), anyRun, anyOne }

        enum Resolution {
            case text(PatternText)
            /// A variable whose key the request does not carry, without a default: the value matches nothing.
            case nothing
            case unknown(String)
        }

        var text: String
        var units: [Unit]?

        /// `value` with its variables taken from `context`.
        ///
        /// A variable whose key is absent takes its default (`${aws:userid, 'anonymous'}`) or makes the
        /// value match nothing, as AWS documents for keys that are "not present"; one whose key is
        /// unknown, or has several values (AWS allows only single-valued keys as variables), is unknown.
        static func resolve(_ value: String, in context: AWSRequestContext, for condition: PolicyCondition) -> Resolution {
            guard value.contains("${") else { return .text(PatternText(text: value, units: nil)) }
            var builder = Builder()
            var rest = Substring(value)
            while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                builder.appendPattern(rest[..<start.lowerBound])
                let inner = rest[start.upperBound..<end]
                switch inner {
                case "*", "?", "$":
                    builder.appendLiteral(inner)
                default:
                    switch variable(inner, in: context, for: condition) {
                    case .text(let substituted)?: builder.appendLiteral(substituted.text[...])
                    case .nothing?: return .nothing
                    case .unknown(let reason)?: return .unknown(reason)
                    case nil: builder.appendPattern(rest[start.lowerBound...end])
                    }
                }
                rest = rest[rest.index(after: end)...]
            }
            builder.appendPattern(rest)
            return .text(builder.result)
        }

        /// The value of `${name}` or `${name, 'default'}`; nil when `inner` names nothing (`${}`), which stays literal text.
        private static func variable(_ inner: Substring, in context: AWSRequestContext, for condition: PolicyCondition) -> Resolution? {
            let parts = inner.split(separator: ",", maxSplits: 1)
            guard let first = parts.first else { return nil }
            let name = first.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            let fallback = parts.count == 2
                ? parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'")) : nil
            let uses = "\(condition.operator) on \(condition.key) compares with ${\(name)}"
            switch context.lookup(name.lowercased()) {
            case .present(let values) where values.count == 1:
                return .text(PatternText(text: values[0], units: nil))
            case .present(let values):
                return .unknown("\(uses), which has \(values.count) values in the request, and AWS resolves only single-valued keys")
            case .absent:
                return fallback.map { .text(PatternText(text: $0, units: nil)) } ?? .nothing
            case .unknown:
                return .unknown("\(uses), which the export does not record")
            }
        }

        private struct Builder {
            var text = ""
            var units: [Unit] = []
            var hasLiteralWildcard = false

            mutating func appendPattern(_ part: Substring) {
                text += part
                units += part.utf8.map { $0 == UInt8(ascii: "*") ? .anyRun : $0 == UInt8(ascii: "?") ? .anyOne : .byte($0) }
            }

            mutating func appendLiteral(_ part: Substring) {
                text += part
                for byte in part.utf8 {
                    if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") { hasLiteralWildcard = true }
                    units.append(.byte(byte))
                }
            }

            var result: PatternText { PatternText(text: text, units: hasLiteralWildcard ? units : nil) }
        }

        /// AWS wildcard matching, case-sensitive (`StringLike` and the ARN operators).
        func matches(_ value: String) -> Bool {
            guard let units else { return Wildcard.matches(text, value, caseInsensitive: false) }
            return Self.match(units[...], Array(value.utf8)[...])
        }

        /// The six colon-separated ARN components of this pattern, or nil if it has fewer.
        var arnComponents: [PatternText]? {
            guard let texts = ArnComponents.split(text) else { return nil }
            guard let units else { return texts.map { PatternText(text: String($0), units: nil) } }
            let unitParts = units.split(maxSplits: 5, omittingEmptySubsequences: false) { $0 == .byte(UInt8(ascii: ":")) }
            return zip(texts, unitParts).map { PatternText(text: String($0), units: Array($1)) }
        }

        /// `Wildcard`'s algorithm over units, for patterns where some `*` or `?` are literal.
        private static func match(_ pattern: ArraySlice<Unit>, _ value: ArraySlice<UInt8>) -> Bool {
            let p = Array(pattern)
            let v = Array(value)
            var pi = 0
            var vi = 0
            var starAt = -1
            var mark = 0
            while vi < v.count {
                if pi < p.count, p[pi] == .anyOne || p[pi] == .byte(v[vi]) {
                    pi += 1
                    vi += 1
                } else if pi < p.count, p[pi] == .anyRun {
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
            while pi < p.count, p[pi] == .anyRun { pi += 1 }
            return pi == p.count
        }
    }

    /// ARNs compared per component ("Condition operators", ARN): the six colon-separated parts are
    /// matched one by one, so a `*` never crosses a colon except inside the last (resource) part.
    enum ArnComponents {
        static func split(_ arn: String) -> [Substring]? {
            let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return parts.count == 6 ? parts : nil
        }
    }
}

// MARK: - Numbers, dates and addresses

extension AWSConditions {
    /// A decimal number compared exactly, however long (`Numeric…` operators): `10`, `-2.5`, `007`.
    ///
    /// Digits only, with an optional sign and one decimal point; no exponent, no spaces.
    struct ExactDecimal: Comparable {
        let negative: Bool
        /// Digits before the point, without leading zeros.
        let integer: [UInt8]
        /// Digits after the point, without trailing zeros.
        let fraction: [UInt8]

        init?(_ text: String) {
            var bytes = Array(text.utf8)[...]
            var negative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                negative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let point = bytes.firstIndex(of: UInt8(ascii: "."))
            let whole = bytes[..<(point ?? bytes.endIndex)]
            let part = point.map { bytes[bytes.index(after: $0)...] } ?? []
            guard whole.count + part.count > 0, whole.allSatisfy(Self.isDigit), part.allSatisfy(Self.isDigit) else { return nil }
            integer = Array(whole.drop { $0 == UInt8(ascii: "0") })
            fraction = Array(part.reversed().drop { $0 == UInt8(ascii: "0") }.reversed())
            self.negative = negative && !(integer.isEmpty && fraction.isEmpty)
        }

        static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
            if a.negative != b.negative { return a.negative }
            return a.negative ? magnitudeLess(b, a) : magnitudeLess(a, b)
        }

        private static func magnitudeLess(_ a: ExactDecimal, _ b: ExactDecimal) -> Bool {
            if a.integer.count != b.integer.count { return a.integer.count < b.integer.count }
            if a.integer != b.integer { return a.integer.lexicographicallyPrecedes(b.integer) }
            return a.fraction.lexicographicallyPrecedes(b.fraction)
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }

    /// An instant for the `Date…` operators, parsed by hand (no formatter, so no shared mutable state).
    ///
    /// Accepts the W3C profile of ISO 8601 that AWS documents ("Condition operators", Date):
    /// `2020-01-01`, `2020-01`, `2020-01-01T10:00Z`, `2020-01-01T10:00:00Z`, `2020-01-01T10:00:00.123+02:00`
    /// (no zone means UTC), and epoch seconds (`1577836800`, optionally with a fraction). A string of
    /// digits alone is read as epoch seconds, never as a bare year.
    struct Instant: Comparable {
        let seconds: Int64
        let nanoseconds: Int64

        init?(_ text: String) {
            let bytes = Array(text.utf8)
            guard let first = bytes.first, ExactDecimal.isDigit(first) else { return nil }
            if let epoch = Self.epoch(bytes) { self = epoch; return }
            guard let parsed = Self.iso8601(bytes) else { return nil }
            self = parsed
        }

        init(seconds: Int64, nanoseconds: Int64) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }

        static func < (a: Instant, b: Instant) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }

        /// `1577836800` or `1577836800.5`; at most 15 integer digits, so nothing overflows.
        private static func epoch(_ bytes: [UInt8]) -> Instant? {
            let point = bytes.firstIndex(of: UInt8(ascii: "."))
            let whole = bytes[..<(point ?? bytes.endIndex)]
            let part = point.map { bytes[($0 + 1)...] } ?? []
            guard (1...15).contains(whole.count), whole.allSatisfy(ExactDecimal.isDigit) else { return nil }
            guard point == nil || (!part.isEmpty && part.allSatisfy(ExactDecimal.isDigit)) else { return nil }
            return Instant(seconds: number(whole), nanoseconds: nanoseconds(part))
        }

        private static func iso8601(_ bytes: [UInt8]) -> Instant? {
            var reader = Reader(bytes: bytes)
            guard let year = reader.digits(4) else { return nil }
            var (month, day, hour, minute, second, nanos, offset) = (1, 1, 0, 0, 0, Int64(0), 0)
            if reader.skip("-") {
                guard let m = reader.digits(2) else { return nil }
                month = m
                if reader.skip("-") {
                    guard let d = reader.digits(2) else { return nil }
                    day = d
                    if reader.skip("T") || reader.skip("t") {
                        guard let h = reader.digits(2), reader.skip(":"), let mi = reader.digits(2) else { return nil }
                        (hour, minute) = (h, mi)
                        if reader.skip(":") {
                            guard let s = reader.digits(2) else { return nil }
                            second = s
                            if reader.skip(".") {
                                let fraction = reader.run(of: ExactDecimal.isDigit)
                                guard !fraction.isEmpty else { return nil }
                                nanos = nanoseconds(fraction)
                            }
                        }
                        guard let zone = reader.zoneOffset() else { return nil }
                        offset = zone
                    }
                }
            }
            guard reader.atEnd, (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
                hour < 24, minute < 60, second < 60
            else { return nil }
            let days = daysFromCivil(year, month, day)
            return Instant(seconds: days * 86_400 + Int64(hour * 3_600 + minute * 60 + second - offset), nanoseconds: nanos)
        }

        private static func number(_ digits: ArraySlice<UInt8>) -> Int64 {
            digits.reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        }

        /// The first nine digits of a fraction as nanoseconds.
        private static func nanoseconds(_ digits: ArraySlice<UInt8>) -> Int64 {
            let nine = digits.prefix(9)
            var value = number(nine)
            for _ in nine.count..<9 { value *= 10 }
            return value
        }

        private static func daysIn(_ month: Int, of year: Int) -> Int {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
        private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
            let y = Int64(month <= 2 ? year - 1 : year)
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }

        /// A cursor over the bytes of a timestamp.
        private struct Reader {
            let bytes: [UInt8]
            var index = 0

            var atEnd: Bool { index == bytes.count }

            mutating func skip(_ character: Unicode.Scalar) -> Bool {
                guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
                index += 1
                return true
            }

            mutating func digits(_ count: Int) -> Int? {
                guard index + count <= bytes.count else { return nil }
                let run = bytes[index..<(index + count)]
                guard run.allSatisfy(ExactDecimal.isDigit) else { return nil }
                index += count
                return Int(Instant.number(run))
            }

            mutating func run(of predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
                let start = index
                while index < bytes.count, predicate(bytes[index]) { index += 1 }
                return bytes[start..<index]
            }

            /// Seconds east of UTC: nothing or `Z` is 0; `+02:00`, `+0200` and `+02` are accepted.
            mutating func zoneOffset() -> Int? {
                if atEnd || skip("Z") || skip("z") { return 0 }
                let sign: Int
                if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
                guard let hours = digits(2), hours < 24 else { return nil }
                _ = skip(":")
                let minutes = atEnd ? 0 : digits(2)
                guard let minutes, minutes < 60 else { return nil }
                return sign * (hours * 3_600 + minutes * 60)
            }
        }
    }

    /// An IPv4 or IPv6 address as 128 bits, IPv4 in the low 32 (`IpAddress`, `NotIpAddress`).
    struct IPAddress: Equatable {
        let isIPv6: Bool
        let high: UInt64
        let low: UInt64

        /// A bare address: `203.0.113.7`, `2001:db8::1`, `::ffff:203.0.113.7`; no zone, no brackets.
        init?(_ text: Substring) {
            if text.contains(":") {
                guard let groups = Self.ipv6Groups(text) else { return nil }
                isIPv6 = true
                high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
                low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
            } else {
                guard let value = Self.ipv4(text) else { return nil }
                isIPv6 = false
                high = 0
                low = UInt64(value)
            }
        }

        private init(isIPv6: Bool, high: UInt64, low: UInt64) {
            self.isIPv6 = isIPv6
            self.high = high
            self.low = low
        }

        var width: Int { isIPv6 ? 128 : 32 }

        /// The address with all but the first `prefix` bits cleared.
        func masked(to prefix: Int) -> IPAddress {
            let bits = prefix + (isIPv6 ? 0 : 96)  // IPv4 sits in the low 32 of 128 bits
            let highMask: UInt64 = bits >= 64 ? .max : (bits <= 0 ? 0 : .max << (64 - bits))
            let lowMask: UInt64 = bits <= 64 ? 0 : (bits >= 128 ? .max : .max << (128 - bits))
            return IPAddress(isIPv6: isIPv6, high: high & highMask, low: low & lowMask)
        }

        /// Four decimal octets, 0–255, one to three digits each.
        static func ipv4(_ text: Substring) -> UInt32? {
            let octets = text.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4 else { return nil }
            var value: UInt32 = 0
            for octet in octets {
                guard (1...3).contains(octet.utf8.count), octet.utf8.allSatisfy(ExactDecimal.isDigit), let byte = UInt32(octet), byte <= 255
                else { return nil }
                value = value << 8 | byte
            }
            return value
        }

        /// The eight 16-bit groups of an IPv6 address, with `::` expanded and a dotted IPv4 tail allowed.
        private static func ipv6Groups(_ text: Substring) -> [UInt16]? {
            let halves = text.components(separatedBy: "::")
            switch halves.count {
            case 1:
                guard let groups = groups(halves[0][...], ipv4Tail: true), groups.count == 8 else { return nil }
                return groups
            case 2:
                guard let head = groups(halves[0][...], ipv4Tail: false), let tail = groups(halves[1][...], ipv4Tail: true),
                    head.count + tail.count <= 7
                else { return nil }
                return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
            default:
                return nil
            }
        }

        private static func isHexDigit(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
        }

        private static func groups(_ text: Substring, ipv4Tail: Bool) -> [UInt16]? {
            if text.isEmpty { return [] }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            var groups: [UInt16] = []
            for (index, part) in parts.enumerated() {
                if ipv4Tail, index == parts.count - 1, part.contains(".") {
                    guard let value = ipv4(part) else { return nil }
                    groups += [UInt16(value >> 16), UInt16(value & 0xffff)]
                } else {
                    guard (1...4).contains(part.utf8.count), part.utf8.allSatisfy(isHexDigit), let group = UInt16(part, radix: 16)
                    else { return nil }
                    groups.append(group)
                }
            }
            return groups
        }
    }

    /// A CIDR block from a policy: `203.0.113.0/24`, `2001:DB8:1234:5678::/64`; a bare address is /32 or /128.
    struct IPNetwork {
        let base: IPAddress
        let prefix: Int

        init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(parts[0]) else { return nil }
            var prefix = address.width
            if parts.count == 2 {
                let digits = parts[1]
                guard (1...3).contains(digits.utf8.count), digits.utf8.allSatisfy(ExactDecimal.isDigit), let bits = Int(digits),
                    bits <= address.width
                else { return nil }
                prefix = bits
            }
            self.prefix = prefix
            self.base = address.masked(to: prefix)
        }

        func contains(_ address: IPAddress) -> Bool {
            address.isIPv6 == base.isIPv6 && address.masked(to: prefix) == base
        }
    }
}

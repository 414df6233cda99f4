public import Foundation
public import RosterModel

/// A rule set made ready to scan: patterns compiled, keywords merged into one prefilter.
///
/// Scanning a buffer is one pass of the ``Prefilter`` over its bytes, then each rule's matcher
/// on the few places its keywords occur. The scanner is immutable and shared by every thread.
///
/// ```swift
/// let scanner = try SecretScanner(rules: SecretRules.all)
/// for match in scanner.scan(text: "AWS_ACCESS_KEY_ID=AKIA…", path: ".env") { print(match.ruleId, match.line) }
/// ```
public struct SecretScanner: Sendable {
    public let rules: [SecretRule]
    let compiled: [CompiledRule]
    let prefilter: Prefilter
    /// Rules to try where keyword `k` occurs.
    let rulesByKeyword: [[Int]]
    /// Keywords of specific rules that start a value (`npm_`, `dp.pt.`): a value with one of
    /// these prefixes belongs to that rule, and when that rule rejects it (wrong length, bad
    /// checksum), the generic rules must not report it either.
    let ownedPrefixes: [String]
    /// Each rule's keyword context, by rule index (read on every keyword hit).
    let contexts: [KeywordContext]

    /// How far around a keyword a pattern looks (the line, at most this many bytes each side).
    static let window = 2048
    /// How far an armoured key's end may be from its beginning.
    static let armourSpan = 64 * 1024

    public init(rules: [SecretRule]) throws {
        self.rules = rules
        var keywordIndex: [String: Int] = [:]
        var keywords: [String] = []
        var byKeyword: [[Int]] = []
        var compiled: [CompiledRule] = []
        var ids = Set<String>()
        for (ruleIndex, rule) in rules.enumerated() {
            guard ids.insert(rule.id).inserted else { throw SecretsError.rules("rule \(rule.id) is declared twice") }
            guard !rule.keywords.isEmpty else { throw SecretsError.rules("rule \(rule.id) has no keywords; every rule needs a literal the scanner can look for") }
            compiled.append(try CompiledRule(rule))
            for keyword in Set(rule.keywords) {
                guard keyword.utf8.count >= 3 else { throw SecretsError.rules("rule \(rule.id): keyword \"\(keyword)\" is shorter than three characters") }
                let index: Int
                if let known = keywordIndex[keyword] {
                    index = known
                } else {
                    index = keywords.count
                    keywordIndex[keyword] = index
                    keywords.append(keyword)
                    byKeyword.append([])
                }
                byKeyword[index].append(ruleIndex)
            }
        }
        self.compiled = compiled
        self.contexts = rules.map(\.keywordContext)
        self.ownedPrefixes = Array(Set(rules.filter { $0.provider != "generic" && $0.engine == .pattern }.flatMap(\.keywords)
            .filter { $0.utf8.count >= 4 && $0.first.map { $0.isLetter || $0.isNumber } == true && !$0.contains("=") && !$0.contains(" ") && !$0.contains("\"") && !$0.contains(":") })).sorted()
        self.prefilter = Prefilter(keywords: keywords)
        self.rulesByKeyword = byKeyword
    }

    /// Every secret in `text`.
    public func scan(text: String, path: String = "") -> [SecretMatch] {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { scan(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Every secret in `bytes`, with lines counted from the start.
    public func scan(bytes: UnsafeRawBufferPointer) -> [SecretMatch] {
        var lines = LineCounter()
        return finish(candidates(in: bytes, positions: 0..<bytes.count, base: 0), buffer: bytes, base: 0, lines: &lines)
    }

    // MARK: - One buffer

    /// A match before lines are counted: offsets are in the buffer.
    struct Candidate {
        var rule: Int
        var range: Range<Int>
        var value: String
        var attributes: [String: String] = [:]
        var paired: (rule: Int, range: Range<Int>, value: String)?
    }

    /// Matches for keywords that start inside `positions`; patterns may read the whole buffer.
    func candidates(in buffer: UnsafeRawBufferPointer, positions: Range<Int>, base: Int, decoding: Bool = true) -> [Candidate] {
        var raw: [Int] = []
        prefilter.scan(buffer, in: positions, into: &raw)
        guard !raw.isEmpty else { return [] }
        var hits: [[Int]] = Array(repeating: [], count: rules.count)
        var any = false
        for packed in raw {
            let offset = packed >> 16
            let keyword = packed & 0xFFFF
            for rule in rulesByKeyword[keyword] where Self.context(contexts[rule], buffer, offset, keywordLength: prefilter.keywords[keyword].count) {
                hits[rule].append(offset)
                any = true
            }
        }
        guard any else { return [] }
        var found: [Candidate] = []
        for (ruleIndex, offsets) in hits.enumerated() where !offsets.isEmpty {
            if rules[ruleIndex].engine == .kubernetesSecretData {
                if decoding { KubernetesSecretData.matches(in: buffer, at: offsets, scanner: self, into: &found) }
                continue
            }
            compiled[ruleIndex].matches(in: buffer, at: offsets, rule: ruleIndex, into: &found)
        }
        return found
    }

    @inline(__always)
    static func context(_ context: KeywordContext, _ buffer: UnsafeRawBufferPointer, _ offset: Int, keywordLength: Int) -> Bool {
        switch context {
        case .none:
            return true
        case .followedBy(let count, let alphabet):
            var start = offset + keywordLength
            while start < buffer.count, start - offset - keywordLength < 8,
                buffer[start] == 0x20 || buffer[start] == 0x09 || buffer[start] == UInt8(ascii: "=") || buffer[start] == UInt8(ascii: "\"") || buffer[start] == UInt8(ascii: "'")
            {
                start += 1
            }
            guard start + count <= buffer.count else { return false }
            for i in start..<(start + count) where !alphabet.contains(buffer[i]) { return false }
            return true
        case .precededBy(let count, let alphabet):
            guard offset >= count else { return false }
            for i in (offset - count)..<offset where !alphabet.contains(buffer[i]) { return false }
            return true
        }
    }

    /// Filters, folds and orders candidates, and turns them into matches with lines counted from
    /// `lines` (which has counted the buffer up to some offset already).
    func finish(_ raw: [Candidate], buffer: UnsafeRawBufferPointer, base: Int, lines: inout LineCounter) -> [SecretMatch] {
        guard !raw.isEmpty else { return [] }
        var candidates = Folding.fold(raw, rules: rules, buffer: buffer, ownedPrefixes: ownedPrefixes)
        candidates.sort { $0.range.lowerBound < $1.range.lowerBound }
        var matches: [SecretMatch] = []
        for candidate in candidates {
            if Folding.allowedInline(buffer, at: candidate.range.lowerBound) { continue }
            let rule = rules[candidate.rule]
            let (line, column) = lines.position(of: candidate.range.lowerBound, in: buffer, base: base)
            var match = SecretMatch(
                ruleId: rule.id, line: line, column: column, offset: base + candidate.range.lowerBound,
                length: candidate.range.count, fingerprint: CredentialFingerprint(rule.fingerprint, of: candidate.value),
                preview: CredentialFingerprint.preview(candidate.value), attributes: candidate.attributes, paired: nil,
                value: SecretValue(candidate.value))
            if let paired = candidate.paired {
                // A pattern's own `paired` group (an AWS key id followed by its secret, as in the
                // console's CSV) names its own rule; the secret is then the AWS secret access key.
                var pairedId = rules[paired.rule].id
                var namespace = rules[paired.rule].fingerprint
                if paired.rule == candidate.rule, namespace == .awsAccessKeyId {
                    pairedId = "aws.secret-access-key"
                    namespace = .awsSecretAccessKey
                }
                var probe = lines
                let (pairedLine, _) = probe.position(of: paired.range.lowerBound, in: buffer, base: base)
                match.paired = .init(
                    ruleId: pairedId, fingerprint: CredentialFingerprint(namespace, of: paired.value),
                    preview: CredentialFingerprint.preview(paired.value), line: pairedLine, value: SecretValue(paired.value))
            }
            matches.append(match)
        }
        return matches
    }
}

/// Counts lines lazily: only as far as the last match asked about.
struct LineCounter {
    /// Absolute offset up to which newlines have been counted, and how many there were.
    var countedTo = 0
    var newlines = 0
    var lastLineStart = 0

    /// 1-based line and column of absolute offset `base + offset`; offsets must not go backwards
    /// past `countedTo` (a paired secret on an earlier line is counted from a copy).
    mutating func position(of offset: Int, in buffer: UnsafeRawBufferPointer, base: Int) -> (Int, Int) {
        let target = base + offset
        if target < countedTo {
            // Before what was counted: count back from here.
            var line = newlines
            var start = lastLineStart
            var i = countedTo - 1
            while i >= target, i - base >= 0 {
                if buffer[i - base] == 0x0A { line -= 1 }
                i -= 1
            }
            // Find the start of the target's line.
            start = target
            while start - base > 0, buffer[start - base - 1] != 0x0A { start -= 1 }
            return (line + 1, target - start + 1)
        }
        var i = max(countedTo, base) - base
        let end = target - base
        buffer.withMemoryRebound(to: UInt8.self) { bytes in
            while i < end {
                if bytes[i] == 0x0A {
                    newlines += 1
                    lastLineStart = base + i + 1
                }
                i += 1
            }
        }
        countedTo = target
        return (newlines + 1, target - lastLineStart + 1)
    }

    /// Counts the rest of a chunk before it is dropped.
    mutating func advance(to absolute: Int, in buffer: UnsafeRawBufferPointer, base: Int) {
        guard absolute > countedTo else { return }
        _ = position(of: absolute - base, in: buffer, base: base)
    }
}

/// Errors from rules files and scan targets.
public struct SecretsError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public static func rules(_ message: String) -> SecretsError { SecretsError(description: message) }
    public static func input(_ message: String) -> SecretsError { SecretsError(description: message) }
}

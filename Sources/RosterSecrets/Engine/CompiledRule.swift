import Foundation

/// NSRegularExpression is immutable once built and documented as safe to share between threads.
final class SharedRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}

/// A rule with its pattern compiled, and the matcher its engine calls for.
struct CompiledRule: Sendable {
    let rule: SecretRule
    let regex: SharedRegex?
    let group: Int
    /// Keywords as bytes, for matchers that need to know which keyword they stand on.
    let keywords: [[UInt8]]
    /// Named groups besides the secret: attributes, or `paired` for a second secret.
    let names: [String]
    /// A pattern that spans lines (`\n`, `[\s\S]`) sees a window of bytes around the keyword
    /// rather than its line.
    let multiline: Bool
    let allow: [SharedRegex]

    init(_ rule: SecretRule) throws {
        self.rule = rule
        keywords = rule.keywords.map { Array($0.utf8) }
        names = Self.groupNames(rule.pattern)
        allow = try rule.allowPatterns.map { pattern in
            do {
                return SharedRegex(try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "(?P<", with: "(?<")))
            } catch {
                throw SecretsError.rules("rule \(rule.id): the allowlist pattern is not a valid regular expression: \(pattern)")
            }
        }
        // `\n` inside a negated class (`[^\n]`, "stay on this line") does not make a pattern multi-line.
        let outsideNegatedClasses = rule.pattern.replacingOccurrences(of: "[^\\r\\n]", with: "").replacingOccurrences(of: "[^\\n]", with: "")
        multiline = outsideNegatedClasses.contains("\\n") || rule.pattern.contains("[\\s\\S]")
        guard rule.engine == .pattern else {
            regex = nil
            group = 0
            return
        }
        // RE2's `(?P<name>` is ICU's `(?<name>`.
        let pattern = rule.pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        let compiled: NSRegularExpression
        do {
            compiled = try NSRegularExpression(pattern: pattern)
        } catch {
            throw SecretsError.rules("rule \(rule.id): the pattern is not a valid regular expression: \(pattern)")
        }
        regex = SharedRegex(compiled)
        group = rule.secretGroup ?? (compiled.numberOfCaptureGroups > 0 ? 1 : 0)
        guard group <= compiled.numberOfCaptureGroups else {
            throw SecretsError.rules("rule \(rule.id): secretGroup \(group) but the pattern has \(compiled.numberOfCaptureGroups) groups")
        }
    }

    func matches(in buffer: UnsafeRawBufferPointer, at offsets: [Int], rule index: Int, into found: inout [SecretScanner.Candidate]) {
        switch rule.engine {
        case .pattern: patternMatches(in: buffer, at: offsets, rule: index, into: &found)
        case .armoredKey(let label): ArmoredKey.matches(in: buffer, at: offsets, label: label, rule: index, into: &found)
        case .assignment: Assignment.matches(in: buffer, at: offsets, keywords: keywords, rule: self, index: index, into: &found)
        case .kubernetesSecretData: break  // the scanner runs it, with itself for the decoded values
        }
    }

    /// The bounds of the line around `offset`: at most half `SecretScanner.window` bytes before
    /// it and four times the window after (a kubeconfig's `client-key-data` is one 2,300-character line).
    static func lineWindow(_ buffer: UnsafeRawBufferPointer, around offset: Int) -> Range<Int> {
        var start = offset
        let lowest = max(0, offset - SecretScanner.window / 2)
        while start > lowest, buffer[start - 1] != 0x0A { start -= 1 }
        var end = offset
        let highest = min(buffer.count, offset + 4 * SecretScanner.window)
        while end < highest, buffer[end] != 0x0A { end += 1 }
        return start..<end
    }

    private func patternMatches(in buffer: UnsafeRawBufferPointer, at offsets: [Int], rule index: Int, into found: inout [SecretScanner.Candidate]) {
        guard let regex = regex?.regex else { return }
        var covered = -1
        for offset in offsets where offset >= covered {
            let window = multiline
                ? max(0, offset - SecretScanner.window)..<min(buffer.count, offset + 4 * SecretScanner.window)
                : Self.lineWindow(buffer, around: offset)
            covered = window.upperBound
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[window]), as: UTF8.self)
            let ascii = text.utf8.count == window.count && !text.utf8.contains { $0 >= 0x80 }
            for result in regex.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)) {
                let range = result.range(at: group)
                guard range.location != NSNotFound, range.length > 0 else { continue }
                let bytes = Self.byteRange(range, in: text, ascii: ascii)
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[(window.lowerBound + bytes.lowerBound)..<(window.lowerBound + bytes.upperBound)]), as: UTF8.self)
                guard accepts(value) else { continue }
                // The fixture test reads the secret's own line only, never lines above it.
                let secretStart = window.lowerBound + bytes.lowerBound
                var lineStart = secretStart
                while lineStart > window.lowerBound, buffer[lineStart - 1] != 0x0A { lineStart -= 1 }
                let before = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<secretStart]), as: UTF8.self)
                if NotSecrets.fixtureContext(before) { continue }
                var candidate = SecretScanner.Candidate(rule: index, range: (window.lowerBound + bytes.lowerBound)..<(window.lowerBound + bytes.upperBound), value: value)
                // Named groups other than the secret become attributes (`keyId`, `clientEmail`).
                for name in names {
                    let r = result.range(withName: name)
                    guard r.location != NSNotFound, r.length > 0 else { continue }
                    let b = Self.byteRange(r, in: text, ascii: ascii)
                    let absolute = (window.lowerBound + b.lowerBound)..<(window.lowerBound + b.upperBound)
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[absolute]), as: UTF8.self)
                    if name == "paired" {
                        candidate.paired = (index, absolute, text)
                    } else {
                        candidate.attributes[name] = text
                    }
                }
                found.append(candidate)
            }
        }
    }

    /// The tests every value passes whatever its engine: entropy, check, not a placeholder.
    func accepts(_ value: String) -> Bool {
        if let minimum = rule.minEntropy, Checks.entropy(value.utf8) < minimum { return false }
        guard Checks.passes(rule.check, value) else { return false }
        if !rule.stopwords.isEmpty {
            let lower = value.lowercased()
            if rule.stopwords.contains(where: { lower.contains($0) }) { return false }
        }
        for pattern in allow where pattern.regex.firstMatch(in: value, range: NSRange(location: 0, length: value.utf16.count)) != nil { return false }
        return !NotSecrets.rejects(value)
    }

    static func byteRange(_ range: NSRange, in text: String, ascii: Bool) -> Range<Int> {
        if ascii { return range.location..<(range.location + range.length) }
        let utf16 = text.utf16
        let start = utf16.index(utf16.startIndex, offsetBy: range.location)
        let end = utf16.index(start, offsetBy: range.length)
        let lower = text.utf8.distance(from: text.utf8.startIndex, to: start)
        return lower..<(lower + text.utf8.distance(from: start, to: end))
    }

    /// `(?<name>` and `(?P<name>` groups in a pattern.
    static func groupNames(_ pattern: String) -> [String] {
        var names: [String] = []
        var rest = Substring(pattern)
        while let open = rest.range(of: "(?") {
            rest = rest[open.upperBound...]
            if rest.hasPrefix("P<") { rest = rest.dropFirst() }
            guard rest.hasPrefix("<"), !rest.hasPrefix("<="), !rest.hasPrefix("<!") else { continue }
            let name = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { names.append(String(name)) }
        }
        return names
    }
}

import Foundation
import RosterModel

/// Rules from a TOML file, in gitleaks' format (`[[rules]]` with `id`, `description`, `regex`,
/// `secretGroup`, `entropy`, `keywords`, `[rules.allowlist]` `stopwords`/`regexes`) or Roster's,
/// which adds `title`, `severity`, `remediation`, `examples` and `negatives`.
///
/// ```toml
/// [[rules]]
/// id = "acme.deploy-token"
/// title = "Acme deploy token"
/// severity = "high"
/// regex = '''\b(acme_dt_[a-z0-9]{32})\b'''
/// keywords = ["acme_dt_"]
/// examples = ["ACME_TOKEN=acme_dt_0f3k…"]
/// ```
///
/// A rule without keywords gets the longest literal of its pattern; one with none is refused,
/// since the scanner only confirms where a keyword occurs. Examples and negatives in the file are
/// checked when it is loaded.
public enum SecretRulesFile {
    public static func load(path: String) throws -> [SecretRule] {
        guard let data = FileManager.default.contents(atPath: path) else { throw SecretsError.rules("\(path): cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw SecretsError.rules("\(path): not UTF-8 text") }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> [SecretRule] {
        let document: [String: TOMLReader.Value]
        do {
            document = try TOMLReader.parse(text)
        } catch let failure as TOMLReader.Failure {
            throw SecretsError.rules("\(path):\(failure.line):\(failure.column): \(failure.message)")
        }
        guard case .tables(let tables)? = document["rules"] else {
            throw SecretsError.rules("\(path): no [[rules]]; a rules file lists rules as [[rules]] tables (gitleaks' format)")
        }
        var rules: [SecretRule] = []
        for (index, table) in tables.enumerated() {
            let place = "\(path): rules[\(index)]"
            func string(_ key: String) throws -> String? {
                switch table[key] {
                case nil: return nil
                case .string(let s)?: return s
                default: throw SecretsError.rules("\(place).\(key): expected a string")
                }
            }
            func strings(_ key: String, in t: [String: TOMLReader.Value]? = nil) throws -> [String] {
                switch (t ?? table)[key] {
                case nil: return []
                case .array(let items)?:
                    return try items.map {
                        guard case .string(let s) = $0 else { throw SecretsError.rules("\(place).\(key): expected an array of strings") }
                        return s
                    }
                default: throw SecretsError.rules("\(place).\(key): expected an array of strings")
                }
            }
            guard let id = try string("id"), !id.isEmpty else { throw SecretsError.rules("\(place).id: every rule needs an id") }
            guard let regex = try string("regex") else {
                throw SecretsError.rules("\(place) (\(id)).regex: a rule needs a regex (path-only gitleaks rules are not supported)")
            }
            var severity = Severity.high
            if let text = try string("severity") {
                guard let parsed = Severity(rawValue: text.lowercased()) else {
                    throw SecretsError.rules("\(place) (\(id)).severity: expected critical, high, medium, low or info")
                }
                severity = parsed
            }
            var group: Int?
            switch table["secretGroup"] {
            case nil: break
            case .integer(let n)?: group = n
            default: throw SecretsError.rules("\(place) (\(id)).secretGroup: expected an integer")
            }
            var entropy: Double?
            switch table["entropy"] {
            case nil: break
            case .integer(let n)?: entropy = Double(n)
            case .float(let x)?: entropy = x
            default: throw SecretsError.rules("\(place) (\(id)).entropy: expected a number")
            }
            var keywords = try strings("keywords").map { $0.lowercased() }.filter { $0.utf8.count >= 3 }
            if keywords.isEmpty {
                guard let literal = longestLiteral(regex), literal.utf8.count >= 3 else {
                    throw SecretsError.rules("\(place) (\(id)): no keywords and no literal of three characters in the regex to use as one; add keywords = [\"…\"]")
                }
                keywords = [literal.lowercased()]
            }
            var stopwords: [String] = []
            var allowRegexes: [String] = []
            for key in ["allowlist", "allowlists"] {
                let lists: [[String: TOMLReader.Value]]
                switch table[key] {
                case .table(let t)?: lists = [t]
                case .tables(let ts)?: lists = ts
                default: lists = []
                }
                for list in lists {
                    stopwords += try strings("stopwords", in: list)
                    allowRegexes += try strings("regexes", in: list)
                }
            }
            var rule = SecretRule(
                id: id, title: try string("title") ?? string("description") ?? id, provider: id.split(separator: ".").first.map(String.init) ?? "custom",
                severity: severity, keywords: keywords, pattern: regex, secretGroup: group, minEntropy: entropy,
                remediation: try string("remediation"), examples: try strings("examples"), negatives: try strings("negatives"))
            rule.stopwords = stopwords.map { $0.lowercased() }
            rule.allowPatterns = allowRegexes
            rules.append(rule)
        }
        // The file's own examples and negatives, checked now rather than discovered later.
        for rule in rules where !rule.examples.isEmpty || !rule.negatives.isEmpty {
            let scanner = try SecretScanner(rules: [rule])
            for example in rule.examples where !scanner.scan(text: example).contains(where: { $0.ruleId == rule.id }) {
                throw SecretsError.rules("\(path): rule \(rule.id) does not match its own example: \(example.prefix(80))")
            }
            for negative in rule.negatives where !scanner.scan(text: negative).isEmpty {
                throw SecretsError.rules("\(path): rule \(rule.id) matches its own negative: \(negative.prefix(80))")
            }
        }
        return rules
    }

    /// The longest run of literal characters in a regular expression (outside classes, not
    /// made optional by a quantifier), for a rule that names no keywords.
    static func longestLiteral(_ pattern: String) -> String? {
        var best = ""
        var run = ""
        var chars = Array(pattern.replacingOccurrences(of: "(?i)", with: ""))
        var i = 0
        func flush() {
            if run.count > best.count { best = run }
            run = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                // An escaped punctuation character is a literal; a class escape (\d, \w, \b) is not.
                if i + 1 < chars.count, !chars[i + 1].isLetter, !chars[i + 1].isNumber {
                    run.append(chars[i + 1])
                } else {
                    flush()
                }
                i += 2
                continue
            }
            if c == "[" {
                flush()
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
                i += 1
                continue
            }
            if "?*{".contains(c) {
                // The last character was optional or repeated: it is not part of the literal.
                if !run.isEmpty { run.removeLast() }
                flush()
                if c == "{" { while i < chars.count, chars[i] != "}" { i += 1 } }
                i += 1
                continue
            }
            if "()|.+^$".contains(c) {
                if c == "|" {
                    // An alternative: no literal is common to every match.
                    return nil
                }
                flush()
                i += 1
                continue
            }
            run.append(c)
            i += 1
        }
        flush()
        chars = []
        return best.isEmpty ? nil : best
    }
}

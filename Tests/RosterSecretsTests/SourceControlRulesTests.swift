import RosterModel
import Testing

@testable import RosterSecrets

/// The GitHub, GitLab and Atlassian rules against the whole rule set, so a clash with another
/// family's rule (or the generic assignment rules) shows up here.
@Suite struct SourceControlRulesTests {
    /// Every shipped rule, with this family in it whether or not `SecretRules.all` lists it yet.
    static let rules: [SecretRule] = {
        let family = Set(SecretRules.sourceControl.map(\.id))
        return SecretRules.all.filter { !family.contains($0.id) } + SecretRules.sourceControl
    }()
    static let scanner = try! SecretScanner(rules: rules)

    static func ids(_ text: String) -> [String] { scanner.scan(text: text).map(\.ruleId) }



    @Test func keywordsAreRareLowercaseLiteralsPresentInEveryExample() {
        for rule in SecretRules.sourceControl {
            #expect(rule.keywords.allSatisfy { $0.utf8.count >= 4 && $0 == $0.lowercased() }, "\(rule.id)")
            for example in rule.examples {
                #expect(rule.keywords.contains { example.lowercased().contains($0) }, "\(rule.id): no keyword in \(example)")
            }
        }
    }

    // MARK: GitHub checksums

    /// GitHub's checksum, written here independently of the engine: CRC32 (IEEE) of the 30
    /// random characters, in base62, left-padded with `0` to six characters.
    static func githubToken(_ prefix: String, body: String) -> String {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits = ""
        repeat {
            digits = String(alphabet[Int(crc % 62)]) + digits
            crc /= 62
        } while crc > 0
        return prefix + body + String(repeating: "0", count: 6 - digits.count) + digits
    }

    static let githubPrefixes = [
        ("ghp_", "github.pat.classic"), ("gho_", "github.oauth"), ("ghu_", "github.app.user-to-server"),
        ("ghs_", "github.app.installation"), ("ghr_", "github.app.refresh"),
    ]

    @Test func githubTokensWithAValidChecksumAreFoundAndAnyAlteredChecksumIsNot() {
        var generator = SplitMix(seed: 0x6768_705F)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        for (prefix, id) in Self.githubPrefixes {
            for _ in 0..<20 {
                let body = String((0..<30).map { _ in alphabet[Int(generator.next() % 62)] })
                let token = Self.githubToken(prefix, body: body)
                #expect(Self.ids("token: \(token)") == [id], "\(token)")
                for position in token.count - 6..<token.count {
                    var chars = Array(token)
                    chars[position] = chars[position] == "7" ? "8" : "7"
                    #expect(!Self.ids("Authorization: Bearer \(String(chars))").contains(id), "altered \(String(chars))")
                }
            }
        }
    }

    @Test func aChecksumOverTheWrongSpanIsRejected() {
        // The checksum must cover the 30 random characters only, not the prefix.
        let body = "UFawfnXlgH1JnxlJPv4bxOe5Lxl5S8"
        let overPrefix = Self.githubToken("", body: "ghp_" + body)
        #expect(Self.ids("Authorization: Bearer \(overPrefix)").isEmpty)
        #expect(Self.ids("Authorization: Bearer \(Self.githubToken("ghp_", body: body))") == ["github.pat.classic"])
    }

    // MARK: Boundaries and encodings

    static let classic = "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"

    @Test(arguments: [
        #"{"token": "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"}"#,
        #"{"env": "GITHUB_TOKEN=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\nCI=true"}"#,
        #"{"script": "set -e\n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"}"#,
        "https://ci.acme.io/login?next=%2Fsetup%3Ftoken%3D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%26a%3D1",
        "  github_token: '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'",
        "<token>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</token>",
        "password=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;",
    ])
    func aClassicTokenIsFoundInItsCommonSurroundings(_ text: String) {
        let matches = Self.scanner.scan(text: text)
        #expect(matches.map(\.ruleId) == ["github.pat.classic"], "\(text)")
        #expect(matches.first?.value.revealForVerification() == Self.classic)
    }

    @Test(arguments: [
        "x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",
        "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0",
        "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_backup",
        "GHP_UFawfnXlgH1JnxlJPv4bxOe5Lxl5S83x9ymy",
    ])
    func aClassicTokenGluedToMoreCharactersOrUpperCasedIsNot(_ text: String) {
        #expect(!Self.ids(text).contains("github.pat.classic"), "\(text)")
    }

    // MARK: GitLab

    @Test func legacyAndRoutablePersonalTokensNeverClaimEachOther() {
        #expect(Self.ids("GITLAB_TOKEN=glpat-BqrRSkqLeGUh7WopjGgU") == ["gitlab.pat"])
        #expect(Self.ids("GITLAB_TOKEN=glpat-PNxzDr3KSecrp0K1dWKxTW86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0fdatgn") == ["gitlab.pat.routable"])
        // The legacy rule must not report the routable token's first 20 characters.
        #expect(Self.ids("glpat-PNxzDr3KSecrp0K1dWKx.01.1b0fdatgn").isEmpty)  // payload under 27
    }

    @Test func theRoutableMatchCoversTheWholeToken() throws {
        let token = "glpat-PNxzDr3KSecrp0K1dWKxTW86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0fdatgn"
        let match = try #require(Self.scanner.scan(text: "export GITLAB_TOKEN=\(token)").first)
        #expect(match.value.revealForVerification() == token)
        #expect(match.column == 21)
    }

    @Test func runnerTokensOfBothGenerationsAreFound() {
        #expect(Self.ids("glrt-kwukDZ_qGtwjyclvwp95") == ["gitlab.runner.authentication"])
        #expect(Self.ids("glrt-t1_ZFX3o4wOS7IKborFcq7IiG86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0ztdacc") == ["gitlab.runner.authentication"])
        #expect(Self.ids("glrt-t1_ZFX3o4wOS7IKborFcq7IiG86MWEyYjNjCnU6OWY4ZTdkCiI").isEmpty)
    }

    // MARK: Atlassian

    @Test func atlassianTokensNeedTheirChecksumTailAndExactLength() {
        let token =
            "ATATT3QImwZIbHwEI2yi08t1NWNm0pR7ijVuXRY-tfKT9YPjQ-QzXtNSVsmlCSeY2oneQrj9AonJQpZN-ZfHDv5OaW3FMKMH6nEbtBTuav7EoZOZX8mh6EKqWwV83uzyzkutBIOuIzsqLDt37-wsz-f-MZgapTvSxyc9M3uv4sNcxagHph1lZ3F=D5697F1A"
        #expect(Self.ids("jira = JIRA(basic_auth=('ops@acme.io', '\(token)'))") == ["atlassian.api-token"])
        #expect(Self.ids("curl -u ops@acme.io:\(token.dropLast()) https://acme.atlassian.net").isEmpty)
        #expect(Self.ids("curl -u ops@acme.io:\(token.lowercased()) https://acme.atlassian.net").isEmpty)
    }
}

/// A small deterministic generator, so checksum tests draw the same tokens every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

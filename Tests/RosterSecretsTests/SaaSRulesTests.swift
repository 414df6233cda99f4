import RosterModel
import Testing

@testable import RosterSecrets

/// The hosted-service rules against the whole rule set, so a clash with another family's rule
/// (or the generic assignment rules) shows up here.
@Suite struct SaaSRulesTests {
    /// Every shipped rule, with this family in it whether or not `SecretRules.all` lists it yet.
    static let rules: [SecretRule] = {
        let family = Set(SecretRules.saas.map(\.id))
        return SecretRules.all.filter { !family.contains($0.id) } + SecretRules.saas
    }()
    static let scanner = try! SecretScanner(rules: rules)

    static func ids(_ text: String) -> [String] { scanner.scan(text: text).map(\.ruleId) }

    static func secret(_ text: String) -> String? { scanner.scan(text: text).first?.value.revealForVerification() }



    @Test func keywordsAreLowercaseLiteralsPresentInEveryExample() {
        for rule in SecretRules.saas {
            #expect(rule.keywords.allSatisfy { $0.utf8.count >= 3 && $0 == $0.lowercased() }, "\(rule.id)")
            for example in rule.examples {
                #expect(rule.keywords.contains { example.lowercased().contains($0) }, "\(rule.id): no keyword in \(example)")
            }
        }
    }

    // MARK: Stripe

    static let stripeBody = "51roGHvsOFhahTNc8Pwvycyr9SrdbhE8ISMaTb3jgpcOJCyxOkMYhnhxHytn2MsR6d2msdacPoPNmdjlGgwsDtXE8ZZVxEr5zZS"

    @Test func onlyStripeSecretAndRestrictedKeysAreFoundAndTestKeysRankLow() throws {
        #expect(Self.ids("key: sk_live_\(Self.stripeBody)") == ["stripe.secret-key"])
        #expect(Self.ids("key: rk_live_\(Self.stripeBody)") == ["stripe.restricted-key"])
        #expect(Self.ids("Stripe(\"pk_live_\(Self.stripeBody)\")").isEmpty)
        #expect(Self.ids("Stripe(\"pk_test_\(Self.stripeBody)\")").isEmpty)
        let test = try #require(SecretRules.saas.first { $0.id == "stripe.test-secret-key" })
        #expect(test.severity == .low)
        #expect(Self.ids("key: sk_test_\(Self.stripeBody)") == ["stripe.test-secret-key"])
    }

    // MARK: Whole-URL and paired secrets

    @Test func aSlackWebhookIsReportedAsTheWholeURL() {
        let url = "https://hooks.slack.com/services/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"
        #expect(Self.secret(#"requests.post("\#(url)", json=payload)"#) == url)
        #expect(Self.secret("curl -X POST -d @msg.json \(url)?unfurl=false") == url)
    }

    @Test func aTwilioAuthTokenAfterItsAccountSidIsTheSecretNotTheSid() {
        let line =
            "client = Client('AC976c9c7825418fe5f3c094edc7417ce5', 'x') # twilio -u AC976c9c7825418fe5f3c094edc7417ce5:bdd3aa268e255abb44a457b2ce37f5a0"
        #expect(Self.ids(line) == ["twilio.auth-token"])
        #expect(Self.secret(line) == "bdd3aa268e255abb44a457b2ce37f5a0")
    }

    @Test func aSentryDSNReportsOnlyItsSecretPart() {
        let dsn = "https://60277d586446be5e7bee66b359449f76:8649d3c81d1b8a4e309ba298eb946ef6@o9541884.ingest.sentry.io/9423563"
        #expect(Self.secret("dsn: \(dsn)") == "8649d3c81d1b8a4e309ba298eb946ef6")
    }

    // MARK: Context-anchored formats

    @Test(arguments: [
        ("TELEGRAM_TOKEN=7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQn", true),
        (#"bot = telebot.TeleBot("7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQn")"#, false),
        ("DD_API_KEY: b2b0b2926779294a7984c5f79bd72b40", true),
        ("commit b2b0b2926779294a7984c5f79bd72b40 fixed the build", false),
        ("mailgun.domains(key=\"key-c0be70c31773250552016e97b72e0f1b\")", true),
        ("etag: key-c0be70c31773250552016e97b72e0f1b", false),
        ("Authorization: SSWS 00PIHTd5lQEBr16LpVgUGeSPxBnjcdj1StVWWLKXVm", true),
        ("request id 00PIHTd5lQEBr16LpVgUGeSPxBnjcdj1StVWWLKXVm", false),
    ])
    func contextAnchoredRulesNeedTheirServiceOnTheLine(_ text: String, _ found: Bool) {
        // Without context the value may still be a generic assignment; what matters is that no
        // service rule claims it.
        let service = Self.ids(text).filter { !$0.hasPrefix("generic.") }
        #expect(service.isEmpty != found, "\(text): \(service)")
    }

    @Test func aContextAnchoredKeyIsFoundBelowALineThatMentionsExample() {
        // Java packages are often `com.example…`: only the secret's own line may mark a fixture.
        let text = """
            import com.example.billing.Invoice;
                private static final String DD_API_KEY = "9c8747a2a7a6643c4fb0a9999cdaa54d";
            """
        #expect(Self.ids(text) == ["datadog.api-key"])
    }

    // MARK: Placeholders and documentation

    @Test(arguments: [
        "SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx",
        "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "OPENAI_API_KEY=sk-proj-your-key-here",
        "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "ANTHROPIC_API_KEY=<your-anthropic-key>",
        "FIGMA_TOKEN=figd_${FIGMA_SECRET}",
    ])
    func placeholdersAreNotSecrets(_ text: String) {
        #expect(Self.ids(text).isEmpty, "\(text)")
    }

    // MARK: Encodings

    @Test(arguments: [
        #"{\"sendgrid\":{\"key\":\"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\"}}"#,
        #"{"env": "MAIL=1\n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"}"#,
        "https://relay.acme.io/cb?k%3D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%26x%3D1",
    ])
    func aKeyInsideEscapedOrEncodedTextIsFoundWhole(_ text: String) {
        #expect(Self.ids(text) == ["sendgrid.api-key"], "\(text)")
        #expect(Self.secret(text) == "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")
    }

    @Test func ageKeysMustBeUpperCaseBech32() {
        let key = "AGE-SECRET-KEY-1W4F4RVQCF9ZN0Z90RDJQP0NMT6FFMTTGX6F4NC7R232T23QK5YCSURYH5Q"
        #expect(Self.ids("# created by age-keygen\n\(key)\n") == ["age.secret-key"])
        #expect(Self.ids(key.lowercased()).isEmpty)
        #expect(Self.ids("AGE-SECRET-KEY-1" + String(repeating: "Q", count: 58)).isEmpty)
    }
}

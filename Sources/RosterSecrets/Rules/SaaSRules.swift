import RosterModel

/// Where a token may start: not inside a longer run of its own `alphabet` (a bracket expression's
/// contents), except right after a percent-escape (`%3D`, a URL-encoded `=`) or a JSON or shell
/// escape (`\n`), whose last character is a letter but ends the text before the token.
private func tokenStart(_ alphabet: String) -> String {
    #"(?:(?<=%[0-9A-Fa-f]{2})|(?<=\\[nrt])|(?<![\#(alphabet)]))"#
}

/// Credentials of hosted services: chat, payments, messaging, AI, observability, productivity.
///
/// Most formats carry a literal prefix (`xoxb-`, `sk_live_`, `SG.`), and the rule anchors on it.
/// A few are bare hex or digits (Datadog keys, Twilio auth tokens, Telegram bot tokens): those
/// rules anchor on the service's name in the same line (`datadog`, `twilio`, `telegram`), and
/// the pattern lets at most a short stretch of the line sit between the name and the value.
/// Boundaries are explicit look-arounds on each token's alphabet, so a value inside a longer run
/// of the same characters never matches.
extension SecretRules {
    static let saas: [SecretRule] = slack + chat + payments + messaging + ai + observability + productivity

    // MARK: - Slack

    /// Slack tokens (api.slack.com, "Token types"; "App configuration tokens"; "Incoming
    /// webhooks"): bot `xoxb-` (team id, bot id, 24 characters; legacy bots lack the second
    /// number), user `xoxp-` (three numbers, 32 hex), app-level `xapp-` (version, app id, number,
    /// 64 hex), configuration `xoxe.xoxp-` (12 hours) with its `xoxe-` refresh token.
    private static let slack: [SecretRule] = [
        SecretRule(
            id: "slack.bot-token",
            title: "Slack bot token",
            provider: "slack",
            keywords: ["xoxb-"],
            pattern: #"\#(tokenStart("A-Za-z0-9-"))(xoxb-[0-9]{8,13}-(?:[0-9]{8,13}-)?[A-Za-z0-9]{18,32})(?![A-Za-z0-9-])"#,
            minEntropy: 3.5,
            remediation:
                "Revoke the token (auth.revoke, or reinstall the app after rotating), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: ["SLACK_BOT_TOKEN=xoxb-379577013731-7793032997137-3q8nZS1FoIKjMN1P5vT2pqwS"],
            negatives: [
                "SLACK_BOT_TOKEN=xoxb-your-bot-token",
                "Authorization: Bearer xoxb-379577013731-7793032997137",
            ]
        ),
        SecretRule(
            id: "slack.user-token",
            title: "Slack user token",
            provider: "slack",
            severity: .critical,
            keywords: ["xoxp-"],
            pattern: #"\#(tokenStart("A-Za-z0-9.-"))(xoxp-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,13}-[0-9a-f]{32})(?![A-Za-z0-9-])"#,
            remediation:
                "Revoke the token (auth.revoke); a user token acts as the person who installed the app, so review the workspace's access logs, and remove it from the file and its history.",
            examples: [#"client = WebClient(token="xoxp-834890327314-306108109732-6898288987553-4f8e9206cd594e497710b88fd706aa09")"#],
            negatives: ["Authorization: Bearer xoxp-834890327314-306108109732-6898288987553-4f8e9206cd594e497710b88fd706aa0"]
        ),
        SecretRule(
            id: "slack.app-token",
            title: "Slack app-level token",
            provider: "slack",
            keywords: ["xapp-"],
            pattern: #"\#(tokenStart("A-Za-z0-9-"))(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[0-9a-f]{64})(?![A-Za-z0-9-])"#,
            remediation:
                "Revoke the app-level token under the app's Basic Information › App-Level Tokens, create a new one, and remove it from the file and its history.",
            examples: ["SLACK_APP_TOKEN=xapp-1-AAG0IKWNZ68-8738205838692-fa4765ccedc651cecf8bd1c50bf3fbd0f1194aeb7e965ae621b42b7120ce02b3"],
            negatives: ["Authorization: Bearer xapp-1-AAG0IKWNZ68-8738205838692"]
        ),
        SecretRule(
            id: "slack.config-token",
            title: "Slack app configuration token",
            provider: "slack",
            severity: .medium,
            keywords: ["xoxe.xox"],
            pattern: #"\#(tokenStart("A-Za-z0-9.-"))(xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170})(?![A-Za-z0-9-])"#,
            minEntropy: 4.0,
            remediation:
                "Configuration tokens expire after 12 hours, but its refresh token mints new ones: revoke both under Your Apps › Your App Configuration Tokens, and remove them from the file and its history.",
            examples: [
                #"{"token": "xoxe.xoxp-1-NFCLZkl3XbhgHqLsiY5DPX0PDYzlh9OCBVFnOyofi7xLepc5QIe74WnkDHq4X7dCXnjIs3kgHRN8BVPgXWpx4OW754LLbhb3XRgOU4EZ8s3150OoXC6jNYjpElcNH0mmStbMa9UGOaNqariaqBYdtjTiEs2oloogrTbO"}"#
            ],
            negatives: ["Authorization: Bearer xoxe.xoxp-1-initial"]
        ),
        SecretRule(
            id: "slack.config-refresh-token",
            title: "Slack app configuration refresh token",
            provider: "slack",
            keywords: ["xoxe-"],
            pattern: #"\#(tokenStart("A-Za-z0-9.-"))(xoxe-[0-9]-[A-Za-z0-9]{140,150})(?![A-Za-z0-9-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the configuration tokens under Your Apps › Your App Configuration Tokens, and remove the refresh token from the file and its history.",
            examples: [
                #"{"refresh_token": "xoxe-1-rq5R7IjAiRCYRzsu2M42RUl6411EJCNlfVvOZukgyH4HLXXKqa6YO56bLoSP3XXI9ZNhPTNsXJ5lDUWvtXpcDrxXdmdOmCcR44sTP7XahQKjnbmxx1Ew8fvo06Zyimx5bdbSskbWzUy1i8VAAS"}"#
            ],
            negatives: ["slack api tooling.tokens.rotate xoxe-1-abcdefg"]
        ),
        SecretRule(
            id: "slack.webhook",
            title: "Slack incoming webhook URL",
            provider: "slack",
            severity: .medium,
            keywords: ["hooks.slack.com/services/"],
            pattern: #"(https://hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})(?![A-Za-z0-9])"#,
            remediation:
                "Remove the webhook under the app's Incoming Webhooks (anyone holding the URL can post to the channel), create a new one stored in a secrets manager, and remove it from the file and its history.",
            examples: [#"SLACK_WEBHOOK_URL="https://hooks.slack.com/services/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""#],
            negatives: [
                #"SLACK_WEBHOOK_URL="https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX""#,
                #"SLACK_WEBHOOK_URL="https://hooks.slack.com/services/TYDDI8J4QIB/BBEWCEG8WV8/UO5dHvVYCrwVx85YzSvapy""#,
            ]
        ),
        SecretRule(
            id: "slack.workflow-webhook",
            title: "Slack workflow webhook URL",
            provider: "slack",
            severity: .medium,
            keywords: ["hooks.slack.com/workflows/", "hooks.slack.com/triggers/"],
            pattern:
                #"(https://hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/(?:A[A-Z0-9]{8,12}/)?[0-9]{10,20}/[A-Za-z0-9]{24,32})(?![A-Za-z0-9])"#,
            remediation:
                "Remove the workflow's webhook trigger and create a new one (anyone holding the URL can start the workflow), and remove it from the file and its history.",
            examples: ["notify: https://hooks.slack.com/triggers/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"],
            negatives: ["notify: https://hooks.slack.com/triggers/T07IJIW93XO/2105457712525"]
        ),
    ]

    // MARK: - Discord, Telegram

    private static let chat: [SecretRule] = [
        // Three base64url parts: the bot's user id (a 17–20 digit snowflake, base64 of its
        // decimal digits, so it starts with M, N or O), a 6-character timestamp and a 27- or
        // 38-character HMAC. No literal prefix: the rule needs `discord` on the line.
        SecretRule(
            id: "discord.bot-token",
            title: "Discord bot token",
            provider: "discord",
            keywords: ["discord"],
            pattern:
                #"(?i:discord).{0,80}?(?<![A-Za-z0-9_.-])([MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.(?:[A-Za-z0-9_-]{27}|[A-Za-z0-9_-]{38}))(?![A-Za-z0-9_.-])"#,
            minEntropy: 4.0,
            remediation:
                "Reset the bot's token in the Discord Developer Portal (Bot › Reset Token), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: [#"DISCORD_BOT_TOKEN="NDQ2ODUzMjU3MjIxMjU2OTA0Mw.9dBYYp.6b4QKiTg4s-wyzU9xgZt1-yToXANj0lnOAEAst""#],
            negatives: [
                "discord bot NDQ2ODUzMjU3MjIxMjU2OTA0Mw.9dBYYp",
                #"jwt = "NDQ2ODUzMjU3MjIxMjU2OTA0Mw.9dBYYp.6b4QKiTg4s-wyzU9xgZt1-yToXANj0lnOAEAst""#,  // no discord context
            ]
        ),
        SecretRule(
            id: "discord.webhook",
            title: "Discord webhook URL",
            provider: "discord",
            severity: .medium,
            keywords: ["discord.com/api/", "discordapp.com/api/"],
            pattern:
                #"(https://(?:(?:canary|ptb)\.)?discord(?:app)?\.com/api/(?:v[0-9]{1,2}/)?webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{68})(?![A-Za-z0-9_-])"#,
            remediation:
                "Delete the webhook in the channel's Integrations settings (anyone holding the URL can post as it), create a new one stored in a secrets manager, and remove it from the file and its history.",
            examples: [
                #"webhook_url: "https://discord.com/api/webhooks/5238292130482250266/Ixse6yONe22uR8CxkPpZFQbRwyL11AoXVJPptMqVGK7y2X16odQmO71hNa7S3LUgvhtp""#
            ],
            negatives: [#"webhook_url: "https://discord.com/api/webhooks/5238292130482250266/Ixse6yONe22uR8CxkPpZFQbRwyL11AoXVJPptMqVGK7""#]
        ),
        // `<bot id>:<35 characters>` (core.telegram.org/bots/api, "Authorizing your bot"); the
        // secret half starts with `A`. Bare digits and a colon are common, so `telegram` or
        // `bot_token` must be on the line.
        SecretRule(
            id: "telegram.bot-token",
            title: "Telegram bot token",
            provider: "telegram",
            keywords: ["telegram", "bot_token", "bottoken", "bot-token"],
            pattern: #"(?i:telegram|bot_?token|bot-token).{0,80}?(?<![0-9])([0-9]{8,10}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token with @BotFather (/revoke), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: [
                "TELEGRAM_BOT_TOKEN=7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQn",
                "curl https://api.telegram.org/bot7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQn/getMe",
            ],
            negatives: [
                "curl https://api.telegram.org/bot7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQ/getMe",  // 34 after the colon
                "timestamp 7455056771:AAyfAJE3yK0DCZbcWQfPaiW7MX7SkAPgOQn",  // no context
            ]
        ),
    ]

    // MARK: - Payments

    /// Stripe (docs.stripe.com, "API keys"): secret `sk_live_`, restricted `rk_live_`, test
    /// `sk_test_`; publishable `pk_` keys are public by design and never matched.
    private static let payments: [SecretRule] = [
        SecretRule(
            id: "stripe.secret-key",
            title: "Stripe live secret key",
            provider: "stripe",
            severity: .critical,
            keywords: ["sk_live_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(sk_live_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Roll the key in the Stripe Dashboard (Developers › API keys), prefer a restricted key held in a secrets manager, and remove it from the file and its history.",
            examples: [
                "STRIPE_SECRET_KEY=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"
            ],
            negatives: [
                "STRIPE_PUBLISHABLE_KEY=pk_live_51roGHvsOFhahTNc8Pwvycyr9SrdbhE8ISMaTb3jgpcOJCyxOkMYhnhxHytn2MsR6d2msdacPoPNmdjlGgwsDtXE8ZZVxEr5zZS",
                "Stripe live keys look like sk_live_abc123",
            ]
        ),
        SecretRule(
            id: "stripe.restricted-key",
            title: "Stripe live restricted key",
            provider: "stripe",
            keywords: ["rk_live_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(rk_live_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Roll the restricted key in the Stripe Dashboard (Developers › API keys), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: [
                #"stripe.api_key = "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""#
            ],
            negatives: ["restricted keys start rk_live_51m62EfzViCnfbs"]
        ),
        SecretRule(
            id: "stripe.test-secret-key",
            title: "Stripe test-mode secret key",
            provider: "stripe",
            severity: .low,
            keywords: ["sk_test_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(sk_test_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "A test-mode key moves no money but reads and writes the account's test data: roll it in the Dashboard, and keep keys out of the repository.",
            examples: [
                "STRIPE_SECRET_KEY=sk_test_51xCvy23Z3bP43boDAvr2ERUkkvmdXUQbf804yIVsq9srxuFaRva4wQHNwqQFoYiaeZi2h9kWsm4PArIR9UQrp5WC4FCPPg1CBy"
            ],
            negatives: [
                "STRIPE_PUBLISHABLE_KEY=pk_test_51xCvy23Z3bP43boDAvr2ERUkkvmdXUQbf804yIVsq9srxuFaRva4wQHNwqQFoYiaeZi2h9kWsm4PArIR9UQrp5WC4FCPPg1CBy"
            ]
        ),
        SecretRule(
            id: "square.access-token",
            title: "Square access token",
            provider: "square",
            keywords: ["eaaa"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token in the Square Developer Dashboard (or revoke the OAuth grant), issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: ["SQUARE_ACCESS_TOKEN=EAAAdQRZ8FDEzvnr3GZMEF1V0cYRcvpcTs-ZLVn2OHoyQYsd7-tdTnUf9rUV74Oy"],
            negatives: ["Authorization: Bearer EAAAdQRZ8FDEzvnr3GZMEF1V0cYRcvpcTs-ZLVn2OHoyQYsd7-tdTnUf9rUV74O"]
        ),
        SecretRule(
            id: "square.legacy-access-token",
            title: "Square legacy access token",
            provider: "square",
            keywords: ["sq0atp-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation:
                "Revoke the token in the Square Developer Dashboard, issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: ["square_token: sq0atp-VxM1uka7y7ildsS-5K_Fvy"],
            negatives: ["Authorization: Bearer sq0atp-81k2lsNaWQrZzhB4GZqT8"]
        ),
        SecretRule(
            id: "square.oauth-secret",
            title: "Square OAuth application secret",
            provider: "square",
            keywords: ["sq0csp-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Replace the application secret in the Square Developer Dashboard (OAuth page), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: ["SQUARE_APP_SECRET=sq0csp-xzDoIKFP_pUkydAVL5wN2GixOtSwCuP41GiHY3t1JYc"],
            negatives: ["client sq0csp-xzDoIKFP_pUkydAVL5wN2GixOtSwCuP41GiHY3t1JY"]
        ),
        SecretRule(
            id: "shopify.admin-access-token",
            title: "Shopify Admin API access token",
            provider: "shopify",
            keywords: ["shpat_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(shpat_[a-fA-F0-9]{32})(?![A-Za-z0-9_])"#,
            remediation:
                "Uninstall and reinstall the custom app (or rotate its credentials) to revoke the token, store the new one in a secrets manager, and remove it from the file and its history.",
            examples: ["X-Shopify-Access-Token: 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"],
            negatives: ["shopify admin shpat_53134750ef661e914e64323b2bb372c"]
        ),
        SecretRule(
            id: "shopify.custom-app-token",
            title: "Shopify custom app access token",
            provider: "shopify",
            keywords: ["shpca_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(shpca_[a-fA-F0-9]{32})(?![A-Za-z0-9_])"#,
            remediation:
                "Rotate the custom app's access token in the Shopify admin, store the new one in a secrets manager, and remove it from the file and its history.",
            examples: [#"SHOPIFY_TOKEN="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""#],
            negatives: ["shopify app shpca_fd9042c5ccda44ed26f4bb8d36aa59dz"]
        ),
        SecretRule(
            id: "shopify.private-app-password",
            title: "Shopify private app password",
            provider: "shopify",
            keywords: ["shppa_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(shppa_[a-fA-F0-9]{32})(?![A-Za-z0-9_])"#,
            remediation:
                "Private apps are retired: delete the app, move to a custom app with a token in a secrets manager, and remove the password from the file and its history.",
            examples: ["shopify_password = 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"],
            negatives: ["shopify private app shppa_aa70766ed24a470ca6b1183abb73459"]
        ),
        SecretRule(
            id: "shopify.shared-secret",
            title: "Shopify app shared secret",
            provider: "shopify",
            keywords: ["shpss_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(shpss_[a-fA-F0-9]{32})(?![A-Za-z0-9_])"#,
            remediation:
                "Rotate the app's client secret in the Partner Dashboard (it signs webhooks and OAuth), store the new one in a secrets manager, and remove it from the file and its history.",
            examples: ["SHOPIFY_API_SECRET=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"],
            negatives: ["shopify app 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3"]
        ),
    ]

    // MARK: - Messaging and email

    private static let messaging: [SecretRule] = [
        // An API key's SID (`SK` + 32 hex) identifies the key; with its secret it authenticates.
        // The SID alone is not usable, hence medium, and it needs `twilio` on the line.
        SecretRule(
            id: "twilio.api-key",
            title: "Twilio API key SID",
            provider: "twilio",
            severity: .medium,
            keywords: ["twilio"],
            pattern: #"(?i:twilio).{0,80}?(?<![A-Za-z0-9])(SK[0-9a-f]{32})(?![A-Za-z0-9])"#,
            remediation:
                "Delete the API key in the Twilio Console (Account › API keys), create a new one with its secret in a secrets manager, and remove both from the file and its history.",
            examples: ["TWILIO_API_KEY=SK8349ec0934d0c5796dcc19eb20f0ac31"],
            negatives: [
                "twilio key sid SK8349ec0934d0c5796dcc19eb20f0ac3",
                "checksum SK8349ec0934d0c5796dcc19eb20f0ac31",  // no twilio context
            ]
        ),
        // An account's auth token (32 hex) after the account SID (`AC…:token`, HTTP basic auth)
        // or in a `twilio…auth_token` assignment.
        SecretRule(
            id: "twilio.auth-token",
            title: "Twilio auth token",
            provider: "twilio",
            severity: .critical,
            keywords: ["twilio"],
            pattern: #"(?i:twilio).{0,160}?(?:(?<![A-Za-z0-9])AC[0-9a-f]{32}:|(?i:auth_?token)["']?\s*[:=]\s*["']?)([0-9a-f]{32})(?![A-Za-z0-9])"#,
            remediation:
                "Rotate the auth token in the Twilio Console (a secondary token lets you switch without downtime), prefer API keys held in a secrets manager, and remove it from the file and its history.",
            examples: [
                "TWILIO_AUTH_TOKEN=bdd3aa268e255abb44a457b2ce37f5a0",
                "curl -X POST https://api.twilio.com/2010-04-01/Accounts/AC976c9c7825418fe5f3c094edc7417ce5/Messages.json -u AC976c9c7825418fe5f3c094edc7417ce5:bdd3aa268e255abb44a457b2ce37f5a0",
            ],
            negatives: [
                "curl https://api.twilio.com/2010-04-01/Accounts.json -u AC976c9c7825418fe5f3c094edc7417ce5:bdd3aa268e255abb44a457b2ce37f5a",
                "AUTH_TOKEN=bdd3aa268e255abb44a457b2ce37f5a0",  // no twilio context
            ]
        ),
        SecretRule(
            id: "sendgrid.api-key",
            title: "SendGrid API key",
            provider: "sendgrid",
            keywords: ["sg."],
            pattern: #"\#(tokenStart("A-Za-z0-9_.-"))(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the key under Settings › API Keys in SendGrid, create one with the narrowest permissions in a secrets manager, and remove it from the file and its history.",
            examples: ["SENDGRID_API_KEY=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"],
            negatives: ["Authorization: Bearer SG.sLKnh3sB9qFDZEV9ygm-uA.GaHmLa37M373_JMTRpCf0wFxS2ZKbuhVS-TxTP78GC"]
        ).requiring(.followedBy(22, .base64url)),
        // Mailgun's private API key (`key-` + 32 hex, or the newer 32-8-8 hex form). Both shapes
        // are common elsewhere, so `mailgun` must be on the line.
        SecretRule(
            id: "mailgun.api-key",
            title: "Mailgun API key",
            provider: "mailgun",
            keywords: ["mailgun"],
            pattern: #"(?i:mailgun).{0,80}?(?<![A-Za-z0-9_-])(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])"#,
            remediation:
                "Delete the key under API Security in the Mailgun dashboard, create a new one (a domain sending key where possible) in a secrets manager, and remove it from the file and its history.",
            examples: [
                "MAILGUN_API_KEY=key-c0be70c31773250552016e97b72e0f1b",
                #"mailgun: { apiKey: "fd09efd0903194fbbc4639a58c480197-2759c225-b6f3e8c3", domain: "mg.acme.io" }"#,
            ],
            negatives: [
                "curl -s --user api:key-c0be70c31773250552016e97b72e0f1 https://api.mailgun.net/v3/domains",
                "key-c0be70c31773250552016e97b72e0f1b",  // no mailgun context
            ]
        ),
        SecretRule(
            id: "mailchimp.api-key",
            title: "Mailchimp API key",
            provider: "mailchimp",
            keywords: ["-us"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))([0-9a-f]{32}-us[0-9]{1,2})(?![A-Za-z0-9_-])"#,
            remediation:
                "Disable the key under Profile › Extras › API keys in Mailchimp, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["MAILCHIMP_API_KEY=1af1d3b2157ab40a585474d3ad622850-us14"],
            negatives: [
                "https://us14.api.mailchimp.com/3.0/ auth 1af1d3b2157ab40a585474d3ad62285-us14",
                "locale: en-us",
            ]
        ).requiring(.precededBy(32, .hex)),
    ]

    // MARK: - AI platforms

    private static let ai: [SecretRule] = [
        // OpenAI keys carry `T3BlbkFJ` (base64 of "OpenAI") between two random halves: project
        // (`sk-proj-`), service-account (`sk-svcacct-`) and admin (`sk-admin-`) keys, and the
        // older `sk-` + 20 + marker + 20.
        SecretRule(
            id: "openai.api-key",
            title: "OpenAI API key",
            provider: "openai",
            keywords: ["t3blbkfj"],
            pattern:
                #"\#(tokenStart("A-Za-z0-9_-"))(sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the key in the OpenAI dashboard (API keys, or the project's service accounts), issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: [
                "OPENAI_API_KEY=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",
                #"openai.api_key = "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""#,
            ],
            negatives: [
                "Authorization: Bearer sk-proj-LoxQPYIydVkWaoZlJjUObi_9QOGY-5x4MRY3WINMVtMOfwIsfLK0YVcInURfasC5Xw9KGV0oPD",  // no marker
                "Authorization: Bearer sk-Ns1NXVH0YgYnMdDnk5a6T3BlbkFJzbHZG",
            ]
        ),
        SecretRule(
            id: "anthropic.api-key",
            title: "Anthropic API key",
            provider: "anthropic",
            keywords: ["sk-ant-api03-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Disable the key in the Anthropic Console (Settings › API keys), issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: [
                "ANTHROPIC_API_KEY=sk-ant-api03-iGjPr2j3920A1cAZfG8II1QMwsmhAnS7px6izeRuosTzAxTbzHqzeVe7yTKoyh1IWXofqGICEnDV7QD4SKjIJmvQteHKrAA"
            ],
            negatives: [
                "Authorization: Bearer sk-ant-api03-iGjPr2j3920A1cAZfG8II1QMwsmhAnS7px6izeRuosTzAxTbzHqzeVe7yTKoyh1IWXofqGICEnDV7QD4SKjIJmvQteHKrBB",
                "ANTHROPIC_API_KEY=sk-ant-api03-your-key-here",
            ]
        ),
        SecretRule(
            id: "anthropic.admin-key",
            title: "Anthropic Admin API key",
            provider: "anthropic",
            severity: .critical,
            keywords: ["sk-ant-admin01-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the admin key in the Anthropic Console (it manages the organisation's members and keys), issue a new one only where needed, and remove it from the file and its history.",
            examples: [
                "ANTHROPIC_ADMIN_KEY=sk-ant-admin01-sV00pT8RCqUr319LnJcoWrLXuRlYoJLET-h30eQzEDTLMjUNVJq7LoilLnmI-GycxkTAxkeoYivZQiEhk8VKwR-6_zHAQAA"
            ],
            negatives: [
                "Authorization: Bearer sk-ant-admin01-sV00pT8RCqUr319LnJcoWrLXuRlYoJLET-h30eQzEDTLMjUNVJq7LoilLnmI-GycxkTAxkeoYivZQiEhk8VKwR-6_zHAQ"
            ]
        ),
        SecretRule(
            id: "huggingface.token",
            title: "Hugging Face access token",
            provider: "huggingface",
            keywords: ["hf_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(hf_[A-Za-z]{34})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Invalidate the token under Settings › Access Tokens on huggingface.co, create a fine-grained one in a secrets manager, and remove it from the file and its history.",
            examples: ["HF_TOKEN=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"],
            negatives: [
                "Authorization: Bearer hf_FFTBidJfPNDijcRJYeCanTtAjtbclGjwN",
                "def hf_hub_download_with_retries_and_cache(): pass",
            ]
        ),
    ]

    // MARK: - Observability

    private static let observability: [SecretRule] = [
        // Datadog API keys are 32 hex, application keys 40 hex (docs.datadoghq.com, "API and
        // application keys"); neither has a prefix, so the name must be on the line.
        SecretRule(
            id: "datadog.api-key",
            title: "Datadog API key",
            provider: "datadog",
            keywords: ["datadog", "dd_api_key", "dd-api-key"],
            pattern: #"(?i:datadog|dd_api_key|dd-api-key).{0,60}?(?<![A-Za-z0-9])([0-9a-f]{32})(?![A-Za-z0-9])"#,
            minEntropy: 3.0,
            remediation:
                "Revoke the key under Organization Settings › API Keys in Datadog, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: [
                "DD_API_KEY=b2b0b2926779294a7984c5f79bd72b40",
                #"datadog: { apiKey: "b2b0b2926779294a7984c5f79bd72b40" }"#,
            ],
            negatives: ["datadog trace b2b0b2926779294a7984c5f79bd72b4"]
        ),
        SecretRule(
            id: "datadog.app-key",
            title: "Datadog application key",
            provider: "datadog",
            keywords: ["datadog", "dd_app_key", "dd-application-key", "dd_application_key"],
            pattern: #"(?i:datadog|dd_app_key|dd-application-key|dd_application_key).{0,60}?(?<![A-Za-z0-9])([0-9a-f]{40})(?![A-Za-z0-9])"#,
            minEntropy: 3.0,
            remediation:
                "Revoke the application key (Organization Settings › Application Keys, or the owner's personal settings), create a scoped one in a secrets manager, and remove it from the file and its history.",
            examples: ["DD_APP_KEY=4373e1bda1319b0900f8405be79545124e54762c"],
            negatives: ["datadog span 4373e1bda1319b0900f8405be79545124e54762"]
        ),
        SecretRule(
            id: "newrelic.user-api-key",
            title: "New Relic user API key",
            provider: "newrelic",
            keywords: ["nrak-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(NRAK-[A-Z0-9]{27})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation:
                "Delete the key in New Relic's API keys UI, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["NEW_RELIC_API_KEY=NRAK-C0KML6S50CMJOVPXELMWOO7DOXQ"],
            negatives: ["Authorization: Bearer NRAK-C0KML6S50CMJOVPXELMWOO7DOX"]
        ),
        SecretRule(
            id: "newrelic.license-key",
            title: "New Relic ingest license key",
            provider: "newrelic",
            severity: .medium,
            keywords: ["nral"],
            pattern: #"\#(tokenStart("A-Za-z0-9"))([0-9a-f]{36}NRAL)(?![A-Za-z0-9])"#,
            remediation:
                "Rotate the ingest key in New Relic's API keys UI (it only sends data, but anyone holding it can write into the account), and remove it from the file and its history.",
            examples: ["license_key: e5f363360665c015b0ca5e1fd0dae841ed92NRAL"],
            negatives: ["license e5f363360665c015b0ca5e1fd0dae841ed9NRAL"]
        ),
        SecretRule(
            id: "newrelic.insert-key",
            title: "New Relic insights insert key",
            provider: "newrelic",
            severity: .medium,
            keywords: ["nrii-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(NRII-[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation: "Delete the insert key in New Relic, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["X-Insert-Key: NRII-ZWzwDFrlGXl_z1BVXBt7wRkl8OZfIa2A"],
            negatives: ["X-Insert-Key: NRII-ZWzwDFrlGXl_z1BVXBt7wRkl8OZfIa2"]
        ),
        // Organisation tokens: `sntrys_`, base64 of a JSON object (issue time, URLs, org), `_`,
        // 43 base64 characters of secret.
        SecretRule(
            id: "sentry.org-token",
            title: "Sentry organization auth token",
            provider: "sentry",
            keywords: ["sntrys_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(sntrys_eyJ[A-Za-z0-9+/]{40,600}={0,2}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token under Settings › Auth Tokens (organization) in Sentry, create a new one in a secrets manager or CI secret, and remove it from the file and its history.",
            examples: [
                "SENTRY_AUTH_TOKEN=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"
            ],
            negatives: [
                "Authorization: Bearer sntrys_eyJpYXQiOjE3MzMyNzA0MDAuNSwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8iLCJyZWdpb25fdXJsIjoiaHR0cHM6Ly91cy5zZW50cnkuaW8iLCJvcmciOiJhY21lLW9wcyJ9"
            ]
        ),
        SecretRule(
            id: "sentry.user-token",
            title: "Sentry user auth token",
            provider: "sentry",
            keywords: ["sntryu_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(sntryu_[0-9a-f]{64})(?![A-Za-z0-9_])"#,
            remediation:
                "Revoke the token under User Settings › Personal Tokens in Sentry, create a scoped one in a secrets manager, and remove it from the file and its history.",
            examples: ["SENTRY_AUTH_TOKEN=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"],
            negatives: ["Authorization: Bearer sntryu_9f88e8c04acca50c2acf849fbad2a10c7d5fd99c762c495f4193fb6b18b3da6"]
        ),
        // A legacy DSN with a secret key (`https://public:secret@host/project`); modern DSNs
        // carry only the public key, which is meant to ship in clients.
        SecretRule(
            id: "sentry.dsn-secret",
            title: "Sentry DSN secret key",
            provider: "sentry",
            severity: .low,
            keywords: ["sentry"],
            pattern: #"https?://[0-9a-f]{32}:([0-9a-f]{32})@[A-Za-z0-9.-]*sentry[A-Za-z0-9.-]*(?::[0-9]+)?/[0-9]+"#,
            remediation:
                "Revoke the project's client key under Project Settings › Client Keys (DSN), use a DSN without the secret part, and remove it from the file and its history.",
            examples: ["SENTRY_DSN=https://60277d586446be5e7bee66b359449f76:8649d3c81d1b8a4e309ba298eb946ef6@o9541884.ingest.sentry.io/9423563"],
            negatives: ["SENTRY_DSN=https://60277d586446be5e7bee66b359449f76@o9541884.ingest.sentry.io/9423563"]
        ),
        // Grafana service-account tokens: `glsa_`, 32 base62, `_`, an 8-hex checksum. Grafana
        // Cloud access-policy tokens: `glc_` + base64 of a JSON object (`{"o":…,"n":…,"k":…}`).
        SecretRule(
            id: "grafana.service-account-token",
            title: "Grafana service account token",
            provider: "grafana",
            keywords: ["glsa_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(glsa_[A-Za-z0-9]{32}_[0-9a-fA-F]{8})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the token under Administration › Service accounts in Grafana, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["Authorization: Bearer glsa_JLFDccQkaNpode1dhfp5oYq1UpbNjmRA_fac07c64"],
            negatives: ["Authorization: Bearer glsa_JLFDccQkaNpode1dhfp5oYq1UpbNjmRA_fac07c6"]
        ),
        SecretRule(
            id: "grafana.cloud-token",
            title: "Grafana Cloud access policy token",
            provider: "grafana",
            keywords: ["glc_eyj"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(glc_eyJ[A-Za-z0-9+/]{40,600}={0,2})(?![A-Za-z0-9+/=_])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the token under the access policy in the Grafana Cloud portal, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: [
                "GRAFANA_CLOUD_TOKEN=glc_eyJvIjoiOTE0MjM2IiwibiI6InN0YWNrLTkxNDIzNi1sb2dzLXdyaXRlIiwiayI6IkhGNjRyYldxZkhYcXVxcTZVMnNyRUl2dyIsIm0iOnsiciI6InByb2QtdXMtZWFzdC0wIn19"
            ],
            negatives: ["Authorization: Bearer glc_eyJvIjoiOTE0MjM2In0"]
        ),
        SecretRule(
            id: "grafana.api-key",
            title: "Grafana API key (legacy)",
            provider: "grafana",
            severity: .medium,
            keywords: ["eyjrijoi"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2})(?![A-Za-z0-9+/=_])"#,
            minEntropy: 4.0,
            check: .base64(minBytes: 40),
            remediation:
                "Delete the API key in Grafana (API keys are deprecated: migrate to a service account token), and remove it from the file and its history.",
            examples: ["grafana_api_key: eyJrIjoieDdJZkRINW1NRGR3aW44NlRrVllDTTdsOEdRbGNoYmsiLCJuIjoiZGVwbG95LWJvdCIsImlkIjo3fQ=="],
            negatives: ["Authorization: Bearer eyJrIjoieDdJZkRINW1NRGR3"]
        ),
    ]

    // MARK: - Productivity and developer tools

    private static let productivity: [SecretRule] = [
        SecretRule(
            id: "postman.api-key",
            title: "Postman API key",
            provider: "postman",
            keywords: ["pmak-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(PMAK-[0-9a-f]{24}-[0-9a-f]{34})(?![A-Za-z0-9_-])"#,
            remediation:
                "Revoke the key under Settings › API keys in Postman, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["POSTMAN_API_KEY=PMAK-635ca79d86ed45bead58a426-7db581ff5a3ed9ef8109fb8ce0a88ddc35"],
            negatives: ["Authorization: Bearer PMAK-635ca79d86ed45bead58a426-7db581ff5a3ed9ef8109fb8ce0a88ddc3"]
        ),
        // Okta API tokens: 42 characters starting `00`, sent as `Authorization: SSWS <token>`.
        SecretRule(
            id: "okta.api-token",
            title: "Okta API token",
            provider: "okta",
            keywords: ["ssws", "okta"],
            pattern: #"(?i:ssws|okta).{0,60}?(?<![A-Za-z0-9_-])(00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token under Security › API › Tokens in the Okta admin console (it acts with its creator's admin rights), move to an OAuth service app, and remove it from the file and its history.",
            examples: [
                "Authorization: SSWS 00PIHTd5lQEBr16LpVgUGeSPxBnjcdj1StVWWLKXVm",
                "OKTA_API_TOKEN=00PIHTd5lQEBr16LpVgUGeSPxBnjcdj1StVWWLKXVm",
            ],
            negatives: ["Authorization: SSWS 00PIHTd5lQEBr16LpVgUGeSPxBnjcdj1StVWWLKXV"]
        ),
        SecretRule(
            id: "linear.api-key",
            title: "Linear API key",
            provider: "linear",
            keywords: ["lin_api_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(lin_api_[A-Za-z0-9]{40})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the key under Settings › Security & access › Personal API keys in Linear, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["LINEAR_API_KEY=lin_api_9kQcCaiicauQ4fxhrJxW8WIdvYNFV4uBocQsewVt"],
            negatives: ["Authorization: lin_api_9kQcCaiicauQ4fxhrJxW8WIdvYNFV4uBocQsewV"]
        ),
        // Notion integration tokens: `ntn_`, 11 digits, 35 base62 (since 2024); the older
        // `secret_` + 43 is too generic a shape to match without `notion` on the line.
        SecretRule(
            id: "notion.integration-token",
            title: "Notion integration token",
            provider: "notion",
            keywords: ["ntn_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(ntn_[0-9]{11}[A-Za-z0-9]{35})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Refresh the integration's secret under Settings › Connections › Develop or manage integrations in Notion, store it in a secrets manager, and remove it from the file and its history.",
            examples: ["NOTION_TOKEN=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"],
            negatives: ["Authorization: Bearer ntn_03521802381vxdahZPmOLc8zdGyEGqUJm6FPXUQyRiV03"]
        ),
        SecretRule(
            id: "notion.integration-token.legacy",
            title: "Notion integration token (legacy secret_)",
            provider: "notion",
            keywords: ["notion"],
            pattern: #"(?i:notion).{0,60}?(?<![A-Za-z0-9_])(secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Refresh the integration's secret in Notion's integration settings, store it in a secrets manager, and remove it from the file and its history.",
            examples: [#"const notion = new Client({ auth: "secret_Ug2PgvrAStSt0BZhtQSEFcyUZynwLDwv71W4lUdsgFY" })"#],
            negatives: ["hmac(secret_Ug2PgvrAStSt0BZhtQSEFcyUZynwLDwv71W4lUdsgFY)"]
        ),  // no notion context
        // Airtable personal access tokens: `pat`, 14 base62 (the token id), `.`, 64 hex.
        SecretRule(
            id: "airtable.pat",
            title: "Airtable personal access token",
            provider: "airtable",
            keywords: ["pat"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(pat[A-Za-z0-9]{14}\.[0-9a-f]{64})(?![A-Za-z0-9_])"#,
            remediation:
                "Delete the token in Airtable's developer hub (Personal access tokens), create one with the narrowest scopes and bases in a secrets manager, and remove it from the file and its history.",
            examples: ["AIRTABLE_TOKEN=pat1NZQ3Fz0mzKaeY.4040a52640b5443eb13cdd40c582250855eafbd4be66f23a934c789a4d1d493e"],
            negatives: ["Authorization: Bearer pat1NZQ3Fz0mzKaeY.4040a52640b5443eb13cdd40c582250855eafbd4be66f23a934c789a4d1d493"]
        ).requiring(.followedBy(14, .alphanumeric)),
        SecretRule(
            id: "figma.pat",
            title: "Figma personal access token",
            provider: "figma",
            keywords: ["figd_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(figd_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token under Settings › Security › Personal access tokens in Figma, create a new one in a secrets manager, and remove it from the file and its history.",
            examples: ["headers = {'X-Figma-Token': 'figd_eaVY74qDA1_4YonpHNzHS_li0hRQGzjA0Tv6NfQ6'}"],
            negatives: ["headers = {'X-Figma-Token': 'figd_your_token_here'}"]
        ),
        // Dropbox short-lived access tokens (`sl.` then over a hundred base64url characters,
        // `sl.u.` for the newer, longer ones): valid four hours, hence medium.
        SecretRule(
            id: "dropbox.access-token",
            title: "Dropbox short-lived access token",
            provider: "dropbox",
            severity: .medium,
            keywords: ["dropbox"],
            pattern: #"(?i:dropbox).{0,80}?(?<![A-Za-z0-9_.-])(sl\.(?:u\.)?[A-Za-z0-9_-]{130,1500})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token (/2/auth/token/revoke) and its refresh token in the Dropbox app console, and remove it from the file and its history.",
            examples: [
                "DROPBOX_ACCESS_TOKEN=sl.9Z0fXrjT80VIjcy3MU2aFzEmVG6FDPEB_SCJqGWX7M8ZM1J8px625JjxQF-3q2LARYyoQ6NlmeLp0ar07lZW6dnHzPovxo9RwcLMqsBTGy7bYkYMYwbNdNggxINPqdhKF3gRhq-R"
            ],
            negatives: ["dropbox Authorization: Bearer sl.9Z0fXrjT80VIjcy3MU2aFzEmVG6FDPEB"]
        ),
        // Mapbox secret tokens: `sk.` + base64url JSON (`{"u":user,"a":id}`) + `.` + 22
        // characters. `pk.` tokens are public by design.
        SecretRule(
            id: "mapbox.secret-token",
            title: "Mapbox secret access token",
            provider: "mapbox",
            keywords: ["sk.eyj"],
            pattern: #"\#(tokenStart("A-Za-z0-9_.-"))(sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{22})(?![A-Za-z0-9_.-])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the secret token on the Mapbox account's Access tokens page, create a new one with the narrowest scopes in a secrets manager, and remove it from the file and its history.",
            examples: ["MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjVkbTFvN2psZGxkenQ1Z2Q0NHBuaTNrZXMifQ.lKcL1hODNhzfZ0jxBAK2h2"],
            negatives: ["public token pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjVkbTFvN2psZGxkenQ1Z2Q0NHBuaTNrZXMifQ.lKcL1hODNhzfZ0jxBAK2h2"]
        ),
        // An age X25519 identity: `AGE-SECRET-KEY-1` + 58 upper-case bech32 characters (the
        // 32-byte key and a 6-character checksum).
        SecretRule(
            id: "age.secret-key",
            title: "age secret key",
            provider: "age",
            severity: .critical,
            keywords: ["age-secret-key-1"],
            pattern: #"\#(tokenStart("A-Za-z0-9"))(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])"#,
            remediation:
                "Generate a new identity (age-keygen), re-encrypt everything encrypted to the old recipient, treat those files as disclosed, and remove the key from the file and its history.",
            examples: ["AGE-SECRET-KEY-1W4F4RVQCF9ZN0Z90RDJQP0NMT6FFMTTGX6F4NC7R232T23QK5YCSURYH5Q"],
            negatives: [
                "AGE-SECRET-KEY-1W4F4RVQCF9ZN0Z90RDJQP0NMT6FFMTTGX6F4NC7R232T23QK5YCSURYH5",  // 57 characters
                "AGE-SECRET-KEY-1W4F4RVQCF9ZN0Z90RDJQP0NMT6FFMTTGX6F4NC7R232T23QK5YCSURYHBQ",  // B is not bech32
            ]
        ),
    ]
}

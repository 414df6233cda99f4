import RosterModel

/// Where a token may start: not inside a longer run of its own `alphabet` (a bracket expression's
/// contents), except right after a percent-escape (`%3D`, a URL-encoded `=`) or a JSON or shell
/// escape (`\n`), whose last character is a letter but ends the text before the token.
private func tokenStart(_ alphabet: String) -> String {
    #"(?:(?<=%[0-9A-Fa-f]{2})|(?<=\\[nrt])|(?<![\#(alphabet)]))"#
}

/// Tokens issued by source-control and CI hosts: GitHub, GitLab, Atlassian (Bitbucket, Jira,
/// Confluence).
///
/// Every format here carries a literal prefix, so every rule anchors on it. Where the issuer puts
/// a checksum in the token (GitHub's base62 CRC32), the rule checks it, which leaves chance
/// matches at about one in 57 billion; where the checksum is one the engine cannot yet check
/// (GitLab's base36 CRC32, Atlassian's hex CRC32), the pattern pins every length instead.
/// Boundaries are explicit look-arounds on the token alphabet rather than `\b`, because several
/// alphabets include `-`, after which `\b` misbehaves.
extension SecretRules {
    static let sourceControl: [SecretRule] = github + gitlab + atlassian

    // MARK: - GitHub

    /// GitHub's 2021 token format: a three-letter type, `_`, 30 random base62 characters and the
    /// six-character base62 CRC32 of those 30 (docs.github.com, "About authentication": token
    /// prefixes; GitHub engineering blog, "Behind GitHub's new authentication token formats").
    private static let github: [SecretRule] = [
        SecretRule(
            id: "github.pat.classic",
            title: "GitHub personal access token (classic)",
            provider: "github",
            severity: .critical,
            keywords: ["ghp_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Delete the token under Settings › Developer settings › Personal access tokens, replace it with a fine-grained token or a GitHub App scoped to the repositories it needs, and remove it from the file and its history.",
            examples: [
                "export GITHUB_TOKEN=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",
                #"git clone https://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@github.com/acme/infra.git"#,
            ],
            negatives: [
                "Authorization: Bearer ghp_yLaDGJ9zmaKs5rYkFcKTmfb729qKLm3uw20A",  // checksum off by one character
                "Authorization: Bearer ghp_UFawfnXlgH1JnxlJPv4bxOe5Lxl5S83x9ym",  // 35 characters
                "Authorization: Bearer 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Q",  // inside a longer run
            ]
        ),
        SecretRule(
            id: "github.oauth",
            title: "GitHub OAuth access token",
            provider: "github",
            keywords: ["gho_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(gho_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Revoke the OAuth app's grant (Settings › Applications, or the app's API), have the user re-authorise, and remove the token from the file and its history.",
            examples: [#"{"access_token":"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","token_type":"bearer","scope":"repo"}"#],
            negatives: ["Authorization: Bearer gho_Gv1lpR81hcRLgw5QON7RiOdEt2V1LP3JBLaA"]
        ),
        SecretRule(
            id: "github.app.user-to-server",
            title: "GitHub App user-to-server token",
            provider: "github",
            severity: .medium,
            keywords: ["ghu_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(ghu_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Revoke the user's authorisation of the GitHub App (it expires within eight hours, but its refresh token does not), and remove the token from the file and its history.",
            examples: ["Authorization: Bearer ghu_JLGpbr0o4nArJKpArpkZldAhGyvtsD2RYCVu"],
            negatives: ["Authorization: Bearer ghu_Z89PWX88NeROgJAyUwBqACRVBU6w694AZHQA"]
        ),
        SecretRule(
            id: "github.app.installation",
            title: "GitHub App installation (server-to-server) token",
            provider: "github",
            severity: .medium,
            keywords: ["ghs_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(ghs_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Revoke the installation token (DELETE /installation/token); it expires within an hour, so also check how it reached the file: the App's private key that minted it may be exposed too.",
            examples: ["GH_INSTALLATION_TOKEN='ghs_9eFNu0ANO1auejPXt56YQ4oPOkCRbH1xvSuP'"],
            negatives: ["Authorization: Bearer ghs_WnFJwn14eA0v3WayDmN3kJhZcoBuUF3PBVfA"]
        ),
        SecretRule(
            id: "github.app.refresh",
            title: "GitHub App refresh token",
            provider: "github",
            keywords: ["ghr_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(ghr_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Revoke the user's authorisation of the GitHub App, which invalidates the refresh token (valid six months), and remove it from the file and its history.",
            examples: [#"refresh_token = "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""#],
            negatives: ["Authorization: Bearer ghr_eLqRgdf2q1SoZvwjOlrKKRbQBKyKHE155SbB"]
        ),
        // `github_pat_`, 22 characters (the token id, base62 with a leading version), `_`, 59
        // characters of secret: 93 in all.
        SecretRule(
            id: "github.pat.fine-grained",
            title: "GitHub fine-grained personal access token",
            provider: "github",
            severity: .critical,
            keywords: ["github_pat_"],
            pattern: #"\#(tokenStart("A-Za-z0-9_"))(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])"#,
            minEntropy: 4.0,
            remediation:
                "Delete the token under Settings › Developer settings › Fine-grained tokens, issue a new one from a secrets manager with the narrowest repositories and permissions, and remove it from the file and its history.",
            examples: [
                "GH_PAT=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",
                #"{"github": {"token": "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"}}"#,
            ],
            negatives: [
                "GH_PAT=github_pat_11QC84MCRECDFTEAJW8R33_zZUA3TQG0wQc5X3uevWXY7fzz2d8IXWwKWESLIbZx1xZr5cm6pW0M9nZ34",  // 58 after `_`
                "GH_PAT=github_pat_11QC84MCRECDFTEAJW8R33zZUA3TQG0wQc5X3uevWXY7fzz2d8IXWwKWESLIbZx1xZr5cm6pW0M9nZ34G",  // no separator
            ]
        ),
    ]

    // MARK: - GitLab

    /// GitLab's prefixed tokens (docs.gitlab.com, "GitLab token overview": token prefixes;
    /// GitLab's own secret-detection rules for the lengths). Since GitLab 17.x new personal access
    /// and runner tokens are "routable": a base64url payload of 27 to 300 characters, `.`, a
    /// two-character base36 version (`01`), `.`, the payload's length in two base36 characters and
    /// a seven-character base36 CRC32 of everything before it (GitLab's routable-token generator
    /// and the cells design document). Tokens minted between late 2024 and April 2025 lack the
    /// version field.
    private static let gitlab: [SecretRule] = [
        SecretRule(
            id: "gitlab.pat",
            title: "GitLab personal access token",
            provider: "gitlab",
            severity: .critical,
            keywords: ["glpat-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_.-])"#,
            minEntropy: 3.0,
            remediation:
                "Revoke the token under User settings › Access tokens (or the group or project's access tokens), issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: [
                "export GITLAB_TOKEN=glpat-BqrRSkqLeGUh7WopjGgU",
                #"curl --header "PRIVATE-TOKEN: glpat-BqrRSkqLeGUh7WopjGgU" https://gitlab.com/api/v4/user"#,
            ],
            negatives: [
                "git remote add origin https://oauth2:glpat-BqrRSkqLeGUh7WopjGg@gitlab.com/acme/infra.git",  // 19 characters
                "git remote add origin https://oauth2:glpat-BqrRSkqLeGUh7WopjGgUx@gitlab.com/acme/infra.git",  // 21 characters
            ]
        ),
        SecretRule(
            id: "gitlab.pat.routable",
            title: "GitLab personal access token (routable)",
            provider: "gitlab",
            severity: .critical,
            keywords: ["glpat-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glpat-[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_.-])"#,
            minEntropy: 4.0,
            remediation:
                "Revoke the token under User settings › Access tokens (or the group or project's access tokens), issue a new one from a secrets manager, and remove it from the file and its history.",
            examples: [
                "GITLAB_TOKEN=glpat-PNxzDr3KSecrp0K1dWKxTW86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0fdatgn",
                "token: glpat-UZ5bBxUKSpHoNsOpVF1NCW86MWEyYjNjCnU6OWY4ZTdkCiI.1b1wxkzte",
            ],
            negatives: [
                "https://oauth2:glpat-PNxzDr3KSecrp0K1dWKxTW86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0fdat@gitlab.com/acme/infra.git",  // CRC field cut short
                "https://oauth2:glpat-PNxzDr3KSecrp0K1dWKxTW86MWEyYjNjCnU6OWY4ZTdkCiI.01.1B0FDATGN@gitlab.com/acme/infra.git",  // base36 is lowercase
            ]
        ),
        SecretRule(
            id: "gitlab.runner.authentication",
            title: "GitLab runner authentication token",
            provider: "gitlab",
            keywords: ["glrt-"],
            pattern:
                #"\#(tokenStart("A-Za-z0-9_-"))(glrt-(?:[A-Za-z0-9_-]{20}|t\d_[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7}))(?![A-Za-z0-9_.-])"#,
            minEntropy: 3.0,
            remediation:
                "Reset the runner's authentication token (CI/CD settings › Runners, or the runners API), re-register the runner from a secrets manager, and remove the token from the file and its history.",
            examples: [
                "  token = \"glrt-kwukDZ_qGtwjyclvwp95\"",
                "RUNNER_TOKEN=glrt-t1_ZFX3o4wOS7IKborFcq7IiG86MWEyYjNjCnU6OWY4ZTdkCiI.01.1b0ztdacc",
            ],
            negatives: ["gitlab-runner verify glrt-kwukDZ_qGtwjyclvwp9"]
        ),
        SecretRule(
            id: "gitlab.runner.registration",
            title: "GitLab runner registration token",
            provider: "gitlab",
            keywords: ["gr1348941"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation:
                "Reset the registration token in the project, group or instance runner settings (registration tokens are deprecated: move to runner authentication tokens), and remove it from the file and its history.",
            examples: ["gitlab-runner register --url https://gitlab.com --registration-token GR1348941w0e0t0ctqOYqlNUBlU13"],
            negatives: ["--registration-token GR1348941w0e0t0ctqOYqlNUBlU1"]
        ),
        SecretRule(
            id: "gitlab.pipeline-trigger",
            title: "GitLab pipeline trigger token",
            provider: "gitlab",
            keywords: ["glptt-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glptt-[0-9a-f]{40})(?![A-Za-z0-9_-])"#,
            remediation:
                "Revoke the trigger under CI/CD settings › Pipeline trigger tokens, create a new one stored as a masked variable, and remove it from the file and its history.",
            examples: [
                "curl -X POST --form token=glptt-dbe70f80eb3431b0dca349d9520eb48071f361bd --form ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline"
            ],
            negatives: ["curl -X POST https://gitlab.com/api/v4/projects/42/ref/main/trigger/pipeline?glptt-dbe70f80eb3431b0dca349d9520eb48071f361bg"]
        ),  // not hex
        SecretRule(
            id: "gitlab.deploy-token",
            title: "GitLab deploy token",
            provider: "gitlab",
            keywords: ["gldt-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(gldt-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation:
                "Revoke the deploy token under Repository settings › Deploy tokens, create a new one with the narrowest scopes, and remove it from the file and its history.",
            examples: ["docker login registry.gitlab.com -u gitlab+deploy-token-7 -p gldt-75PHGsw09B4CJCSmANks"],
            negatives: ["-p gldt-75PHGsw09B4CJCSmANk"]
        ),
        SecretRule(
            id: "gitlab.feed-token",
            title: "GitLab feed token",
            provider: "gitlab",
            severity: .medium,
            keywords: ["glft-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glft-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation: "Reset the feed token under User settings › Access tokens, and remove it from the file and its history.",
            examples: ["https://gitlab.com/dashboard/issues.atom?feed_token=glft-uTrmBdHU20aSGLrJGaNa&state=opened"],
            negatives: ["issues.atom glft-uTrmBdHU20aSGLrJGaN"]
        ),
        SecretRule(
            id: "gitlab.oauth-app-secret",
            title: "GitLab OAuth application secret",
            provider: "gitlab",
            keywords: ["gloas-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(gloas-[0-9a-f]{64})(?![A-Za-z0-9_-])"#,
            remediation:
                "Renew the application's secret under Applications (user, group or instance), update the client from a secrets manager, and remove it from the file and its history.",
            examples: ["OAUTH_CLIENT_SECRET=gloas-9e93a5ae95e1acc583def65b6ac7e055b7cfc587a5601148754f360b072d19c3"],
            negatives: ["client gloas-9e93a5ae95e1acc583def65b6ac7e055b7cfc587a5601148754f360b072d19"]
        ),
        SecretRule(
            id: "gitlab.scim-token",
            title: "GitLab SCIM token",
            provider: "gitlab",
            keywords: ["glsoat-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glsoat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation:
                "Reset the SCIM token in the group's SAML SSO settings, update the identity provider, and remove it from the file and its history.",
            examples: ["scim_bearer: glsoat-e9fLX6Hih5iv73xQuXYe"],
            negatives: ["Authorization: Bearer glsoat-e9fLX6Hih5iv73xQuX"]
        ),
        // `glcbt-`, a short partition id (hex today), `_`, 20 characters.
        SecretRule(
            id: "gitlab.ci-job-token",
            title: "GitLab CI/CD job token",
            provider: "gitlab",
            severity: .medium,
            keywords: ["glcbt-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation:
                "A job token lives only while its job runs, so a leaked one is usually expired; find how it reached the file (job logs, artifacts), stop that, and remove it from the file and its history.",
            examples: ["CI_JOB_TOKEN=glcbt-64_TITdVop5QJ4l6hEpTlnc"],
            negatives: ["Authorization: Bearer glcbt-64TITdVop5QJ4l6hEpTlnc"]
        ),
        SecretRule(
            id: "gitlab.agent-token",
            title: "GitLab agent for Kubernetes token",
            provider: "gitlab",
            keywords: ["glagent-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glagent-[A-Za-z0-9_-]{50})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation:
                "Revoke the agent's token under Operate › Kubernetes clusters, create a new one stored as a cluster secret, and remove it from the file and its history.",
            examples: [
                "helm upgrade --install gitlab-agent gitlab/gitlab-agent --set config.token=glagent-uPVSLdh_txnPQRHYFsPdtrGLdt7gaWB9zNTi1UqMTSo8RWwIBX"
            ],
            negatives: ["Authorization: Bearer glagent-uPVSLdh_txnPQRHYFsPdtrGLdt7gaWB9zNTi1UqMTSo8RWwIB"]
        ),
        SecretRule(
            id: "gitlab.incoming-mail-token",
            title: "GitLab incoming email token",
            provider: "gitlab",
            severity: .medium,
            keywords: ["glimt-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glimt-[A-Za-z0-9_-]{25})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation: "Reset the incoming email token under User settings › Access tokens, and remove it from the file and its history.",
            examples: ["incoming_email_token: glimt-BVIXIQZB12XximzTNcF7-vwR7"],
            negatives: ["mail glimt-BVIXIQZB12XximzTNcF7-vwR"]
        ),
        SecretRule(
            id: "gitlab.feature-flags-client-token",
            title: "GitLab feature flags client token",
            provider: "gitlab",
            severity: .low,
            keywords: ["glffct-"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(glffct-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.0,
            remediation:
                "Reset the instance ID token under Deploy › Feature flags › Configure; it only reads flag states, but remove it from the file and its history.",
            examples: [#"unleash: { url: "https://gitlab.com/api/v4/feature_flags/unleash/42", instanceId: "glffct-j3uPy9rDSFOhMRea19k2" }"#],
            negatives: [#"instanceId: "glffct-j3uPy9rDSFOhMRea19k""#]
        ),
    ]

    // MARK: - Atlassian

    /// Atlassian's current API tokens (Jira, Confluence, Bitbucket): `ATATT3`, 177 base64url
    /// characters, `=`, then eight uppercase hex digits, the CRC32 of everything before them.
    /// Bitbucket Cloud repository, project and workspace access tokens have the same shape with
    /// `ATCTT3`. Every issued token seen so far continues `xFfGF0`; the patterns do not require it.
    /// Bitbucket app passwords: `ATBB`, 24 base62 characters, and the CRC32 of those 28 in eight
    /// uppercase hex digits. (Both checksums verified on public leaked samples; the engine has no
    /// hex-CRC32 check yet, so the lengths carry the precision.)
    private static let atlassian: [SecretRule] = [
        SecretRule(
            id: "atlassian.api-token",
            title: "Atlassian API token",
            provider: "atlassian",
            severity: .critical,
            keywords: ["atatt3"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(ATATT3[A-Za-z0-9_-]{177}=[0-9A-F]{8})(?![A-Za-z0-9_=-])"#,
            minEntropy: 4.5,
            remediation:
                "Revoke the token at id.atlassian.com › Security › API tokens, issue a scoped token or service account from a secrets manager, and remove it from the file and its history.",
            examples: [
                "JIRA_API_TOKEN=ATATT3xFfGF0D55VIRf5XKpojQnaRKInANq1eSsjJ-m5vb4GBXlWw9iYONymwpea8HIbvp-Xp-Z2Z4RTggVK3tK_YbJ_T9urPkKIM2u4vl7jRmXzqnL73WfbzSsv2-UIh18GiQhJdqilw_NyK-hPA6FXBeIWG8XL2BscbFu9ZYi49SbIz0-516f=9A3F135B"
            ],
            negatives: [
                "curl -u ops@acme.io:ATATT3QImwZIbHwEI2yi08t1NWNm0pR7ijVuXRY-tfKT9YPjQ-QzXtNSVsmlCSeY2oneQrj9AonJQpZN-ZfHDv5OaW3FMKMH6nEbtBTuav7EoZOZX8mh6EKqWwV83uzyzkutBIOuIzsqLDt37-wsz-f-MZgapTvSxyc9M3uv4sNcxagHph1lZ3F https://acme.atlassian.net/rest/api/3/myself",  // no checksum tail
                "Jira tokens start with ATATT3xFfGF0",
            ]
        ),
        SecretRule(
            id: "bitbucket.access-token",
            title: "Bitbucket repository, project or workspace access token",
            provider: "atlassian",
            keywords: ["atctt3"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(ATCTT3[A-Za-z0-9_-]{150,250}=[0-9A-F]{8})(?![A-Za-z0-9_=-])"#,
            minEntropy: 4.5,
            remediation:
                "Revoke the access token under the repository, project or workspace settings › Access tokens in Bitbucket, create a new one with the narrowest scopes, and remove it from the file and its history.",
            examples: [
                "git clone https://x-token-auth:ATCTT3xFfGF0uIKYRSPuwiPSVqx25VKp-h9rP58TVA7bs-sDEiN_OjJnNzlWac6511eN8woxM_WwMeZ4swstab2-lxwX6mRcVIpwQl2qjqDTMBlphf1VZrcriyIc4LFgTDNWRs5VJ2FV6atucF0U5nbSbyUF2OzrjVdLc7BCtQpy8IWGx_jjSKE=C5FCA8B7@bitbucket.org/acme/infra.git"
            ],
            negatives: [
                "Authorization: Bearer ATCTT3xFfGF0uIKYRSPuwiPSVqx25VKp-h9rP58TVA7bs-sDEiN_OjJnNzlWac6511eN8woxM_WwMeZ4swstab2-lxwX6mRcVIpwQl2qjqDTMBlphf1VZrcriyIc4LFgTDNWRs5VJ2FV6atucF0U5nbSbyUF2OzrjVdLc7BCtQpy8IWGx_jjSKE",  // no checksum tail
                "Bitbucket access tokens start ATCTT3xFfGF0",
            ]
        ),
        SecretRule(
            id: "bitbucket.app-password",
            title: "Bitbucket app password",
            provider: "atlassian",
            keywords: ["atbb"],
            pattern: #"\#(tokenStart("A-Za-z0-9_-"))(ATBB[A-Za-z0-9]{24}[0-9A-F]{8})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation:
                "Revoke the app password under Personal settings › App passwords (app passwords are being retired: move to an API token with scopes), and remove it from the file and its history.",
            examples: [#"BITBUCKET_APP_PASSWORD="ATBBFry21qF8MzDYfQqnill4974nA6000781""#],
            negatives: [
                "git clone https://ops:ATBBFry21qF8MzDYfQqnill4974nA600078@bitbucket.org/acme/infra.git",
                "git clone https://ops:ATBBFry21qF8MzDYfQqnill4974nA6000781aa@bitbucket.org/acme/infra.git",
            ]
        ),
    ]
}

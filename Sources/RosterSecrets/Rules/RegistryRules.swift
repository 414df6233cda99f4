import RosterModel

/// Package registry publishing credentials: npm, PyPI, RubyGems, NuGet, JFrog Artifactory,
/// crates.io and Clojars. A leaked publish token is a supply-chain foothold: whoever holds it can
/// ship a release under the owner's name.
extension SecretRules {
    public static let registry: [SecretRule] = [
        SecretRule(
            id: "npm.access-token",
            title: "npm access token",
            provider: "npm",
            keywords: ["npm_"],
            // 30 random base62 characters and a 6-character base62 CRC32 of them, as GitHub's tokens.
            pattern: #"(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#,
            check: .base62CRC32(prefixLength: 4),
            remediation:
                "Revoke the token (npm token revoke, or Access Tokens on npmjs.com), and publish from CI with trusted publishing (OIDC) or a granular token scoped to the packages.",
            examples: [
                "//registry.npmjs.org/:_authToken=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",
                #"NPM_TOKEN="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""#,
                #"npmAuthToken: "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""#,
            ],
            negatives: [
                "ref: npm_5U9WwckXjIdllpzdugZbbsNxfJ7ogi0DJdkA",
                "ref: npm_84sl1i0XSslTAgt1lWAyOger8Htq2U",
                "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
            ]
        ),
        SecretRule(
            id: "npm.npmrc.legacy-token",
            title: "npm legacy auth token in .npmrc",
            provider: "npm",
            keywords: ["_authtoken"],
            // Legacy tokens are bare UUIDs: only after the `_authToken` key.
            pattern: #"(?i)_authToken\s*=\s*["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])"#,
            minEntropy: 3.0,
            remediation: "Revoke the token (npm token revoke), and replace it with a granular access token or trusted publishing.",
            examples: [
                "//registry.npmjs.org/:_authToken=0fbf5330-1cae-4adb-8fcc-caaca01b9c56",
                #"//npm.corp.io/:_authToken="0fbf5330-1cae-4adb-8fcc-caaca01b9c56""#,
            ],
            negatives: ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "//registry.npmjs.org/:_authToken=00000000-0000-0000-0000-000000000000"]
        ),
        SecretRule(
            id: "npm.npmrc.basic-auth",
            title: "Registry credentials (_auth) in .npmrc",
            provider: "npm",
            keywords: ["_auth"],
            // base64 of `user:password`; a value ending in the encoding of `:` has an empty password.
            pattern:
                #"(?i)(?<![A-Za-z0-9])_auth\s*=\s*["']?([A-Za-z0-9+/]{8,}={0,2})(?<!Og==)(?<![DTjz]o=)(?<![AEIMQUYcgkosw048]6)(?![A-Za-z0-9+/=])"#,
            minEntropy: 3.0,
            check: .base64(minBytes: 6),
            remediation:
                "Change the registry password or token, and configure the registry with a scoped token in the user's .npmrc, not the project's.",
            examples: ["//npm.corp.io/:_auth=ZGVwbG95OloxNmpSQWhCUkFrWFB3aWg=", "_auth = ZGVwbG95OloxNmpSQWhCUkFrWFB3aWg="],
            negatives: ["_auth=${NPM_AUTH}", "_auth=ZGVwbG95Og=="]
        ),
        SecretRule(
            id: "pypi.upload-token",
            title: "PyPI API token",
            provider: "pypi",
            keywords: ["pypi-ageichlwas5vcmc"],
            // A macaroon whose location is `pypi.org`, base64url-encoded after `pypi-`.
            pattern: #"(?<![A-Za-z0-9_-])(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation: "Delete the token under Account settings → API tokens on pypi.org, and publish from CI with trusted publishing.",
            examples: [
                "[pypi]\n  username = __token__\n  password = pypi-AgEIcHlwaS5vcmcCJtkaSHZ2r657Bnq0opdg_7D5F_heUGVPgZCIs3AuL_65eRLLZhw-ojQZA606nqzLHqJx94uGQyxoqWSZosUoPZXo1d1TMASjbka1w4lgYbLL2qGtiFNtjEa3IVPGQx1kRilIE9mDiBgP15GaAq21DYFRt-R6_xauQ\n",
                "TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCJtkaSHZ2r657Bnq0opdg_7D5F_heUGVPgZCIs3AuL_65eRLLZhw-ojQZA606nqzLHqJx94uGQyxoqWSZosUoPZXo1d1TMASjbka1w4lgYbLL2qGtiFNtjEa3IVPGQx1kRilIE9mDiBgP15GaAq21DYFRt-R6_xauQ",
            ],
            negatives: ["ref: pypi-AgEIcHlwaS5vcmc84sl1i0XSslTAgt1lWAyOger8Htq2U", "TWINE_PASSWORD=pypi-<token>"]
        ),
        SecretRule(
            id: "pypi.test-upload-token",
            title: "TestPyPI API token",
            provider: "pypi",
            severity: .medium,
            keywords: ["pypi-agendgvzdc5wexbplm9yzw"],
            pattern: #"(?<![A-Za-z0-9_-])(pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation: "Delete the token under Account settings → API tokens on test.pypi.org.",
            examples: [
                "TEST_PYPI_TOKEN=pypi-AgENdGVzdC5weXBpLm9yZwCJg0jRpKl0xx8LfZ2z29ytuMiVqyhLAWHzmfH7HmX56p84mSjGJStMKRGA_qPDJXgoL_UBAwhZ2lUNZU1eVHtK-IGRsfIx455zztdhBNTfjFn8LOhK3PA6-uXLa1fcPqLSv_1jqp7vXf8ycho3bFSLIDTD2CMsJzdJ"
            ],
            negatives: ["ref: pypi-AgENdGVzdC5weXBpLm9yZw84sl1i0XSslTAgt1lWAyOger8Htq2U"]
        ),
        SecretRule(
            id: "rubygems.api-key",
            title: "RubyGems API key",
            provider: "rubygems",
            keywords: ["rubygems_"],
            pattern: #"\b(rubygems_[a-f0-9]{48})\b"#,
            minEntropy: 3.0,
            remediation:
                "Delete the key under Settings → API keys on rubygems.org, and publish with trusted publishing or a key scoped to push one gem, with MFA required.",
            examples: [
                ":rubygems_api_key: rubygems_e4242d0bf85aa08a2ad5c0683c4d5f94ac21bbad562c1791",
                "GEM_HOST_API_KEY=rubygems_e4242d0bf85aa08a2ad5c0683c4d5f94ac21bbad562c1791",
            ],
            negatives: ["ref: rubygems_27d40ac20d2de3206279634895623a069ca1e8fb", "GEM_HOST_API_KEY=rubygems_<key>"]
        ),
        SecretRule(
            id: "nuget.api-key",
            title: "NuGet.org API key",
            provider: "nuget",
            keywords: ["oy2"],
            pattern: #"\b(oy2[a-z0-9]{43})\b"#,
            minEntropy: 3.5,
            check: .mixedCharacters,
            remediation:
                "Delete or regenerate the key under API Keys on nuget.org, and scope its replacement to the packages and the push action it needs.",
            examples: [
                "dotnet nuget push out/*.nupkg --api-key oy2hz8g1mm330h6r4v0a8kcfy5yzbjtw2ppfxdff46cw3x --source https://api.nuget.org/v3/index.json"
            ],
            negatives: [
                "dotnet nuget push out/*.nupkg --api-key oy2jp079iqt1yfwb5o4e5tp6ci3ew9iw8",
                "--api-key OY2CEANA2M735ANCOJ1LI93SBCTDCPZX5ISWJCVX8M0QL6",
            ]
        ).requiring(.followedBy(43, .alphanumeric)),
        SecretRule(
            id: "jfrog.api-key",
            title: "JFrog Artifactory API key",
            provider: "jfrog",
            keywords: ["akcp"],
            pattern: #"\b(AKCp[A-Za-z0-9]{69})\b"#,
            minEntropy: 4.0,
            check: .mixedCharacters,
            remediation: "Revoke the API key in the user profile (API keys are deprecated), and use a scoped access token or OIDC from CI.",
            examples: [
                "ARTIFACTORY_API_KEY=AKCp8Zvj6Evn9eCA5zuhZbuKexdpIkRnJHTHWsdCjhWhbvbOajchxbKt6hWTHWw0sAi3inars",
                "curl -H 'X-JFrog-Art-Api: AKCp8Zvj6Evn9eCA5zuhZbuKexdpIkRnJHTHWsdCjhWhbvbOajchxbKt6hWTHWw0sAi3inars' https://corp.jfrog.io/artifactory/api/repositories",
            ],
            negatives: ["ref: AKCp84sl1i0XSslTAgt1lWAyOger8Htq2U"]
        ),
        SecretRule(
            id: "jfrog.reference-token",
            title: "JFrog reference token",
            provider: "jfrog",
            keywords: ["cmvmdgtu"],
            // base64 of `reftkn:…`, 64 characters.
            pattern: #"(?<![A-Za-z0-9+/])(cmVmdGtu[A-Za-z0-9]{56})(?![A-Za-z0-9+/=])"#,
            minEntropy: 4.0,
            check: .base64(minBytes: 48),
            remediation: "Revoke the token under Administration → User Management → Access Tokens, and issue a shorter-lived, scoped one.",
            examples: [
                "JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjE3NjQ4MzYwMDA6ZaPzGVxW2Bhj1DpOXdpTylCmP4yNAGkww5jK",
                #"curl -H "Authorization: Bearer cmVmdGtuOjAxOjE3NjQ4MzYwMDA6ZaPzGVxW2Bhj1DpOXdpTylCmP4yNAGkww5jK" https://corp.jfrog.io/artifactory/api/system/ping"#,
            ],
            negatives: ["ref: cmVmdGtu84sl1i0XSslTAgt1lWAyOger8Htq2U"]
        ),
        SecretRule(
            id: "crates-io.api-token",
            title: "crates.io API token",
            provider: "crates-io",
            keywords: ["cio"],
            pattern: #"\b(cio[A-Za-z0-9]{32})\b"#,
            minEntropy: 4.0,
            check: .mixedCharacters,
            remediation:
                "Revoke the token under Account Settings → API Tokens on crates.io, and publish with trusted publishing or a token scoped to the crate.",
            examples: ["CARGO_REGISTRY_TOKEN=cioRFiqwRO1wvWYebWQKJSqRZuO1RNeOlHn", "[registry]\ntoken = \"cioRFiqwRO1wvWYebWQKJSqRZuO1RNeOlHn\"\n"],
            negatives: ["ref: cioqE1fyTAUq9MtEaJlXbSq", "cioppinoRecipeCollectionVersion2024"]
        ).requiring(.followedBy(32, .alphanumeric)),
        SecretRule(
            id: "clojars.deploy-token",
            title: "Clojars deploy token",
            provider: "clojars",
            keywords: ["clojars_"],
            pattern: #"\b(CLOJARS_[a-z0-9]{60})\b"#,
            minEntropy: 3.0,
            remediation: "Disable the token under Deploy Tokens on clojars.org, and create one scoped to the group or artifact.",
            examples: ["CLOJARS_PASSWORD=CLOJARS_d4e2336edd75f8d8e5f72cd70530ee8c6bfd5ea25d164cfbdc4efae2fb16"],
            negatives: ["ref: CLOJARS_27d40ac20d2de3206279634895623a069ca1e8fb"]
        ),
    ]
}

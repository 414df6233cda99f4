import RosterModel

extension SecretRules {
    /// AWS access keys: the key id (`AKIA` long-term, `ASIA` temporary, then 16 base32
    /// characters), its 40-character secret, and session tokens.
    ///
    /// Key ids are fingerprinted the way the inventory fingerprints them, so a leaked key id is
    /// tied to the IAM user that holds it; a secret within a few lines of a key id is paired with it.
    public static let aws: [SecretRule] = [
        SecretRule(
            id: "aws.access-key-id", title: "AWS access key", provider: "aws", severity: .high,
            keywords: ["akia", "asia"],
            pattern: #"(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z2-7]{16})(?![A-Z0-9])(?:[,:;|\t ]{1,4}["']?(?<paired>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))?"#,
            fingerprint: .awsAccessKeyId,
            remediation: "Deactivate the key (aws iam update-access-key --status Inactive), check CloudTrail for its use, delete it, and move the workload to a role with short-lived credentials.",
            examples: [
                "AWS_ACCESS_KEY_ID=AKIA4QKZB7X2M5NPRS3T",
                "aws_access_key_id = ASIAZ6N3QW7RT2LKVB5M",
                "Access key ID,Secret access key\nAKIA2ZC7FJQ4LKMW3XNB,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",
            ],
            negatives: [
                "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "arn:aws:iam::123456789012:user/AKIA-builder", "AKIA1234567890ABCDEF",
                "XAKIA4QKZB7X2M5NPRS3T",
            ]),
        SecretRule(
            id: "aws.secret-access-key", title: "AWS secret access key", provider: "aws", severity: .critical,
            keywords: ["secret_access_key", "secretaccesskey", "aws_secret", "secret-access-key", "secret_key"],
            pattern: #"(?i)(?:secret_?access_?key|secret-access-key|aws_?secret(?:_?key)?|secret_key)["']?\s*(?:=>|:=|=|:)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"#,
            minEntropy: 3.5, check: .mixedCharacters, fingerprint: .awsSecretAccessKey,
            remediation: "Deactivate the access key this secret belongs to, check CloudTrail for its use, delete it, and move the workload to a role with short-lived credentials.",
            examples: [
                "AWS_SECRET_ACCESS_KEY=Jq3vN8sL2kW9xR5tB7mZ4cF1hY6gD0pA/eU+iO2r",
                #"    "SecretAccessKey": "t7Hk2Wq9Lm4Xz8Rv3Bn6Cs1Dy5Fg0Ja/Pe+Uo9Ki","#,
                #"  secret_key = "b8Nq2Zx7Lk4Wr9Ty3Mv6Gh1Cs5Dp0Fj/Ae+Ui2Oz""#,
            ],
            negatives: [
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                "aws_secret_access_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ]),
        SecretRule(
            id: "aws.session-token", title: "AWS session token", provider: "aws", severity: .medium, owasp: .nhi2SecretLeakage,
            keywords: ["session_token", "sessiontoken", "security_token", "session-token"],
            pattern: #"(?i)(?:session_?token|security_token|session-token)["']?\s*(?:=>|:=|=|:)\s*["']?((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{80,})"#,
            remediation: "Session tokens expire, but until then they act as the role: revoke the role's active sessions (an inline deny on aws:TokenIssueTime) and find where the token was copied from.",
            examples: [
                "aws_session_token = IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDx7Kq2Lm9Vb4Zn8Rw3Tt6Yh1Gs5Ff0Dd+Jk2Lp9XcNmAiB4Vq7Wz1Ey3Rt6Uy9Ip2Oa5Sd8Fg1Hj4Kl7Zx0Cv3Bn6Mq",
            ],
            negatives: ["aws_session_token = ${AWS_SESSION_TOKEN}", #"aws_session_token = "$(aws configure get aws_session_token)""#]),
    ]
}

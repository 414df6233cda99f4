import RosterModel

extension SecretRules {
    /// Secrets known only by the name they are assigned to. Lower precision than a format with a
    /// prefix, so medium severity, strict value tests (``Assignment``), and any specific rule
    /// that matches the same bytes wins.
    public static let generic: [SecretRule] = [
        SecretRule(
            id: "generic.password", title: "Password in an assignment", provider: "generic", severity: .medium,
            keywords: ["password", "passwd", "passphrase", "_pwd", "pwd_"],
            pattern: "(name contains password) = value", engine: .assignment,
            examples: [
                "DB_PASSWORD=Vq7#mZ2pLx9!",
                #"spring.datasource.password: "R4nd0m-Pr0d-Pa55w0rd-2024""#,
                #"{"password": "kT9wQ2zX7vB4nM8s"}"#,
            ],
            negatives: [
                "password = os.environ[\"DB_PASSWORD\"]", "password: ${DB_PASSWORD}", "if password == confirmPassword {",
                "password_hash = \"$2b$12$KIXQJ2e9Fh1rX0c3n6Zl3eW2sD4fG5hJ6kL7mN8bV9cX0zA1sD2fG\"", "password: changeme",
                "const password = getPassword();", "password: string;", "fake_password = \"Xy7#kP2mQ9\"",
            ]),
        SecretRule(
            id: "generic.secret", title: "Secret, token or API key in an assignment", provider: "generic", severity: .medium,
            keywords: ["secret", "token", "api_key", "apikey", "api-key", "access_key", "accesskey", "auth_key", "private_key"],
            pattern: "(name contains secret, token or api key) = value", engine: .assignment,
            examples: [
                "CLIENT_SECRET=q8Zr2Lm5Xv9Tk3Wn7Bc1",
                #"api_key: "a7Fk29Lq0Zx8Mv3Rt6Wp""#,
                #"const stripeToken = "tok9Hq2Lm7Xz4Rv8Kp3W";"#,
            ],
            negatives: [
                "token = request.headers.get(\"Authorization\")", "secret: {{ .Values.secret }}", "api_key = \"d41d8cd98f00b204e9800998ecf8427e\"",
                "secret_name: prod-db-credentials", "token_url = \"https://oauth2.googleapis.com/token\"",
                "api_key = \"123e4567-e89b-12d3-a456-426614174000\"", "tokenizer = AutoTokenizer.from_pretrained(model_name)",
            ]),
    ]
}

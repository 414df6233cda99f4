// Shapes from real Swift code that a generic assignment rule must not take for secrets:
// parameter labels with types, members, optional chaining, stored password hashes and the
// example tokens of the OAuth RFCs.
struct TokenStream {
    init(
        callbackToken: Source.WriteResult.CallbackToken?,
        tokenization: FTS5Tokenization,
        tokenizerPointer: OpaquePointer?,
        rawStringDelimitersToken: RawTokenSyntax?
    ) {
        self.tokenDiagnosticKind = tokenDiagnostic?.kind
    }

    func authenticate() {
        // md522d085ed8dc3377968dc1c1a40519a2a = "abc123" with salt 1, 2, 3, 4
        let password = "md522d085ed8dc3377968dc1c1a40519a2a"
        let authorization = HTTPClient.Authorization.bearer(tokens: "mF_9.B5f-4.1JqM")
        if basic.username == "test" && basic.password == "secret:with:colon" { accept(token: token, flags: flags, for: reason, tokenCallback: tokenCallback!) }
        _ = (password, authorization)
    }
}

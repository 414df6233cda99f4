import RosterModel

extension CloudTrailRecord {
    /// Who made the call, as the inventory names identities.
    ///
    /// - `IAMUser`: the user's ARN.
    /// - `AssumedRole`: the role's ARN from `sessionContext.sessionIssuer` (never the session ARN);
    ///   the session name is the session ARN's last component. A record without a session issuer
    ///   gets the role ARN built from the session ARN, which cannot know the role's path.
    /// - `Root`: `arn:aws:iam::<account>:root`.
    /// - `FederatedUser`: the IAM user (or root) that called `GetFederationToken`, the session issuer.
    /// - `WebIdentityUser`, `SAMLUser`: no inventory identity unless the session issuer is a role.
    /// - `AWSService`, `AWSAccount` and others: no inventory identity; the principal is the service or account.
    static func resolve(_ u: CloudTrailIdentity) -> ActivityActor {
        let type = u.type ?? "Unknown"
        let issuerRole = u.issuerType == "Role" ? u.issuerArn : nil
        var identityId: String?
        var principal = u.arn ?? u.userName ?? u.principalId ?? u.invokedBy ?? u.accountId ?? type
        var sessionName: String?
        switch type {
        case "IAMUser":
            identityId = u.arn ?? u.accountId.flatMap { account in u.userName.map { "arn:aws:iam::\(account):user/\($0)" } }
        case "AssumedRole":
            identityId = issuerRole ?? u.arn.flatMap(roleARN(fromSession:))
            sessionName = u.arn.flatMap(lastComponent)
        case "Root":
            if let arn = u.arn, arn.hasSuffix(":root") {
                identityId = arn
            } else if let account = u.accountId {
                identityId = "arn:aws:iam::\(account):root"
            }
            principal = identityId ?? principal
        case "FederatedUser":
            identityId = u.issuerArn
            sessionName = u.arn.flatMap(lastComponent)
        case "WebIdentityUser", "SAMLUser":
            identityId = issuerRole
            principal = u.userName ?? u.principalId ?? u.arn ?? type
        case "AWSService":
            principal = u.invokedBy ?? u.principalId ?? type
        case "AWSAccount":
            principal = u.accountId ?? u.principalId ?? type
        default:
            break
        }
        return ActivityActor(
            type: type,
            identityId: identityId,
            principal: principal,
            accessKeyId: u.accessKeyId,
            sessionName: sessionName,
            sourceIdentity: u.sourceIdentity ?? u.federatedProvider ?? u.identityProvider,
            mfaAuthenticated: u.mfaAuthenticated
        )
    }

    /// `arn:aws:sts::123456789012:assumed-role/Name/session` → `arn:aws:iam::123456789012:role/Name`.
    static func roleARN(fromSession arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return nil }
        let path = parts[5].split(separator: "/")
        guard path.count >= 2 else { return nil }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(path[1])"
    }

    /// The text after the last `/` of an ARN (the session name), nil when there is no `/`.
    static func lastComponent(_ arn: String) -> String? {
        guard let slash = arn.lastIndex(of: "/") else { return nil }
        let name = arn[arn.index(after: slash)...]
        return name.isEmpty ? nil : String(name)
    }
}

/// The IAM service prefix of a CloudTrail `eventSource`: the host's first label, except where the
/// service's endpoint and its IAM prefix differ.
enum ServicePrefix {
    /// Endpoint labels whose IAM prefix differs (CloudWatch's `monitoring`, SES's `email`, …).
    static let exceptions: [Substring: String] = [
        "monitoring": "cloudwatch",
        "email": "ses",
        "tagging": "tag",
        "models.lex": "lex",
        "runtime.lex": "lex",
        "runtime.sagemaker": "sagemaker",
        "api.sagemaker": "sagemaker",
        "execute-api": "execute-api",
    ]

    static func of(_ eventSource: String) -> String {
        guard let dot = eventSource.firstIndex(of: ".") else { return eventSource }
        let label = eventSource[..<dot]
        if let prefix = exceptions[label] { return prefix }
        // Two-label endpoints (`runtime.lex.amazonaws.com`).
        if let second = eventSource[eventSource.index(after: dot)...].firstIndex(of: "."),
            let prefix = exceptions[eventSource[..<second]]
        {
            return prefix
        }
        return String(label)
    }
}

import Foundation
public import RosterModel

/// Who can assume a role, read from its trust policy the way STS reads it.
///
/// Only `Allow` statements for the assume-role actions let anyone in. A wildcard principal
/// (`"*"` or `{"AWS": "*"}`) is narrowed only by conditions that pin the caller's
/// organization, account or ARN; `sts:ExternalId` does not narrow it (anyone who learns the
/// id can use it). A web-identity (OIDC) principal is narrowed only by a condition on the
/// provider's `sub` claim that does not wildcard its first segment (for Cognito, on `aud`).
public struct TrustAssessment: Hashable, Sendable {
    public struct AccountTrust: Hashable, Sendable {
        public var account: String
        public var principal: String
        public var externalId: Bool
    }

    public struct OIDCTrust: Hashable, Sendable {
        public var provider: String
        /// The sub (or aud for Cognito) values that scope it, empty when nothing does.
        public var scopedTo: [String]
        /// Why it is not scoped, when it is not.
        public var problem: String?
    }

    /// Set when anyone (any AWS account, or the public) can assume the role; says why.
    public var everyone: String?
    public var accounts: [AccountTrust] = []
    public var oidc: [OIDCTrust] = []
    public var saml: [String] = []
    public var services: [String] = []

    /// The account ids other than `own` that the policy trusts.
    public func externalAccounts(own: String?) -> [AccountTrust] { accounts.filter { $0.account != own } }
}

public enum TrustAnalysis {
    static let narrowingKeys: Set<String> = [
        "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn",
        "aws:sourceorgid", "aws:userid", "aws:sourceidentity",
    ]
    static let positiveOperators: Set<String> = ["StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike"]

    public static func assess(_ trust: PolicyDocument?) -> TrustAssessment {
        var result = TrustAssessment()
        let denies = (trust?.statements ?? []).filter { $0.effect == .deny }
        for principal in trust?.trustedPrincipals ?? [] {
            let statement = principal.statement
            switch principal.kind {
            case .allExcept:
                result.everyone = "NotPrincipal with Allow lets in everyone except \(principal.value)"
            case .everyone:
                guard narrowingConditions(statement).isEmpty, !deniesEveryoneElse(statement, denies) else { continue }
                let externalId = statement.conditions.contains { $0.key.lowercased() == "sts:externalid" }
                result.everyone = "Principal \(principal.written) with no condition on the caller's organization, account or ARN"
                    + (externalId ? " (sts:ExternalId alone does not restrict who can assume it)" : "")
            case .aws:
                let externalId = statement.conditions.contains { $0.key.lowercased() == "sts:externalid" && positiveOperators.contains($0.baseOperator) }
                if let account = account(of: principal.value) {
                    result.accounts.append(.init(account: account, principal: principal.written, externalId: externalId))
                }
            case .service:
                result.services.append(principal.value)
            case .saml:
                result.saml.append(principal.value)
            case .oidc:
                result.oidc.append(oidcTrust(principal.value, statement, denies: denies))
            case .canonicalUser:
                continue
            }
        }
        return result
    }

    /// Whether a `Deny` for any principal covers the assume-role actions `allow` grants, outright or
    /// for every caller outside a named organization, account or ARN.
    ///
    /// A Deny wins over any Allow, so `Deny * sts:AssumeRole` cancels the wildcard, and
    /// `Deny … StringNotEquals aws:PrincipalOrgID o-…` lets in only the organization, exactly as the
    /// Allow condition `StringEquals aws:PrincipalOrgID o-…` would. A Deny with any other condition
    /// (or a wildcarded value) leaves some outsiders in, and does not count.
    static func deniesEveryoneElse(_ allow: PolicyStatement, _ denies: [PolicyStatement]) -> Bool {
        let actions = PolicyDocument.assumeRoleActions.filter { allow.coversAction($0) }
        return denies.contains { deny in
            guard actions.allSatisfy({ deny.coversAction($0) }), deny.coversResource("*") || deny.resources == nil else { return false }
            switch deny.principals {
            case .only(let set)?: guard set.everyone || set.aws.contains("*") else { return false }
            case .except?, nil: return false
            }
            return deny.conditions.allSatisfy { condition in
                let key = condition.key.lowercased()
                return narrowingKeys.contains(key) && negatedNarrowingOperators.contains(condition.baseOperator)
                    && !condition.operator.hasPrefix("ForAnyValue:") && !condition.values.isEmpty
                    && !condition.values.contains { isBroad($0, key: key) }
            }
        }
    }

    static let negatedNarrowingOperators: Set<String> = ["StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase", "ArnNotEquals", "ArnNotLike"]

    /// Conditions that pin the caller's organization, account or ARN.
    ///
    /// `ForAnyValue:` counts (it fails when the key is absent, and is how the multivalued
    /// `aws:PrincipalOrgPaths` is meant to be tested); `ForAllValues:` does not (it passes when the
    /// key is absent, as it is for callers outside any organization). A value that wildcards the
    /// organization or account (`*`, `o-*`, `arn:aws:iam::*:role/x`) narrows nothing.
    static func narrowingConditions(_ statement: PolicyStatement) -> [PolicyCondition] {
        statement.conditions.filter { condition in
            let key = condition.key.lowercased()
            guard narrowingKeys.contains(key), positiveOperators.contains(condition.baseOperator),
                !condition.operator.hasPrefix("ForAllValues:"), !condition.values.isEmpty
            else { return false }
            return !condition.values.contains { isBroad($0, key: key) }
        }
    }

    static func isBroad(_ value: String, key: String) -> Bool {
        func wild(_ text: Substring) -> Bool { text.isEmpty || text.contains("*") || text.contains("?") }
        switch key {
        case "aws:principalarn", "aws:sourcearn":
            let parts = value.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 6, parts[0] == "arn" else { return wild(Substring(value)) || value.hasPrefix("*") }
            // Service ARNs (aws:SourceArn of a bucket) have no account; the resource part then decides.
            if key == "aws:sourcearn" && parts[4].isEmpty { return wild(parts[5]) && parts[5].hasPrefix("*") }
            return wild(parts[4])
        case "aws:principalorgpaths":
            return wild(value.split(separator: "/", omittingEmptySubsequences: false).first ?? "")
        default:
            return wild(Substring(value))
        }
    }

    /// The account an AWS principal belongs to: `123456789012` or `arn:aws:iam::123456789012:…`.
    static func account(of principal: String) -> String? {
        if principal.count == 12, principal.allSatisfy(\.isNumber) { return principal }
        let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[4].count == 12 else { return nil }
        return String(parts[4])
    }

    static let negatedOperators: Set<String> = ["StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase"]

    static func oidcTrust(_ provider: String, _ statement: PolicyStatement, denies: [PolicyStatement] = []) -> TrustAssessment.OIDCTrust {
        let host: String
        if let range = provider.range(of: "oidc-provider/") {
            host = String(provider[range.upperBound...])
        } else {
            host = provider
        }
        let claim = host == "cognito-identity.amazonaws.com" ? "aud" : "sub"
        let key = "\(host):\(claim)".lowercased()
        let tests = statement.conditions.filter { $0.key.lowercased() == key && positiveOperators.contains($0.baseOperator) }
        // A Deny for every token whose claim is *not* in a list scopes the role as well as an Allow condition would.
        let denied = denies.filter { $0.coversAction("sts:AssumeRoleWithWebIdentity") }.flatMap(\.conditions).filter {
            $0.key.lowercased() == key && negatedOperators.contains($0.baseOperator)
        }
        if tests.isEmpty, !denied.isEmpty {
            let values = denied.flatMap(\.values)
            if let loose = values.first(where: isUnscoped) {
                return .init(provider: host, scopedTo: values, problem: "Deny \(denied[0].operator) \(host):\(claim) \"\(loose)\" still admits any \(subject(host))")
            }
            return .init(provider: host, scopedTo: values, problem: nil)
        }
        guard !tests.isEmpty else {
            return .init(provider: host, scopedTo: [], problem: "no condition on \(host):\(claim)")
        }
        let values = tests.flatMap(\.values)
        if let loose = values.first(where: isUnscoped) {
            return .init(provider: host, scopedTo: values, problem: "\(tests[0].operator) \(host):\(claim) = \"\(loose)\" matches any \(subject(host))")
        }
        return .init(provider: host, scopedTo: values, problem: nil)
    }

    /// A claim pattern whose first segment is wildcarded (`*`, `repo:*`, `system:serviceaccount:*`) admits any caller of the provider.
    static func isUnscoped(_ value: String) -> Bool {
        if value == "*" || value.isEmpty { return true }
        for prefix in ["repo:", "system:serviceaccount:", "project_path:", "organization:"] where value.hasPrefix(prefix) {
            let rest = value.dropFirst(prefix.count)
            let firstSegment = rest.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == ":" }).first ?? ""
            return firstSegment.contains("*") || firstSegment.contains("?") || firstSegment.isEmpty
        }
        return value.hasPrefix("*")
    }

    static func subject(_ host: String) -> String {
        if host.contains("githubusercontent.com") { return "GitHub repository" }
        if host.contains("oidc.eks.") { return "service account in the cluster" }
        if host.contains("gitlab") { return "GitLab project" }
        return "identity the provider issues tokens for"
    }
}

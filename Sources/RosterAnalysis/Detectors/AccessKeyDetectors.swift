import Foundation
import RosterModel

/// Standing access keys: age and rotation hygiene (OWASP NHI7).
extension Detectors {
    public static let accessKeyNotRotated = Detector(
        id: "aws.access-key.not-rotated",
        title: "Access key not rotated",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "An active access key older than `maxKeyAgeDays` (default 90) days.",
        remediation: "Create a new key, move the workload to it, deactivate and then delete the old one; "
            + "better, replace the key with a role the workload assumes (instance profile, IRSA, OIDC federation) so no key is stored at all.",
        evaluate: { subject, policy in
            guard subject.identity.kind != .rootAccount else { return [] }
            return subject.activeAccessKeys.compactMap { key in
                guard let reference = key.ageReference else { return nil }
                let age = subject.days(since: reference)
                guard age > policy.maxKeyAgeDays else { return nil }
                return Hit([
                    "\(Say.key(key)) created \(Say.date(reference)), \(Say.days(age)) old (limit \(policy.maxKeyAgeDays))",
                    key.lastUsedAt.map { "last used \(Say.date($0))\(key.lastUsedDetail.map { ", \($0)" } ?? "")" } ?? "no recorded use",
                ], credentialId: key.id)
            }
        })

    public static let twoActiveAccessKeys = Detector(
        id: "aws.access-key.two-active",
        title: "Two active access keys",
        severity: .medium,
        owasp: .nhi7LongLivedSecrets,
        summary: "A user with both of its access keys active: usually a rotation left half done, doubling what can leak.",
        remediation: "Find which key the workload uses (last-used dates), deactivate the other, and delete it once nothing breaks.",
        evaluate: { subject, _ in
            let keys = subject.activeAccessKeys
            guard keys.count >= 2, subject.identity.kind != .rootAccount else { return [] }
            return [Hit(keys.map { key in
                "\(Say.key(key)) created \(Say.date(key.ageReference)), last used \(Say.date(key.lastUsedAt))"
            })]
        })
}

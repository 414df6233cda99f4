import Foundation
import RosterModel

/// Identities and keys nobody uses: candidates for offboarding (OWASP NHI1).
extension Detectors {
    public static let unusedIdentity = Detector(
        id: "nhi.unused",
        title: "Machine identity unused",
        severity: .high,
        owasp: .nhi1ImproperOffboarding,
        summary: "A machine identity with no recorded use (or never used since creation) for the lowest of `staleTiers` (default 30, 60, 90) days; "
            + "severity rises with the tier, to high from `unusedDays` (default 90). The finding keeps its id as it crosses tiers.",
        remediation: "Confirm with the owner that nothing depends on it, then disable its credentials and delete it; "
            + "if it is needed only occasionally, replace standing credentials with a role assumed on demand.",
        evaluate: { subject, policy in
            let identity = subject.identity
            guard subject.isGovernedNHI, identity.usageTracked else { return [] }
            let idle: Int
            let fact: String
            if let last = identity.lastUsedAt {
                idle = subject.days(since: last)
                fact = "last used \(Say.date(last)) (\(Say.days(idle)) before \(Say.date(subject.now)))" + (identity.lastUsedDetail.map { ", \($0)" } ?? "")
            } else {
                guard let created = identity.createdAt else { return [] }
                idle = subject.days(since: created)
                let window = identity.kind == .iamRole && idle > 400 ? " (AWS tracks role use for 400 days)" : ""
                fact = "never used\(window); created \(Say.date(created)), \(Say.days(idle)) ago"
            }
            guard let tier = policy.staleTier(idleDays: idle) else { return [] }
            return [Hit([fact, "unused for \(tier.days)+ days (tiers \(policy.unusedTiers.map(String.init).joined(separator: "/")))"], severity: tier.severity)]
        })

    public static let accessKeyNeverUsed = Detector(
        id: "aws.access-key.never-used",
        title: "Access key never used",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "An active access key with no recorded use, created more than `neverUsedGraceDays` (default 7) days ago.",
        remediation: "Deactivate the key, wait for anything that breaks, then delete it. Create keys only when a workload is ready to use them.",
        evaluate: { subject, policy in
            subject.activeAccessKeys.compactMap { key in
                guard subject.identity.kind != .rootAccount, key.usageTracked, key.lastUsedAt == nil, let created = key.createdAt else { return nil }
                let age = subject.days(since: created)
                guard age > policy.neverUsedGraceDays else { return nil }
                return Hit(["\(Say.key(key)) created \(Say.date(created)) (\(Say.days(age)) ago), active, never used"], credentialId: key.id)
            }
        })
}

import Foundation
import RosterModel

/// Maps what the AWS files say to the model: one estate per account.
///
/// Users are joined across files by ARN (credential report) or by name (access-key files);
/// access keys listed by `list-access-keys` are matched to credential-report slots by their
/// creation time, which is what the report's `access_key_N_last_rotated` holds.
struct AWSMapper {
    let sources: AWSSources
    let asOf: Date?
    private(set) var warnings: [String] = []
    private var accounts: [String: AccountDraft] = [:]
    /// AWS-managed policies from every file, by ARN.
    private var providerPolicies: [String: Policy] = [:]
    /// The newest timestamp the data holds, and what it is, for the observation time.
    private var newestInData: (date: Date, what: String)?

    init(sources: AWSSources, asOf: Date?) {
        self.sources = sources
        self.asOf = asOf
    }

    struct UserDraft {
        var identity: Identity
        var reportRow: AWSCredentialReport.Row?
        var listedKeys: [AWSListAccessKeys.Metadata]?
    }

    struct AccountDraft {
        var users: [String: UserDraft] = [:]
        var roles: [String: Identity] = [:]
        var root: Identity?
        var rootRow: AWSCredentialReport.Row?
        var policies: [String: Policy] = [:]
        var grants: [Grant] = []
        var resources: [String: Resource] = [:]
        var edges: Set<Edge> = []
        var referencedPolicies: Set<String> = []
    }

    mutating func map() throws -> [Estate] {
        for (path, details) in sources.details { try add(details, path: path) }
        for (path, report) in sources.reports { add(report, path: path) }
        for account in sources.collectedAccounts where accounts[account] == nil { accounts[account] = AccountDraft() }
        try addControlPolicies()
        addAccessKeyLists()
        let lastUsed = lastUsedByKey()
        let generated = sources.reports.compactMap { $0.1.generatedAt }.max()
        for (path, list) in sources.accessKeys {
            for key in list.accessKeyMetadata {
                saw(key.createDate?.date, "CreateDate of access key \(CredentialFingerprint.preview(key.accessKeyId)) in \((path as NSString).lastPathComponent)")
            }
        }
        for (path, record) in sources.lastUsed {
            saw(record.accessKeyLastUsed.lastUsedDate?.date, "LastUsedDate in \((path as NSString).lastPathComponent)")
        }
        let observedAt = observationTime(generated: generated)
        var estates: [Estate] = []
        for (account, draft) in accounts.sorted(by: { $0.key < $1.key }) {
            estates.append(finish(account: account, draft: draft, lastUsed: lastUsed, observedAt: observedAt))
        }
        return estates
    }

    // MARK: Service control policies

    /// Each SCP as a policy, and a grant per level of the account's organization it is attached at, on the
    /// subject `aws:<account>`: the access graph requires an allow at every level and honours every deny.
    private mutating func addControlPolicies() throws {
        for (account, levels) in sources.controlPolicies.sorted(by: { $0.key < $1.key }) {
            for (depth, level) in levels.enumerated() {
                for attached in level.policies {
                    let place = "organizations DescribePolicy \(attached.id)"
                    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(attached.content.utf8)) else {
                        throw ConnectorError(.wrongShape, "expected a policy document (JSON) in Content", file: place, location: "$.Policy.Content")
                    }
                    let document: PolicyDocument
                    do {
                        document = try AWSPolicyDocument.parse(value)
                    } catch {
                        throw ConnectorError(.wrongShape, "expected \(error.expected)", file: place, location: "$.Policy.Content" + error.path)
                    }
                    accounts[account, default: AccountDraft()].policies[attached.arn] = Policy(
                        id: attached.arn, name: "SCP \(attached.name)", provider: .aws, kind: .serviceControl, document: document)
                    accounts[account]!.grants.append(Grant(
                        subjectId: "aws:\(account)", policyId: attached.arn, via: .serviceControl,
                        scope: GrantScope(.organizationLevel, "\(depth) \(level.targetId)")))
                }
            }
        }
    }

    // MARK: Observation time

    /// Notes a timestamp the data holds, keeping the newest.
    private mutating func saw(_ date: Date?, _ what: @autoclosure () -> String) {
        guard let date, date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }

    /// When the data was taken: `--as-of`, else the credential report's generation time, else the
    /// newest timestamp inside the data (it was taken no earlier), else the files' modification time.
    ///
    /// A file's modification time alone would judge old data as of today in a fresh clone, so it
    /// is the last resort; whichever estimate is used is said in a warning.
    private mutating func observationTime(generated: Date?) -> Date {
        if let asOf { return asOf }
        if let generated { return generated }
        if let (date, what) = newestInData {
            warnings.append("observation time \(Self.iso(date)) taken from the newest timestamp in the data (\(what)); pass --as-of to override")
            return date
        }
        if let modified = sources.newestFileDate {
            warnings.append("observation time \(Self.iso(modified)) taken from the files' modification time (the data holds no timestamp); pass --as-of to override")
            return modified
        }
        return Date()
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    // MARK: Authorization details

    private mutating func add(_ details: AWSAuthorizationDetails, path: String) throws {
        func document(_ value: JSONValue, at location: String) throws -> PolicyDocument {
            do {
                return try AWSPolicyDocument.parse(value)
            } catch {
                throw ConnectorError(.wrongShape, "expected \(error.expected)", file: path, location: location + error.path)
            }
        }
        func grants(_ subject: String, account: String, attached: [AWSAuthorizationDetails.AttachedPolicy]?, inline: [AWSAuthorizationDetails.InlinePolicy]?, boundary: String?, at location: String, listKey: String) throws {
            for policy in attached ?? [] {
                accounts[account, default: AccountDraft()].grants.append(Grant(subjectId: subject, policyId: policy.policyArn, via: .attached))
                accounts[account]!.referencedPolicies.insert(policy.policyArn)
            }
            for (index, policy) in (inline ?? []).enumerated() {
                let id = "\(subject)#inline/\(policy.policyName)"
                let doc = try document(policy.policyDocument, at: "\(location).\(listKey)[\(index)].PolicyDocument")
                accounts[account, default: AccountDraft()].policies[id] = Policy(id: id, name: policy.policyName, provider: .aws, kind: .inline, document: doc)
                accounts[account]!.grants.append(Grant(subjectId: subject, policyId: id, via: .inline))
            }
            if let boundary {
                accounts[account, default: AccountDraft()].grants.append(Grant(subjectId: subject, policyId: boundary, via: .boundary))
                accounts[account]!.referencedPolicies.insert(boundary)
            }
        }

        if details.isTruncated == true {
            warnings.append("\(path): the export is incomplete: IsTruncated is true; re-run without --max-items / follow Marker")
        }
        for policy in details.policies ?? [] {
            // AWS-managed policies carry AWS's dates, not the account's: they say nothing of when the export was taken.
            if !policy.arn.hasPrefix("arn:aws:iam::aws:policy/") {
                saw(policy.createDate?.date, "CreateDate of policy \(policy.name)")
                saw(policy.updateDate?.date, "UpdateDate of policy \(policy.name)")
            }
            for version in policy.policyVersionList ?? [] {
                saw(version.createDate?.date, "CreateDate of version \(version.versionId ?? "?") of policy \(policy.name)")
            }
        }
        for group in details.groupDetailList ?? [] { saw(group.createDate?.date, "CreateDate of group \(group.groupName)") }
        for user in details.userDetailList ?? [] { saw(user.createDate?.date, "CreateDate of user \(user.userName)") }
        for role in details.roleDetailList ?? [] {
            saw(role.createDate?.date, "CreateDate of role \(role.roleName)")
            saw(role.roleLastUsed?.lastUsedDate?.date, "RoleLastUsed of role \(role.roleName)")
        }

        var groupArns: [String: String] = [:]
        for (index, policy) in (details.policies ?? []).enumerated() {
            guard let value = policy.defaultDocument else { continue }
            let doc = try document(value, at: "$.Policies[\(index)].PolicyVersionList[default].Document")
            let kind: PolicyKind = policy.arn.contains(":aws:policy/") ? .providerManaged : .customerManaged
            let mapped = Policy(id: policy.arn, name: policy.name, provider: .aws, kind: kind, document: doc)
            if kind == .providerManaged {
                // AWS-managed policies belong to no account; each account takes those it refers to when it is assembled.
                providerPolicies[policy.arn] = mapped
            } else if let account = Self.account(of: policy.arn) {
                accounts[account, default: AccountDraft()].policies[policy.arn] = mapped
            } else {
                warnings.append("\(path): $.Policies[\(index)]: \(policy.arn.prefix(120)) is not a policy ARN; skipped")
            }
        }
        for (index, group) in (details.groupDetailList ?? []).enumerated() {
            let account = Self.account(of: group.arn) ?? ""
            groupArns[group.groupName] = group.arn
            accounts[account, default: AccountDraft()].resources[group.arn] = Resource(
                id: group.arn, provider: .aws, type: "aws.iam.group", name: group.groupName, account: account,
                attributes: ["path": group.path ?? "/"].merging(group.groupId.map { ["groupId": $0] } ?? [:]) { a, _ in a })
            try grants(group.arn, account: account, attached: group.attachedManagedPolicies, inline: group.groupPolicyList, boundary: nil,
                       at: "$.GroupDetailList[\(index)]", listKey: "GroupPolicyList")
        }
        for (index, user) in (details.userDetailList ?? []).enumerated() {
            let account = Self.account(of: user.arn) ?? ""
            let tags = Self.tags(user.tags)
            let identity = Identity(
                id: user.arn, provider: .aws, kind: .iamUser, name: user.userName, nativeId: user.userId, account: account,
                path: user.path, environment: Self.environment(tags), owner: Self.owner(tags), tags: tags, createdAt: user.createDate?.date)
            accounts[account, default: AccountDraft()].users[user.arn] = UserDraft(identity: identity)
            for groupName in user.groupList ?? [] {
                let groupArn = groupArns[groupName] ?? "arn:aws:iam::\(account):group/\(groupName)"
                accounts[account]!.edges.insert(Edge(
                    from: user.arn, to: groupArn, kind: .memberOf, rule: Self.importRule, reason: "\(user.userName) is a member of group \(groupName)"))
            }
            try grants(user.arn, account: account, attached: user.attachedManagedPolicies, inline: user.userPolicyList,
                       boundary: user.permissionsBoundary?.permissionsBoundaryArn, at: "$.UserDetailList[\(index)]", listKey: "UserPolicyList")
        }
        for (index, role) in (details.roleDetailList ?? []).enumerated() {
            let account = Self.account(of: role.arn) ?? ""
            let tags = Self.tags(role.tags)
            let trust = try role.assumeRolePolicyDocument.map { try document($0, at: "$.RoleDetailList[\(index)].AssumeRolePolicyDocument") }
            let (nature, reason) = AWSClassifier.role(name: role.roleName, path: role.path, tags: tags, trust: trust)
            let lastUsed = role.roleLastUsed?.lastUsedDate?.date
            let identity = Identity(
                id: role.arn, provider: .aws, kind: .iamRole, name: role.roleName, nativeId: role.roleId, account: account,
                path: role.path, environment: Self.environment(tags), owner: Self.owner(tags), tags: tags, createdAt: role.createDate?.date,
                lastUsedAt: lastUsed, lastUsedDetail: lastUsed == nil ? nil : role.roleLastUsed?.region.map { "in \($0)" },
                usageTracked: role.roleLastUsed != nil, nature: nature, natureReason: reason,
                managedBy: role.path?.hasPrefix("/aws-service-role/") == true ? "aws" : nil)
            accounts[account, default: AccountDraft()].roles[role.arn] = identity
            try grants(role.arn, account: account, attached: role.attachedManagedPolicies, inline: role.rolePolicyList,
                       boundary: role.permissionsBoundary?.permissionsBoundaryArn, at: "$.RoleDetailList[\(index)]", listKey: "RolePolicyList")
            for profile in role.instanceProfileList ?? [] {
                accounts[account]!.resources[profile.arn] = Resource(
                    id: profile.arn, provider: .aws, type: "aws.iam.instance-profile", name: profile.instanceProfileName, account: account)
                accounts[account]!.edges.insert(Edge(
                    from: profile.arn, to: role.arn, kind: .carries, rule: Self.importRule,
                    reason: "instance profile \(profile.instanceProfileName) carries role \(role.roleName)"))
            }
            if let trust {
                // Who may assume the role is decided by analysis (rule aws.trust), from this one stored policy.
                let id = "\(role.arn)#trust"
                accounts[account]!.policies[id] = Policy(id: id, name: "\(role.roleName) trust policy", kind: .trust, document: trust)
                accounts[account]!.grants.append(Grant(subjectId: role.arn, policyId: id, via: .trust))
            }
        }
    }

    /// The rule id of edges the connector reads from the export (membership, instance profiles).
    static let importRule = "aws.import"

    // MARK: Credential report

    private mutating func add(_ report: AWSCredentialReport, path: String) {
        for row in report.rows {
            let name = "\(row.user) in \((path as NSString).lastPathComponent)"
            saw(row.created, "user_creation_time of \(name)")
            saw(row.passwordLastUsed, "password_last_used of \(name)")
            saw(row.passwordLastChanged, "password_last_changed of \(name)")
            for (n, slot) in row.keys.enumerated() {
                saw(slot.lastRotated, "access_key_\(n + 1)_last_rotated of \(name)")
                saw(slot.lastUsed, "access_key_\(n + 1)_last_used_date of \(name)")
            }
            guard let account = Self.account(of: row.arn) else {
                warnings.append("\(path): line \(row.line): the arn column does not hold an IAM ARN; row skipped")
                continue
            }
            if row.isRoot {
                accounts[account, default: AccountDraft()].rootRow = row
                continue
            }
            if accounts[account, default: AccountDraft()].users[row.arn] == nil {
                accounts[account]!.users[row.arn] = UserDraft(identity: Identity(
                    id: row.arn, provider: .aws, kind: .iamUser, name: row.user, account: account, createdAt: row.created))
            }
            accounts[account]!.users[row.arn]!.reportRow = row
        }
    }

    // MARK: Access keys

    private mutating func addAccessKeyLists() {
        var byName: [String: [(account: String, arn: String)]] = [:]
        for (account, draft) in accounts {
            for (arn, user) in draft.users { byName[user.identity.name, default: []].append((account, arn)) }
        }
        for (path, list) in sources.accessKeys {
            for key in list.accessKeyMetadata {
                guard let name = key.userName, let matches = byName[name], matches.count == 1 else {
                    warnings.append("\(path): access key \(CredentialFingerprint.preview(key.accessKeyId)) belongs to user \"\(key.userName ?? "?")\", which \(byName[key.userName ?? ""].map { _ in "several accounts have" } ?? "no imported file lists"); skipped")
                    continue
                }
                let (account, arn) = matches[0]
                var listed = accounts[account]!.users[arn]!.listedKeys ?? []
                listed.removeAll { $0.accessKeyId == key.accessKeyId }
                listed.append(key)
                accounts[account]!.users[arn]!.listedKeys = listed
            }
        }
    }

    private mutating func lastUsedByKey() -> [String: AWSAccessKeyLastUsed.LastUsed] {
        var keysByUser: [String: [String]] = [:]
        for (_, list) in sources.accessKeys {
            for key in list.accessKeyMetadata { keysByUser[key.userName ?? "", default: []].append(key.accessKeyId) }
        }
        var out: [String: AWSAccessKeyLastUsed.LastUsed] = [:]
        for (path, record) in sources.lastUsed {
            let fromName = Self.accessKeyId(in: (path as NSString).lastPathComponent)
            if let id = record.accessKeyId ?? fromName {
                out[id] = record.accessKeyLastUsed
            } else if let keys = keysByUser[record.userName ?? ""], Set(keys).count == 1 {
                out[keys[0]] = record.accessKeyLastUsed
            } else {
                warnings.append("\(path): get-access-key-last-used output does not say which key it is about (name the file after the key id, e.g. AKIA….json); skipped")
            }
        }
        return out
    }

    static func accessKeyId(in text: String) -> String? {
        let chars = Array(text)
        var i = 0
        while i + 20 <= chars.count {
            let prefix = String(chars[i..<(i + 4)])
            if ["AKIA", "ASIA", "AIDA", "ABIA", "ACCA"].contains(prefix) || prefix.hasPrefix("AKIA") {
                let candidate = chars[i..<(i + 20)]
                if candidate.allSatisfy({ ($0.isUppercase || $0.isNumber) && $0.isASCII }) { return String(candidate) }
            }
            i += 1
        }
        return nil
    }

    // MARK: Assembly

    private mutating func finish(account: String, draft: AccountDraft, lastUsed: [String: AWSAccessKeyLastUsed.LastUsed], observedAt: Date) -> Estate {
        var estate = Estate(observedAt: observedAt, scope: "aws:\(account)")
        var policies = draft.policies
        for id in draft.referencedPolicies where policies[id] == nil {
            if let provided = providerPolicies[id] {
                policies[id] = provided
            } else if let builtin = Self.builtinPolicies[id] {
                policies[id] = builtin
            } else {
                warnings.append("policy \(id) is attached but not in the export (exported with --filter?); its permissions are unknown")
            }
        }
        for (_, draft) in draft.users.sorted(by: { $0.key < $1.key }) {
            let (identity, credentials) = assemble(draft, lastUsed: lastUsed)
            estate.identities.append(identity)
            estate.credentials += credentials
        }
        estate.identities += draft.roles.values.sorted { $0.id < $1.id }
        if let row = draft.rootRow {
            let arn = "arn:aws:iam::\(account):root"
            let credentials = reportCredentials(row, identityId: arn)
            var root = Identity(
                id: arn, provider: .aws, kind: .rootAccount, name: "root (\(account))", account: account, createdAt: row.created,
                usageTracked: true, nature: .root, natureReason: "the account's root user",
                console: ConsoleAccess(passwordEnabled: true, mfaActive: row.mfaActive, passwordLastUsedAt: row.passwordLastUsed))
            root.lastUsedAt = (credentials.compactMap(\.lastUsedAt) + [row.passwordLastUsed].compactMap { $0 }).max()
            estate.identities.append(root)
            estate.credentials += credentials
        }
        estate.policies = Array(policies.values)
        estate.grants = draft.grants
        var resources = draft.resources
        let alias = sources.aliases[account]
        let organization = sources.organizations[account]
        if alias != nil || organization != nil {
            var attributes: [String: String] = [:]
            if let alias { attributes["alias"] = alias }
            if let organization { attributes["organizationId"] = organization }
            resources["aws-account:\(account)"] = Resource(
                id: "aws-account:\(account)", provider: .aws, type: "aws.account", name: alias ?? account, account: account, attributes: attributes)
        }
        estate.resources = Array(resources.values)
        estate.edges = Array(draft.edges)
        return estate.sorted()
    }

    private func assemble(_ draft: UserDraft, lastUsed: [String: AWSAccessKeyLastUsed.LastUsed]) -> (Identity, [Credential]) {
        var identity = draft.identity
        var credentials: [Credential] = []
        let row = draft.reportRow
        if let listed = draft.listedKeys {
            for key in listed.sorted(by: { ($0.createDate?.date ?? .distantPast) < ($1.createDate?.date ?? .distantPast) }) {
                var credential = Credential(
                    id: key.accessKeyId, identityId: identity.id, kind: .accessKey, status: key.status == "Active" ? .active : .inactive,
                    createdAt: key.createDate?.date, fingerprint: CredentialFingerprint(.awsAccessKeyId, of: key.accessKeyId).description,
                    preview: CredentialFingerprint.preview(key.accessKeyId))
                if let used = lastUsed[key.accessKeyId] {
                    credential.usageTracked = true
                    credential.lastUsedAt = used.lastUsedDate?.date
                    credential.lastUsedDetail = Self.usageDetail(service: used.serviceName, region: used.region, used: used.lastUsedDate != nil)
                } else if let created = key.createDate?.date, let slot = row?.keys.first(where: { abs($0.lastRotated.timeIntervalSince(created)) < 2 }) {
                    credential.usageTracked = true
                    credential.lastUsedAt = slot.lastUsed
                    credential.lastUsedDetail = Self.usageDetail(service: slot.lastUsedService, region: slot.lastUsedRegion, used: slot.lastUsed != nil)
                }
                credentials.append(credential)
            }
            credentials += reportCredentials(row, identityId: identity.id).filter { $0.kind != .accessKey }
        } else {
            credentials += reportCredentials(row, identityId: identity.id)
        }
        if let row {
            identity.createdAt = identity.createdAt ?? row.created
            identity.console = ConsoleAccess(
                passwordEnabled: row.passwordEnabled ?? false, mfaActive: row.mfaActive,
                passwordLastUsedAt: row.passwordLastUsed, passwordLastChangedAt: row.passwordLastChanged)
        }
        identity.usageTracked = row != nil || credentials.contains { $0.usageTracked }
        identity.lastUsedAt = credentials.compactMap(\.lastUsedAt).max()
        if let latest = credentials.filter({ $0.lastUsedAt != nil }).max(by: { $0.lastUsedAt! < $1.lastUsedAt! }) {
            identity.lastUsedDetail = latest.kind == .password ? "console sign-in" : latest.lastUsedDetail
        }
        let usedKeys = credentials.filter { $0.kind == .accessKey && $0.status == .active && $0.lastUsedAt != nil }
        (identity.nature, identity.natureReason) = AWSClassifier.user(name: identity.name, tags: identity.tags, console: identity.console, usedKeys: usedKeys)
        return (identity, credentials)
    }

    /// Credentials the credential report shows for a user: password, key slots, signing certificates.
    private func reportCredentials(_ row: AWSCredentialReport.Row?, identityId: String) -> [Credential] {
        guard let row else { return [] }
        var out: [Credential] = []
        if row.passwordEnabled == true {
            out.append(Credential(
                id: "\(identityId)#password", identityId: identityId, kind: .password, status: .active,
                createdAt: row.passwordLastChanged ?? row.created, lastRotatedAt: row.passwordLastChanged, lastUsedAt: row.passwordLastUsed,
                lastUsedDetail: row.passwordLastUsed == nil ? nil : "console sign-in", usageTracked: true))
        }
        for (index, slot) in row.keys.enumerated() {
            out.append(Credential(
                id: "\(identityId)#access-key-\(index + 1)", identityId: identityId, kind: .accessKey, status: slot.active ? .active : .inactive,
                createdAt: slot.lastRotated, lastUsedAt: slot.lastUsed,
                lastUsedDetail: Self.usageDetail(service: slot.lastUsedService, region: slot.lastUsedRegion, used: slot.lastUsed != nil),
                usageTracked: true, preview: "slot \(index + 1)"))
        }
        for (index, cert) in row.certs.enumerated() {
            out.append(Credential(
                id: "\(identityId)#signing-certificate-\(index + 1)", identityId: identityId, kind: .signingCertificate,
                status: cert.active ? .active : .inactive, createdAt: cert.lastRotated))
        }
        return out
    }

    // MARK: Helpers

    static func usageDetail(service: String?, region: String?, used: Bool) -> String? {
        guard used else { return nil }
        let s = service.flatMap { $0 == "N/A" ? nil : $0 }
        let r = region.flatMap { $0 == "N/A" ? nil : $0 }
        switch (s, r) {
        case let (s?, r?): return "\(s) in \(r)"
        case let (s?, nil): return s
        case let (nil, r?): return "in \(r)"
        default: return nil
        }
    }

    static func account(of arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else { return nil }
        let account = String(parts[4])
        return account.isEmpty || account == "aws" ? nil : account
    }

    static func tags(_ list: [AWSAuthorizationDetails.Tag]?) -> [String: String] {
        var out: [String: String] = [:]
        for tag in list ?? [] { out[tag.key] = tag.value }
        return out
    }

    static let ownerTagKeys = ["owner", "owneremail", "team", "contact", "maintainer", "technicalowner", "businessowner", "createdby"]
    static let environmentTagKeys = ["env", "environment", "stage", "tier"]

    static func tagValue(_ tags: [String: String], keys: [String]) -> String? {
        let normalised = Dictionary(tags.map { ($0.key.lowercased().filter { $0.isLetter }, $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in keys {
            if let value = normalised[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return nil
    }

    static func owner(_ tags: [String: String]) -> String? { tagValue(tags, keys: ownerTagKeys) }
    static func environment(_ tags: [String: String]) -> String? { tagValue(tags, keys: environmentTagKeys) }

    /// Documents of AWS-managed policies that exports sometimes leave out but whose meaning is fixed.
    static let builtinPolicies: [String: Policy] = [
        "arn:aws:iam::aws:policy/AdministratorAccess": Policy(
            id: "arn:aws:iam::aws:policy/AdministratorAccess", name: "AdministratorAccess", provider: .aws, kind: .providerManaged,
            document: PolicyDocument(statements: [PolicyStatement(effect: .allow, actions: .only(["*"]), resources: .only(["*"]))])),
        // Version 12, as the AWS managed policy reference lists it.
        "arn:aws:iam::aws:policy/PowerUserAccess": Policy(
            id: "arn:aws:iam::aws:policy/PowerUserAccess", name: "PowerUserAccess", provider: .aws, kind: .providerManaged,
            document: PolicyDocument(statements: [
                PolicyStatement(effect: .allow, actions: .except(["iam:*", "organizations:*", "account:*"]), resources: .only(["*"])),
                PolicyStatement(effect: .allow, actions: .only([
                    "account:GetAccountInformation", "account:GetGovCloudAccountInformation", "account:GetPrimaryEmail", "account:ListRegions",
                    "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeEffectivePolicy",
                    "organizations:DescribeOrganization",
                ]), resources: .only(["*"])),
            ])),
        "arn:aws:iam::aws:policy/IAMFullAccess": Policy(
            id: "arn:aws:iam::aws:policy/IAMFullAccess", name: "IAMFullAccess", provider: .aws, kind: .providerManaged,
            document: PolicyDocument(statements: [
                PolicyStatement(effect: .allow, actions: .only([
                    "iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization", "organizations:DescribeOrganizationalUnit",
                    "organizations:DescribePolicy", "organizations:ListChildren", "organizations:ListParents", "organizations:ListPoliciesForTarget",
                    "organizations:ListRoots", "organizations:ListPolicies", "organizations:ListTargetsForPolicy",
                ]), resources: .only(["*"])),
            ])),
    ]
}

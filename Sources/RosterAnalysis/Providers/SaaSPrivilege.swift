public import RosterModel

extension PrivilegeEvaluators {
    /// SaaS OAuth apps: judged by the broadest scope they were granted (``SaaSScopes``).
    ///
    /// - admin: a scope that administers the directory or tenant (Directory.ReadWrite.All,
    ///   RoleManagement.ReadWrite.Directory, Google admin.directory.user, full_access_as_app…);
    /// - write: one that sends, changes or deletes mail or files (Mail.ReadWrite, gmail.send, drive);
    /// - read: one that reads all mail, files or the directory (Mail.Read, drive.readonly);
    /// - none: sign-in scopes only (openid, email, profile, offline_access, User.Read);
    /// - unknown: a scope this table does not rate, unless a known one already makes it admin.
    ///
    /// Not yet in ``all``: the registry is the lead's to change (a request), so SaaS apps are rated
    /// `unknown` until it is listed.
    public static let saas = PrivilegeEvaluator(provider: .saas) { _, grants, _ in
        var level = PrivilegeLevel.none
        var evidence: [String] = []
        var unrated: Set<String> = []
        for granted in grants {
            let application = granted.grant.via == .applicationPermission
            for scope in granted.policy.map(SaaSScopes.scopeList) ?? [] {
                if SaaSScopes.signIn.contains(scope.lowercased()) { continue }
                // The level is what the scope allows (reading stays reading); an application permission widens whose data, said in the evidence.
                guard let found = SaaSScopes.reach(scope) else {
                    unrated.insert(scope)
                    continue
                }
                let rated: PrivilegeLevel = found.severity == .critical ? .admin : (found.severity == .high ? .write : .read)
                if rated > level { level = rated }
                evidence.append("\(scope): \(found.reach)" + (application ? ", for every user (application permission)" : ""))
            }
        }
        if !unrated.isEmpty && level < .admin {
            return PrivilegeAssessment(
                level: .unknown, evidence: evidence.sorted() + ["scopes Roster does not rate: \(unrated.sorted().joined(separator: ", "))"], conditional: false)
        }
        return PrivilegeAssessment(level: level, evidence: evidence.isEmpty ? ["sign-in scopes only"] : Array(Set(evidence)).sorted(), conditional: false)
    }
}

extension SaaSScopes {
    /// Scopes that only sign the user in or read their own basic profile.
    static let signIn: Set<String> = [
        "openid", "email", "profile", "offline_access", "user.read", "user.readbasic.all",
        "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile",
    ]
}

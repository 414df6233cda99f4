import RosterModel

/// The GCP techniques by which a principal gains a service account's access, or a project's, as
/// declared edge rules. Ids are a contract: findings, JSON paths and tests name them.
///
/// Every rule is decided per binding (see ``GCPGraphContext``). A binding whose condition cannot
/// hold gives no edge; one whose condition the export does not decide gives edges that list it.
/// Roles whose permissions are unknown (a custom role without its definition) give none. A binding
/// that makes its members administrators of the project (roles/owner, or
/// resourcemanager.projects.setIamPolicy, on it) gives only its edge to the admin node, which stands
/// for everything in the project, not one edge per account besides.
public enum GCPEdgeRules {
    static let docs = "https://cloud.google.com/iam/docs/"

    public static let all: [EdgeRule<GCPGraphContext>] = [projectOwner, setIamPolicy, actAs, getAccessToken, signJwt, keysCreate]

    // MARK: The project

    public static let projectOwner = EdgeRule<GCPGraphContext>(
        id: "gcp.project-owner", technique: "Holds the Owner role on the project", provider: .gcp,
        summary: "roles/owner on the project: full control of it, its IAM policy included.",
        references: [docs + "understanding-roles#basic"]
    ) { context, index in
        let binding = context.binding(index)
        guard binding.role == "roles/owner", case .project(let project) = binding.target, project == context.project, !binding.isDead else { return [] }
        return binding.members.map { member in
            context.edge(
                from: member, to: context.adminNode, rule: "gcp.project-owner",
                reason: "it holds roles/owner on project \(project), which controls everything in it, its IAM policy included", binding: binding)
        }
    }

    public static let setIamPolicy = EdgeRule<GCPGraphContext>(
        id: "gcp.iam.set-iam-policy", technique: "Rewrite an IAM policy", provider: .gcp,
        summary: "resourcemanager.projects.setIamPolicy on the project lets it grant itself roles/owner; "
            + "iam.serviceAccounts.setIamPolicy on a service account lets it grant itself the right to impersonate it.",
        references: [
            "https://cloud.google.com/resource-manager/reference/rest/v1/projects/setIamPolicy",
            "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/setIamPolicy",
        ]
    ) { context, index in
        let binding = context.binding(index)
        guard !binding.isDead else { return [] }
        var edges: [Edge] = []
        if case .project(let project) = binding.target, project == context.project, binding.role != "roles/owner",
            binding.grants(GCPRoles.projectSetIamPolicy) == .yes
        {
            edges += binding.members.map { member in
                context.edge(
                    from: member, to: context.adminNode, rule: "gcp.iam.set-iam-policy",
                    reason: "\(binding.role) on project \(project) includes resourcemanager.projects.setIamPolicy: it can grant itself roles/owner",
                    binding: binding)
            }
        }
        if !context.isProjectAdmin(binding), binding.grants(GCPRoles.accountSetIamPolicy) == .yes {
            edges += context.spread(
                members: binding.members, hub: GCPGraphContext.hub(binding), holdsReason: "it is a member of the binding of \(binding.role) \(binding.place)",
                holdsStatement: binding.statement, targets: context.targets(of: binding)
            ) { from, to in
                context.edge(
                    from: from, to: to, rule: "gcp.iam.set-iam-policy",
                    reason: "\(binding.role) \(binding.place) includes iam.serviceAccounts.setIamPolicy\(context.reach(binding, to)): "
                        + "it can grant itself roles/iam.serviceAccountTokenCreator on it",
                    binding: binding)
            }
        }
        return edges
    }

    // MARK: A service account

    public static let actAs = EdgeRule<GCPGraphContext>(
        id: "gcp.iam.act-as", technique: "Run code as a service account", provider: .gcp,
        summary: "iam.serviceAccounts.actAs on a service account plus compute.instances.create, cloudfunctions.functions.create "
            + "or run.services.create in its project: it runs a workload as the account.",
        references: [docs + "service-accounts-actas", docs + "service-account-permissions#user-role"]
    ) { context, index in
        let binding = context.binding(index)
        guard !binding.isDead, !context.isProjectAdmin(binding), binding.grants(GCPRoles.actAs) == .yes else { return [] }
        let targets = context.targets(of: binding)
        guard !targets.isEmpty else { return [] }
        // Members grouped by the binding that lets them run code, so each group shares one node.
        var groups: [Int: [String]] = [:]
        var order: [Int] = []
        for member in binding.members {
            guard let runner = context.runners[member] else { continue }
            if groups[runner.binding] == nil { order.append(runner.binding) }
            groups[runner.binding, default: []].append(member)
        }
        return order.flatMap { runnerIndex -> [Edge] in
            let runnerBinding = context.binding(runnerIndex)
            let permission = context.runners[groups[runnerIndex]![0]]!.permission
            let same = runnerIndex == index
            let others = same ? [] : [runnerBinding]
            let via = same ? "" : ", and \(runnerBinding.role) \(runnerBinding.place) includes \(permission)"
            return context.spread(
                members: groups[runnerIndex]!, hub: GCPGraphContext.hub(binding, with: same ? nil : runnerBinding),
                holdsReason: same
                    ? "it is a member of the binding of \(binding.role) \(binding.place)"
                    : "it is a member of the bindings of \(binding.role) \(binding.place) and of \(runnerBinding.role) \(runnerBinding.place)",
                holdsStatement: same ? binding.statement : runnerBinding.statement, targets: targets
            ) { from, to in
                context.edge(
                    from: from, to: to, rule: "gcp.iam.act-as",
                    reason: "\(binding.role) \(binding.place) includes iam.serviceAccounts.actAs\(context.reach(binding, to))\(via): "
                        + "it can create a workload (\(permission)) that runs as it",
                    binding: binding, others: others)
            }
        }
    }

    public static let getAccessToken = accountRule(
        id: "gcp.iam.get-access-token", technique: "Create access tokens for a service account",
        summary: "iam.serviceAccounts.getAccessToken on a service account (roles/iam.serviceAccountTokenCreator, "
            + "roles/iam.workloadIdentityUser): OAuth tokens that act as it.",
        references: [docs + "create-short-lived-credentials-direct", docs + "service-account-permissions#token-creator-role"],
        permissions: [GCPRoles.getAccessToken], does: "creates OAuth access tokens that act as")

    public static let signJwt = accountRule(
        id: "gcp.iam.sign-jwt", technique: "Sign as a service account",
        summary: "iam.serviceAccounts.signJwt or signBlob on a service account: self-signed JWTs (or signed assertions) that Google APIs accept as it.",
        references: [
            docs + "create-short-lived-credentials-direct#sa-credentials-jwt",
            "https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt",
        ],
        permissions: [GCPRoles.signJwt, GCPRoles.signBlob], does: "signs JWTs that authenticate as")

    public static let keysCreate = accountRule(
        id: "gcp.iam.keys-create", technique: "Create a key for a service account", provider: .gcp,
        summary: "iam.serviceAccountKeys.create on a service account (roles/iam.serviceAccountKeyAdmin, roles/editor): a long-lived private key for it.",
        references: [docs + "keys-create-delete", "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/create"],
        permissions: [GCPRoles.keysCreate], does: "creates a private key for")

    /// A rule for a permission on a service account that, by itself, gives the account's access.
    static func accountRule(
        id: String, technique: String, provider: Provider = .gcp, summary: String, references: [String], permissions: [String], does: String
    ) -> EdgeRule<GCPGraphContext> {
        EdgeRule(id: id, technique: technique, provider: provider, summary: summary, references: references) { context, index in
            let binding = context.binding(index)
            guard !binding.isDead, !context.isProjectAdmin(binding), let permission = permissions.first(where: { binding.grants($0) == .yes }) else { return [] }
            return context.spread(
                members: binding.members, hub: GCPGraphContext.hub(binding), holdsReason: "it is a member of the binding of \(binding.role) \(binding.place)",
                holdsStatement: binding.statement, targets: context.targets(of: binding)
            ) { from, to in
                context.edge(
                    from: from, to: to, rule: id,
                    reason: "\(binding.role) \(binding.place) includes \(permission)\(context.reach(binding, to)), which \(does) it",
                    binding: binding)
            }
        }
    }
}

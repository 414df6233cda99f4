public import RosterModel

/// Answers "may this service account do this" for one cluster as Kubernetes' RBAC authorizer does,
/// with the rules and bindings that decide.
///
/// Built once from one cluster's estate (as the Kubernetes connector maps it): grants are indexed by
/// subject, a service account holding its own and those of the groups it is a member of
/// (`system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`, by `member-of` edges).
/// The matching follows the authorizer (`plugin/pkg/auth/authorizer/rbac`, `rbacv1helpers`):
/// - a ClusterRoleBinding grants in every namespace and at cluster scope; a RoleBinding only in its
///   namespace, even when it binds a ClusterRole, and never at cluster scope (`namespace: nil`);
/// - `*` matches every verb, API group and resource (subresources included); `*/scale` matches the
///   `scale` subresource of every resource; anything else must name the resource (and subresource)
///   exactly: `pods` does not match `pods/exec`, and `pods/*` is no wildcard (it matches nothing a request names);
/// - `resourceNames` restrict a rule to the named objects: a request without a name (`list`, `create`)
///   is not matched by such a rule;
/// - `nonResourceURLs` match only non-resource requests, only through ClusterRoleBindings, exactly or
///   by a trailing `*` prefix (`/healthz/*`).
/// RBAC only allows: a request no rule matches is denied, not explicitly. A binding to a role the
/// export does not hold makes an otherwise denied request `undecided`.
///
/// For example:
/// ```swift
/// let rbac = KubernetesRBACEvaluator(estate: estate)
/// rbac.decide(subject: "kubernetes:prod/ci/deployer", verb: "create", group: "", resource: "pods",
///             namespace: "ci", name: nil).isAllowed
/// rbac.subjects(allowedTo: "get", group: "", resource: "secrets", namespace: "kube-system", name: nil)
/// ```
public struct KubernetesRBACEvaluator: Sendable {
    /// One binding of one role to one subject at one scope.
    struct IndexedGrant: Sendable {
        var subject: String
        var policyId: String
        /// `ClusterRole edit`, `Role payments/deployer`, or the id when the export does not hold the role.
        var policyName: String
        /// Nil when the export does not hold the role.
        var rules: [RBACRule]?
        /// The RoleBinding's namespace; nil for a ClusterRoleBinding.
        var namespace: String?
        /// Ids and names (`RoleBinding payments/deployers`) of the binding objects behind it, when the estate names them.
        var bindingIds: [String]
        var bindingNames: [String]
    }

    /// One rule of one grant that matches a request's verb, group and resource, with where it applies and to which names.
    struct Hit: Sendable {
        var grant: Int
        var rule: Int
        /// Nil when the grant applies cluster-wide.
        var namespace: String?
        /// The rule's `resourceNames`; nil when it names none (every object).
        var names: [String]?

        func covers(namespace wanted: String?) -> Bool { namespace == nil || namespace == wanted }
        func covers(name: String?) -> Bool { names == nil || (name.map { names!.contains($0) } ?? false) }
    }

    public let scope: String
    let grants: [IndexedGrant]
    let grantsBySubject: [String: [Int]]
    let groupsOf: [String: [String]]
    let membersOf: [String: [String]]

    public init(estate: Estate) {
        scope = estate.scope
        var bindingIds: [String: [String]] = [:]
        var resources: [String: Resource] = [:]
        for resource in estate.resources where resource.type == "kubernetes.rolebinding" || resource.type == "kubernetes.clusterrolebinding" {
            resources[resource.id] = resource
        }
        var groupsOf: [String: [String]] = [:]
        var membersOf: [String: [String]] = [:]
        for edge in estate.edges {
            if edge.kind == .memberOf {
                groupsOf[edge.from, default: []].append(edge.to)
                membersOf[edge.to, default: []].append(edge.from)
            } else if edge.kind == .kubernetesBinds, let binding = resources[edge.from], let policyId = binding.attributes["policyId"] {
                bindingIds[Self.key(edge.to, policyId, binding.attributes["namespace"]), default: []].append(binding.id)
            }
        }
        let policies = Dictionary(estate.policies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var grants: [IndexedGrant] = []
        var bySubject: [String: [Int]] = [:]
        for grant in estate.grants where grant.via == .binding {
            let namespace = grant.scope?.kind == .namespace ? grant.scope?.id : nil
            let policy = policies[grant.policyId]
            var rules: [RBACRule]?
            if case .kubernetesRBAC(let list)? = policy?.body { rules = list }
            let ids = Array(Set(bindingIds[Self.key(grant.subjectId, grant.policyId, namespace)] ?? [])).sorted()
            let names = ids.map { id -> String in
                guard let binding = resources[id] else { return id }
                return (binding.type == "kubernetes.clusterrolebinding" ? "ClusterRoleBinding " : "RoleBinding ") + binding.name
            }
            bySubject[grant.subjectId, default: []].append(grants.count)
            grants.append(
                IndexedGrant(
                    subject: grant.subjectId,
                    policyId: grant.policyId,
                    policyName: policy?.name ?? grant.policyId,
                    rules: rules,
                    namespace: namespace,
                    bindingIds: ids,
                    bindingNames: names
                )
            )
        }
        // ClusterRoleBindings first, as the authorizer visits them.
        for (subject, list) in bySubject {
            bySubject[subject] = list.filter { grants[$0].namespace == nil } + list.filter { grants[$0].namespace != nil }
        }
        self.grants = grants
        self.grantsBySubject = bySubject
        self.groupsOf = groupsOf
        self.membersOf = membersOf.mapValues { Array(Set($0)).sorted() }
    }

    private static func key(_ subject: String, _ policy: String, _ namespace: String?) -> String {
        subject + "\u{1F}" + policy + "\u{1F}" + (namespace ?? "")
    }

    /// The grants that apply to a subject: its own, then its groups', ClusterRoleBindings before RoleBindings.
    func grantIndices(of subject: String) -> [Int] {
        var out = grantsBySubject[subject] ?? []
        for group in groupsOf[subject] ?? [] { out += grantsBySubject[group] ?? [] }
        var seen: Set<Int> = []
        out = out.filter { seen.insert($0).inserted }
        return out.filter { grants[$0].namespace == nil } + out.filter { grants[$0].namespace != nil }
    }

    // MARK: Deciding

    /// Whether `subject` may do `verb` on `resource` (`pods`, `pods/exec`, `serviceaccounts/token`) of API group
    /// `group` (`""` is the core group), in `namespace` (nil for a cluster-scoped request), on the object `name`
    /// (nil for a request that names none, such as `list` or `create`).
    ///
    /// Allowed with a ``StatementRef`` for every rule that allows it (the role's id, the rule's index, the
    /// binding's resource id as `sid`), ClusterRoleBindings first; denied, not explicitly, when none does.
    public func decide(subject: String, verb: String, group: String, resource: String, namespace: String?, name: String?) -> PermissionDecision {
        let what = "\(verb) \(resource)\(name.map { " \($0)" } ?? "")" + (namespace.map { " in namespace \($0)" } ?? " at cluster scope")
        var statements: [StatementRef] = []
        var reasons: [String] = []
        var missing: [String] = []
        for index in grantIndices(of: subject) {
            let grant = grants[index]
            if let bound = grant.namespace, bound != namespace { continue }
            guard let rules = grant.rules else {
                missing.append(grant.policyName)
                continue
            }
            for (position, rule) in rules.enumerated()
            where Self.allows(rule, verb: verb, group: group, resource: resource) && Self.nameMatches(rule, name) {
                statements += refs(grant, rule: position)
                reasons.append("rule #\(position) of \(describe(grant)) allows \(what)")
            }
        }
        if !statements.isEmpty { return PermissionDecision(outcome: .allowed, statements: statements, reasons: reasons) }
        if !missing.isEmpty {
            return PermissionDecision(
                outcome: .undecided,
                reasons: ["no rule the export holds allows \(what); \(missing.joined(separator: ", ")) is bound but not in the export"]
            )
        }
        return PermissionDecision(outcome: .denied, explicit: false, reasons: ["no RBAC rule allows \(what) (RBAC only allows)"])
    }

    /// Whether `subject` may do `verb` (`get`) on a non-resource URL (`/healthz/etcd`, `/metrics`): only
    /// ClusterRoleBindings grant these.
    public func decide(subject: String, verb: String, nonResourceURL: String) -> PermissionDecision {
        var statements: [StatementRef] = []
        var reasons: [String] = []
        var missing: [String] = []
        for index in grantIndices(of: subject) where grants[index].namespace == nil {
            let grant = grants[index]
            guard let rules = grant.rules else {
                missing.append(grant.policyName)
                continue
            }
            for (position, rule) in rules.enumerated() where Self.verbMatches(rule, verb) && Self.urlMatches(rule, nonResourceURL) {
                statements += refs(grant, rule: position)
                reasons.append("rule #\(position) of \(describe(grant)) allows \(verb) \(nonResourceURL)")
            }
        }
        if !statements.isEmpty { return PermissionDecision(outcome: .allowed, statements: statements, reasons: reasons) }
        if !missing.isEmpty {
            return PermissionDecision(outcome: .undecided, reasons: ["\(missing.joined(separator: ", ")) is bound but not in the export"])
        }
        return PermissionDecision(outcome: .denied, explicit: false, reasons: ["no RBAC rule allows \(verb) \(nonResourceURL) (RBAC only allows)"])
    }

    /// Who can: the service accounts allowed the request, by their own bindings or their groups', sorted.
    ///
    /// One pass over every grant, then the groups' members: linear in grants and memberships.
    public func subjects(allowedTo verb: String, group: String, resource: String, namespace: String?, name: String?) -> [String] {
        var allowed: Set<String> = []
        for grant in grants where grant.namespace == nil || grant.namespace == namespace {
            guard !allowed.contains(grant.subject), let rules = grant.rules else { continue }
            if rules.contains(where: { Self.allows($0, verb: verb, group: group, resource: resource) && Self.nameMatches($0, name) }) {
                allowed.insert(grant.subject)
            }
        }
        var out: Set<String> = []
        for subject in allowed {
            if let members = membersOf[subject] { out.formUnion(members) } else { out.insert(subject) }
        }
        return out.sorted()
    }

    // MARK: Hits, for the graph

    /// The rules of a subject's grants that match `verb`, `group` and `resource`, wherever they apply and to
    /// whichever names: what the graph reads to know in which namespaces, and on which objects, a right holds.
    func hits(subject: String, verb: String, group: String, resource: String) -> [Hit] {
        var out: [Hit] = []
        for index in grantIndices(of: subject) { out += hits(grant: index, verb: verb, group: group, resource: resource) }
        return out
    }

    func hits(grant index: Int, verb: String, group: String, resource: String) -> [Hit] {
        let grant = grants[index]
        guard let rules = grant.rules else { return [] }
        var out: [Hit] = []
        for (position, rule) in rules.enumerated() where Self.allows(rule, verb: verb, group: group, resource: resource) {
            out.append(Hit(grant: index, rule: position, namespace: grant.namespace, names: rule.resourceNames.isEmpty ? nil : rule.resourceNames))
        }
        return out
    }

    /// The statements behind a rule of a grant: one per binding object, or one without `sid` when none is known.
    func refs(_ grant: IndexedGrant, rule: Int) -> [StatementRef] {
        if grant.bindingIds.isEmpty { return [StatementRef(policyId: grant.policyId, index: rule)] }
        return grant.bindingIds.map { StatementRef(policyId: grant.policyId, index: rule, sid: $0) }
    }

    func refs(_ hits: [Hit]) -> [StatementRef] {
        var seen: Set<StatementRef> = []
        return hits.flatMap { refs(grants[$0.grant], rule: $0.rule) }.filter { seen.insert($0).inserted }
    }

    /// `ClusterRole edit (RoleBinding payments/editors)`.
    func describe(_ grant: IndexedGrant) -> String {
        grant.policyName + " ("
            + (grant.bindingNames.isEmpty
                ? (grant.namespace.map { "bound in namespace \($0)" } ?? "bound cluster-wide") : grant.bindingNames.prefix(2).joined(separator: ", "))
            + ")"
    }

    /// The roles and bindings behind hits, for reasons: `ClusterRole edit (RoleBinding payments/editors)`.
    func describe(_ hits: [Hit]) -> String {
        var seen: Set<Int> = []
        let distinct = hits.filter { seen.insert($0.grant).inserted }
        return distinct.prefix(3).map { describe(grants[$0.grant]) }.joined(separator: ", ")
            + (distinct.count > 3 ? " and \(distinct.count - 3) more" : "")
    }

    // MARK: Matching, as rbacv1helpers does

    static func verbMatches(_ rule: RBACRule, _ verb: String) -> Bool {
        rule.verbs.contains { $0 == "*" || $0 == verb }
    }

    static func groupMatches(_ rule: RBACRule, _ group: String) -> Bool {
        rule.apiGroups.contains { $0 == "*" || $0 == group }
    }

    /// `*`, the exact (combined) resource, or `*/<subresource>` for a subresource request.
    static func resourceMatches(_ rule: RBACRule, _ resource: String) -> Bool {
        let slash = resource.firstIndex(of: "/")
        let subresource = slash.map { resource[resource.index(after: $0)...] }
        return rule.resources.contains { pattern in
            if pattern == "*" || pattern == resource { return true }
            guard let subresource, !subresource.isEmpty else { return false }
            return pattern.count == subresource.count + 2 && pattern.hasPrefix("*/") && pattern.hasSuffix(subresource)
        }
    }

    /// A rule without `resourceNames` matches every name; one with them only a request naming one of them.
    static func nameMatches(_ rule: RBACRule, _ name: String?) -> Bool {
        rule.resourceNames.isEmpty || (name.map { rule.resourceNames.contains($0) } ?? false)
    }

    static func urlMatches(_ rule: RBACRule, _ url: String) -> Bool {
        rule.nonResourceURLs.contains { pattern in
            if pattern == "*" || pattern == url { return true }
            guard pattern.hasSuffix("*") else { return false }
            var prefix = Substring(pattern)
            while prefix.hasSuffix("*") { prefix = prefix.dropLast() }
            return url.hasPrefix(prefix)
        }
    }

    /// Verb, group and resource, leaving names aside.
    static func allows(_ rule: RBACRule, verb: String, group: String, resource: String) -> Bool {
        verbMatches(rule, verb) && groupMatches(rule, group) && resourceMatches(rule, resource)
    }
}

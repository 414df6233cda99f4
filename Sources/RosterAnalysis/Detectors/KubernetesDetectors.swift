public import RosterModel

/// Kubernetes service accounts: RBAC rights, long-lived tokens, the default account, accounts nothing runs as.
///
/// Rights are judged by ``KubernetesRBAC`` over the bindings the customer made: the distribution's own
/// default bindings (controllers, add-ons in kube-system) are the platform's and raise nothing here.
extension Detectors {
    /// The Kubernetes detectors.
    public static let kubernetesFamily: [Detector] = [
        kubernetesClusterAdmin,
        kubernetesPrivilegeEscalation,
        kubernetesLongLivedToken,
        kubernetesDefaultAccountRights,
        kubernetesUnusedAccountWithRights,
    ]

    public static let kubernetesClusterAdmin = Detector(
        id: "kubernetes.service-account.cluster-admin",
        title: "Service account has every right (cluster-admin or wildcards)",
        severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A service account bound (directly or through a group every account is in) to cluster-admin or another role granting "
            + "every verb on every resource: critical across the cluster, medium when the binding is a RoleBinding confined to one namespace.",
        remediation: "Replace the binding with a Role listing the verbs and resources the workload uses, bound in its own namespace; "
            + "`kubectl auth can-i --list --as=system:serviceaccount:NS:NAME` shows what it holds now.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .kubernetesServiceAccount, let index = subject.index else { return [] }
            let access = KubernetesRBAC.customerAccess(of: subject.identity, in: index)
            if !access.clusterAdmin.isEmpty { return [Hit(access.clusterAdmin)] }
            if !access.namespaceAdmin.isEmpty { return [Hit(access.namespaceAdmin, severity: .medium)] }
            return []
        })

    public static let kubernetesPrivilegeEscalation = Detector(
        id: "kubernetes.service-account.privilege-escalation",
        title: "Service account holds a right that leads to cluster admin",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A service account that, across the cluster (or in kube-system, where the controllers' accounts live), may escalate or "
            + "bind roles, impersonate, create pods or workloads, exec into pods, read Secrets, mint tokens, use the kubelet API, change "
            + "admission webhooks or approve certificates: each is a documented path to cluster admin. Reported only when it is not "
            + "already reported as cluster-admin.",
        remediation: "Bind the right with a RoleBinding in the namespaces the workload manages instead of a ClusterRoleBinding, and drop "
            + "escalate, bind, impersonate and Secret reads unless the account is a controller that needs them.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .kubernetesServiceAccount, let index = subject.index else { return [] }
            let access = KubernetesRBAC.customerAccess(of: subject.identity, in: index)
            guard access.clusterAdmin.isEmpty, !access.escalation.isEmpty else { return [] }
            return [Hit(access.escalation)]
        })

    public static let kubernetesLongLivedToken = Detector(
        id: "kubernetes.service-account.long-lived-token",
        title: "Service account has a token that never expires",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "An active Secret of type kubernetes.io/service-account-token: a token valid until the Secret is deleted, copied wherever "
            + "it was handed out. High when the account may write, medium when it may only read or less. Invalidated tokens "
            + "(label kubernetes.io/legacy-token-invalid-since) are not reported.",
        remediation: "Give the client a short-lived token instead (`kubectl create token NAME --duration=1h`, or a projected volume in a pod), "
            + "or federate it (IRSA, workload identity); then delete the Secret, which revokes the token.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .kubernetesServiceAccount, subject.identity.managedBy == nil else { return [] }
            let level = subject.privilege.level
            return subject.credentials.compactMap { token in
                guard token.kind == .kubernetesServiceAccountToken, token.status == .active else { return nil }
                var evidence = [
                    "\(token.preview ?? token.id) holds a token for it that does not expire"
                        + (token.createdAt.map { ", created \(Say.date($0)) (\(Say.days(subject.days(since: $0))) ago)" } ?? ""),
                ]
                if let used = token.lastUsedAt {
                    evidence.append("last used \(Say.date(used)) (\(Say.days(subject.days(since: used))) before \(Say.date(subject.now)))")
                } else if token.usageTracked {
                    evidence.append("not used since the API server began tracking legacy token use")
                }
                evidence.append("the account's rights: \(level)")
                return Hit(evidence, credentialId: token.id, severity: level >= .write ? nil : .medium)
            }
        })

    /// NHI9 (reuse) rather than NHI5: what makes the default account's rights a problem is that every workload
    /// in the namespace that names no account shares them, whatever the rights are.
    public static let kubernetesDefaultAccountRights = Detector(
        id: "kubernetes.default-service-account.has-rights",
        title: "Default service account has RBAC rights",
        severity: .medium,
        owasp: .nhi9NHIReuse,
        summary: "A namespace's `default` service account holds rights beyond what every authenticated caller has, bound to it or to a "
            + "group of service accounts: every pod in the namespace that names no account runs as it and shares them. High when "
            + "the rights include writes.",
        remediation: "Create a service account for the workload that needs the rights, bind them to it, set serviceAccountName in its pod "
            + "spec, remove the binding from default, and set automountServiceAccountToken: false on default.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.kind == .kubernetesServiceAccount, identity.name.hasSuffix("/default"), let index = subject.index else { return [] }
            let access = KubernetesRBAC.customerAccess(of: identity, in: index)
            guard access.hasRights else { return [] }
            let granted = access.bindings.filter { $0.distribution == nil }.map { "bound: \($0.description)" }
            let runners = subject.edgesIn.filter { $0.kind == .kubernetesRunsAs }
            let mounted = runners.filter { $0.conditions.contains("automount=true") }.count
            let use = runners.isEmpty
                ? "no workload in the export runs as it yet; any pod created without serviceAccountName will"
                : "\(runners.count) workload\(runners.count == 1 ? "" : "s") run\(runners.count == 1 ? "s" : "") as it, \(mounted) with its token mounted"
            return [Hit(granted + ["rights: \(access.level)", use], severity: access.level >= .write ? .high : nil)]
        })

    public static let kubernetesUnusedAccountWithRights = Detector(
        id: "kubernetes.service-account.unused-with-rights",
        title: "Service account with rights that nothing runs as",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "A service account holding rights through its own bindings that no pod or workload in the export runs as and that has "
            + "no token Secret for outside use. Judged only when the export lists pods, so absence means something; default accounts "
            + "are covered by kubernetes.default-service-account.has-rights.",
        remediation: "Confirm with the owner that nothing outside the cluster requests tokens for it (kubectl create token), then delete "
            + "its bindings and the account.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.kind == .kubernetesServiceAccount, identity.managedBy == nil, !identity.name.hasSuffix("/default"),
                let index = subject.index, let cluster = identity.account,
                index.resourcesById["kubernetes:\(cluster)"]?.attributes["podsListed"] == "true"
            else { return [] }
            guard !subject.edgesIn.contains(where: { $0.kind == .kubernetesRunsAs }),
                !subject.credentials.contains(where: { $0.kind == .kubernetesServiceAccountToken && $0.status == .active })
            else { return [] }
            // Rights it holds only as a member of every account's group go with the group, not with it.
            let own = KubernetesRBAC.judge(KubernetesRBAC.customerAccess(of: identity, in: index).directBindings)
            guard own.hasRights else { return [] }
            return [Hit(
                ["no pod or workload in the export runs as it, and it has no token Secret"]
                    + own.bindings.map { "bound: \($0.description)" } + ["rights: \(own.level)"])]
        })
}

import RosterModel

/// The Kubernetes techniques by which a service account gains another's token, a node, or the cluster,
/// as declared edge rules. Ids are a contract: findings, JSON paths and tests name them.
///
/// The techniques are those of the Kubernetes documentation's "RBAC good practices" (privilege escalation
/// risks), decided by ``KubernetesRBACEvaluator`` as the RBAC authorizer decides.
public enum KubernetesEdgeRules {
    static let docs = "https://kubernetes.io/docs/"
    static let goodPractices = docs + "concepts/security/rbac-good-practices/"

    public static let all: [EdgeRule<KubernetesGraphContext>] = [
        clusterAdmin, podCreate, workloadCreate, podExec, saToken, secretRead, rbacBind, rbacEscalate, impersonate, nodesProxy, csrApprove,
        privilegedPod, nodeTokens, mutatingWebhook,
    ]

    // MARK: Outright

    public static let clusterAdmin = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.cluster-admin",
        technique: "Holds every verb on every resource cluster-wide",
        provider: .kubernetes,
        summary: "A ClusterRoleBinding grants it `*` verbs on `*` resources in `*` API groups (cluster-admin or an equivalent).",
        references: [docs + "reference/access-authn-authz/rbac/#user-facing-roles"]
    ) { context, principal in
        let hits = context.clusterWide(context.hits(principal, .everything))
        guard !hits.isEmpty else { return [] }
        let why = context.why(hits.map { (.everything, $0) })
        return [
            context.edge(
                principal,
                to: context.adminNode,
                rule: "kubernetes.cluster-admin",
                reason: "it can do every verb on every resource in every API group across cluster \(context.cluster) through \(why.roles)",
                why.refs
            )
        ]
    }

    // MARK: Running as another account

    public static let podCreate = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.pod-create",
        technique: "Create a pod that runs as another service account",
        provider: .kubernetes,
        summary:
            "create on pods in a namespace lets it run a pod as any service account of that namespace and read its token: the pod names the account, and its own automountServiceAccountToken: true overrides the account's false.",
        references: [
            goodPractices + "#workload-creation",
            docs + "tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
        ]
    ) { context, principal in context.fanEdges(.podCreate, principal) }

    public static let workloadCreate = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.workload-create",
        technique: "Create a workload whose pods run as another service account",
        provider: .kubernetes,
        summary:
            "create on deployments, daemonsets, statefulsets, replicasets (apps), jobs, cronjobs (batch) or replicationcontrollers in a namespace lets it have a controller run pods as any service account of that namespace.",
        references: [goodPractices + "#workload-creation"]
    ) { context, principal in context.fanEdges(.workloadCreate, principal) }

    public static let podExec = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.pod-exec",
        technique: "Exec into a running pod and read its token",
        provider: .kubernetes,
        summary:
            "create on pods/exec or pods/attach, or patch/update on pods/ephemeralcontainers, in a namespace reaches the accounts its running pods mount the token of; get on pods/exec or pods/attach does too over WebSocket before Kubernetes 1.35 (a condition on the edge).",
        references: [
            goodPractices + "#workload-creation", docs + "concepts/workloads/pods/ephemeral-containers/",
            "https://github.com/kubernetes/kubernetes/pull/134577",
        ]
    ) { context, principal in context.fanEdges(.podExec, principal) }

    public static let saToken = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.sa-token",
        technique: "Mint a token for a service account (TokenRequest)",
        provider: .kubernetes,
        summary:
            "create on serviceaccounts/token issues a token for the account it names (all of a namespace's, or only those its resourceNames list).",
        references: [goodPractices + "#token-request", docs + "reference/kubernetes-api/authentication-resources/token-request-v1/"]
    ) { context, principal in context.fanEdges(.saToken, principal) }

    public static let secretRead = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.secret-read",
        technique: "Read a service account's legacy token Secret",
        provider: .kubernetes,
        summary:
            "list or watch on secrets returns every Secret's content, token Secrets included; get only reaches the Secrets its resourceNames name, since a legacy token Secret's name (<account>-token-<random>) is not known in advance.",
        references: [goodPractices + "#listing-secrets", docs + "concepts/configuration/secret/#serviceaccount-token-secrets"]
    ) { context, principal in context.fanEdges(.secretRead, principal) }

    // MARK: RBAC

    public static let rbacBind = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.rbac-bind",
        technique: "Bind itself a more powerful role",
        provider: .kubernetes,
        summary:
            "bind on a ClusterRole or Role with create on (cluster)rolebindings lets it grant itself that role: cluster-admin cluster-wide is the cluster; a role that runs pods in a namespace reaches the namespace's accounts.",
        references: [goodPractices + "#bind-verb", docs + "reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update"]
    ) { context, principal in context.fanEdges(.rbacBind, principal) }

    public static let rbacEscalate = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.rbac-escalate",
        technique: "Rewrite a role it holds (escalate)",
        provider: .kubernetes,
        summary:
            "escalate with update or patch on a role bound to it (or create on clusterroles, for an aggregated role it holds) lets it add any rule: cluster-wide that is the cluster; in a namespace, its accounts.",
        references: [goodPractices + "#escalate-verb", docs + "reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update"]
    ) { context, principal in context.fanEdges(.rbacEscalate, principal) }

    public static let impersonate = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.impersonate",
        technique: "Impersonate a service account, user or group",
        provider: .kubernetes,
        summary:
            "impersonate on serviceaccounts acts as the accounts it names (all of a namespace's without resourceNames); on groups, system:masters included, or on every user, it acts as an administrator.",
        references: [goodPractices + "#impersonate-verb", docs + "reference/access-authn-authz/authentication/#user-impersonation"]
    ) { context, principal in context.fanEdges(.impersonate, principal) }

    // MARK: Nodes and the control plane

    public static let nodesProxy = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.nodes-proxy",
        technique: "Use the kubelet API through nodes/proxy",
        provider: .kubernetes,
        summary: "get or create on nodes/proxy (cluster-wide, every node) reaches the kubelet's API, which runs commands in any pod of any node.",
        references: [goodPractices + "#access-to-proxy-subresource-of-nodes", docs + "reference/access-authn-authz/kubelet-authn-authz/"]
    ) { context, principal in
        let hits =
            context.clusterWide(context.hits(principal, .getNodesProxy)).map { (KubernetesGraphContext.Probe.getNodesProxy, $0) }
            + context.clusterWide(context.hits(principal, .createNodesProxy)).map { (KubernetesGraphContext.Probe.createNodesProxy, $0) }
        guard !hits.isEmpty else { return [] }
        let why = context.why(hits)
        return [
            context.edge(
                principal,
                to: context.nodesNode,
                rule: "kubernetes.nodes-proxy",
                reason: "it can \(why.action) on every node through \(why.roles): the kubelet API runs commands in any pod of any node",
                why.refs
            )
        ]
    }

    public static let csrApprove = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.csr-approve",
        technique: "Issue itself a client certificate",
        provider: .kubernetes,
        summary:
            "create on certificatesigningrequests, update on certificatesigningrequests/approval and approve on signers for kubernetes.io/kube-apiserver-client give a client certificate for any user, such as system:kube-controller-manager (system:masters itself is refused by the CertificateSubjectRestriction admission plugin).",
        references: [
            goodPractices + "#csrs-and-certificate-issuing", docs + "reference/access-authn-authz/certificate-signing-requests/#authorization",
        ]
    ) { context, principal in
        let create = context.hits(principal, .createCSR).filter { $0.namespace == nil }
        let approval = context.hits(principal, .approveCSR).filter { $0.namespace == nil }
        // The approval check asks for the signer's name, then for its domain's wildcard, `kubernetes.io/*`.
        let signer = context.hits(principal, .approveSigners).filter {
            $0.namespace == nil && ($0.covers(name: "kubernetes.io/kube-apiserver-client") || $0.covers(name: "kubernetes.io/*"))
        }
        guard let c = create.first, let a = approval.first, let s = signer.first else { return [] }
        let why = context.why([(.createCSR, c), (.approveCSR, a), (.approveSigners, s)])
        return [
            context.edge(
                principal,
                to: context.adminNode,
                rule: "kubernetes.csr-approve",
                reason:
                    "it can \(why.action) for signer kubernetes.io/kube-apiserver-client through \(why.roles): it can request and approve a client certificate for user system:kube-controller-manager, who can mint a token for any service account",
                why.refs
            )
        ]
    }

    public static let privilegedPod = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.privileged-pod",
        technique: "Run a privileged pod and take over its node",
        provider: .kubernetes,
        summary:
            "create on pods or workloads in a namespace whose Pod Security Admission enforce level is privileged (or unset) runs a privileged, hostPath or hostPID pod, which controls its node; baseline and restricted forbid those.",
        references: [
            docs + "concepts/security/pod-security-admission/", docs + "concepts/security/pod-security-standards/",
            goodPractices + "#workload-creation",
        ]
    ) { context, principal in
        let pods = context.reach(.podCreate, principal)
        let workloads = context.reach(.workloadCreate, principal)
        let anywhere = pods.everywhere ?? workloads.everywhere
        let reached = Set(pods.namespaces.keys).union(workloads.namespaces.keys)
        let admitting = anywhere != nil ? context.privilegedNamespaces : context.privilegedNamespaces.filter { reached.contains($0) }
        guard let namespace = admitting.first, let right = pods.namespaces[namespace] ?? workloads.namespaces[namespace] ?? anywhere else {
            return []
        }
        let others = admitting.count - 1
        return [
            context.edge(
                principal,
                to: context.nodesNode,
                rule: "kubernetes.privileged-pod",
                reason:
                    "it can \(right.action) in namespace \(namespace) through \(right.roles), and \(context.podSecurity(namespace).why): a privileged pod mounting the host's filesystem controls its node and reads every token the node's pods mount"
                    + (others > 0
                        ? " (\(others) other namespace\(others == 1 ? "" : "s") it can create pods in admit\(others == 1 ? "s" : "") such pods too)"
                        : ""),
                right.refs
            )
        ]
    }

    public static let nodeTokens = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.node-tokens",
        technique: "Read a token mounted on a node",
        provider: .kubernetes,
        summary:
            "Whoever controls the cluster's nodes reads the service account tokens mounted in the pods they run: an edge from the nodes node to every account a running pod or workload mounts the token of.",
        references: [
            docs + "concepts/security/service-accounts/#authenticating-credentials", goodPractices + "#access-to-proxy-subresource-of-nodes",
        ]
    ) { context, principal in
        guard let workload = context.mountedBy[principal] else { return [] }
        return [
            Edge(
                from: context.nodesNode,
                to: context.principals[principal].id,
                kind: .canTakeOver,
                rule: "kubernetes.node-tokens",
                reason: "\(workload) runs as \(context.account(principal)) with its token mounted, so the node running its pods holds the token"
            )
        ]
    }

    public static let mutatingWebhook = EdgeRule<KubernetesGraphContext>(
        id: "kubernetes.mutating-webhook",
        technique: "Register a mutating admission webhook",
        provider: .kubernetes,
        summary:
            "create, update or patch on mutatingwebhookconfigurations (admissionregistration.k8s.io) lets it rewrite every object written to the cluster, injecting containers into every pod.",
        references: [goodPractices + "#control-admission-webhooks", docs + "reference/access-authn-authz/extensible-admission-controllers/"]
    ) { context, principal in
        let probes: [KubernetesGraphContext.Probe] = [.createMutatingWebhooks, .updateMutatingWebhooks, .patchMutatingWebhooks]
        let hits = probes.flatMap { probe in context.hits(principal, probe).filter { $0.namespace == nil }.map { (probe, $0) } }
        guard !hits.isEmpty else { return [] }
        let why = context.why(hits)
        return [
            context.edge(
                principal,
                to: context.adminNode,
                rule: "kubernetes.mutating-webhook",
                reason:
                    "it can \(why.action) through \(why.roles): a mutating webhook it controls can inject a container into every pod created, kube-system's included",
                why.refs
            )
        ]
    }
}

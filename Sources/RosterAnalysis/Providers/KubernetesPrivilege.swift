public import RosterModel

extension PrivilegeEvaluators {
    /// Kubernetes: placeholder until the Kubernetes connector lands; grants are reported as not evaluated.
    public static let kubernetes = PrivilegeEvaluator(provider: .kubernetes) { identity, grants, _ in
        grants.isEmpty
            ? PrivilegeAssessment(level: .none, evidence: ["no grants"], conditional: false)
            : PrivilegeAssessment(level: .unknown, evidence: ["\(grants.count) grant(s) not evaluated"], conditional: false)
    }
}

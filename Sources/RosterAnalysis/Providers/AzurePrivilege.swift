public import RosterModel

extension PrivilegeEvaluators {
    /// Azure: placeholder until the Azure connector lands; grants are reported as not evaluated.
    public static let azure = PrivilegeEvaluator(provider: .azure) { identity, grants, _ in
        grants.isEmpty
            ? PrivilegeAssessment(level: .none, evidence: ["no grants"], conditional: false)
            : PrivilegeAssessment(level: .unknown, evidence: ["\(grants.count) grant(s) not evaluated"], conditional: false)
    }
}

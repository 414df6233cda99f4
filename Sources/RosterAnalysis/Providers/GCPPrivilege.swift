public import RosterModel

extension PrivilegeEvaluators {
    /// GCP: placeholder until the GCP connector lands; grants are reported as not evaluated.
    public static let gcp = PrivilegeEvaluator(provider: .gcp) { identity, grants, _ in
        grants.isEmpty
            ? PrivilegeAssessment(level: .none, evidence: ["no grants"], conditional: false)
            : PrivilegeAssessment(level: .unknown, evidence: ["\(grants.count) grant(s) not evaluated"], conditional: false)
    }
}

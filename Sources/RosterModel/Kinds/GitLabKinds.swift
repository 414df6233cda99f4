extension IdentityKind {
    /// A GitLab CI/CD pipeline definition, the machine identity its jobs run as (`gitlab:<project path>/.gitlab-ci.yml`).
    public static let gitlabPipeline: IdentityKind = "gitlab.pipeline"
}

extension PolicyBody {
    /// `.other` content type of a pipeline's jobs (when they run, what variables and ID tokens they use) and its CI/CD variables' settings.
    public static let gitlabPipelineType = "gitlab.pipeline-jobs"
}

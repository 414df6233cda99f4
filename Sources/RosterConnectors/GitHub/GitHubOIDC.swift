/// The OIDC subjects a GitHub Actions job presents, in GitHub's default `sub` format.
///
/// GitHub documents one subject per run: `repo:<owner>/<repo>:environment:<name>` when the job
/// names an environment (whatever the event); otherwise `repo:<owner>/<repo>:pull_request` for
/// pull request events, and `repo:<owner>/<repo>:ref:<git ref>` for the rest. A job may run on
/// several events and refs, so it may present several subjects; a `*` stands for any value there
/// (any branch a push filter does not name, for instance).
enum GitHubOIDC {
    static let issuer = "https://token.actions.githubusercontent.com"

    /// The issuer for a GitHub host: github.com's, or GitHub Enterprise Server's `https://<host>/_services/token`.
    static func issuer(host: String?) -> String {
        guard let host, host != "github.com", !host.hasSuffix(".github.com") else { return issuer }
        return "https://\(host)/_services/token"
    }

    /// Every subject the job may present.
    static func subjects(repository: String, environment: String?, triggers: [GitHubWorkflow.Trigger], defaultBranch: String?) -> [String] {
        let prefix = "repo:\(repository):"
        if let environment {
            return [prefix + "environment:" + (environment.contains("${{") ? "*" : environment)]
        }
        var out: [String] = []
        func add(_ suffix: String) { if !out.contains(prefix + suffix) { out.append(prefix + suffix) } }
        let defaultRef = "ref:refs/heads/" + (defaultBranch ?? "*")
        for trigger in triggers {
            switch trigger.event {
            case "pull_request", "pull_request_target":
                // Both present `pull_request` (pull_request_target runs in the base's context, but the token says pull_request).
                add("pull_request")
            case "push":
                let branches = trigger.ignoresSome ? nil : trigger.branches
                let tags = trigger.ignoresSome ? nil : trigger.tags
                if branches == nil && tags == nil {
                    add("ref:refs/heads/*")
                    add("ref:refs/tags/*")
                }
                for branch in branches ?? [] { add("ref:refs/heads/" + branch) }
                for tag in tags ?? [] { add("ref:refs/tags/" + tag) }
            case "workflow_dispatch":
                add("ref:refs/heads/*")
                add("ref:refs/tags/*")
            case "release":
                add("ref:refs/tags/*")
            case "workflow_call":
                // A reusable workflow presents its caller's subject, which this file does not know.
                break
            case "merge_group":
                add("ref:refs/heads/gh-readonly-queue/*")
            default:
                // schedule, workflow_run, issue and comment events, repository_dispatch: the default branch.
                add(defaultRef)
            }
        }
        return out
    }
}

import ArgumentParser
import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterService
import RosterStore

struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Discover identities live from a provider's APIs into a new snapshot.",
        subcommands: [CollectAWSCommand.self])
}

struct CollectAWSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Collect AWS accounts through the IAM and STS APIs, as the AWS CLI would.",
        discussion: """
            Credentials are found like the AWS CLI finds them: --profile, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
            (and AWS_SESSION_TOKEN), else AWS_PROFILE or the default profile in ~/.aws/credentials and ~/.aws/config,
            including role_arn + source_profile chains. Needs iam:GetAccountAuthorizationDetails,
            iam:GenerateCredentialReport, iam:GetCredentialReport, iam:ListAccessKeys, iam:GetAccessKeyLastUsed and
            iam:ListAccountAliases (the AWS-managed SecurityAudit policy has them). Each account becomes one snapshot,
            stored exactly as `roster import aws` stores files.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: "A profile from ~/.aws/config or ~/.aws/credentials.")
    var profile: String?

    @Option(help: "The region to sign STS calls for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region).")
    var region: String?

    @Option(help: ArgumentHelp("Send IAM and STS calls here instead of AWS (moto, LocalStack, a private endpoint).", valueName: "url"))
    var endpointURL: String?

    @Option(help: ArgumentHelp("Assume this role and collect its account (repeatable: one snapshot per account).", valueName: "role-arn"))
    var assumeRole: [String] = []

    @Option(help: ArgumentHelp("The sts:ExternalId to pass when assuming --assume-role roles.", valueName: "id"))
    var externalId: String?

    @Option(help: ArgumentHelp("At most this many API calls in flight.", valueName: "n"))
    var concurrency: Int = 8

    @Option(help: ArgumentHelp("Give up after this many retries of throttled or failed calls in total.", valueName: "n"))
    var retryBudget: Int = 200

    @Option(help: ArgumentHelp("Seconds before one API call times out.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(help: "Store the snapshot even if it drops more than half of the scope's identities (they really are gone).")
    var replace = false

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard retryBudget >= 0 else { throw ValidationError("--retry-budget must be 0 or more") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    mutating func run() async throws {
        let service = try await reportingErrors { () -> RosterService in
            _ = try global.tabular()
            return try global.service(writing: true, overrides: policyOptions)
        }
        let progress = ProgressBar()
        let timings = PhaseTimer(enabled: ProcessInfo.processInfo.environment["ROSTER_TIMINGS"] != nil)
        let collector = AWSCollector(options: .init(
            profile: profile, region: region, endpointURL: endpointURL, assumeRoles: assumeRole, externalId: externalId,
            concurrency: concurrency, retry: RetryPolicy(budget: retryBudget, timeout: timeout)))
        let result: ConnectorResult
        do {
            result = try await collector.collect { phase, done, total in progress.update(phase, done: done, total: total) }
        } catch let error as ConnectorError {
            progress.finish()
            Terminal.error(error.description)
            throw error.code == .configuration ? RosterExit.badInput : RosterExit.providerFailure
        }
        timings.mark("collect and map")
        let source = "collect aws \(endpointURL ?? profile.map { "profile \($0)" } ?? "default credentials")"
        try await reportingErrors { try await global.removingNewDatabaseOnFailure {
            let report = try await service.ingest(result, source: source, inputDigest: nil, replace: replace) { step, done, total in
                timings.follow(step)
                progress.update(step, done: done, total: total)
            }
            timings.finish()
            progress.finish()
            for warning in report.warnings { Terminal.warning(warning) }
            try ImportSummary(format: global.format).print(report, what: "Collected \(Format.count(report.outcomes.count, "account"))")
        } }
    }
}

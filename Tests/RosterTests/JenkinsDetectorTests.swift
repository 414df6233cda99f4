import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The Jenkins detectors on the fixture controller: each fires on its risky credential and stays
/// silent on the healthy look-alike beside it.
struct JenkinsDetectorTests {
    static let analysis: Analysis? = try? Analyzer.run([JenkinsFixture.estate()])

    func rules(of credentialId: String, domain: String = "_") throws -> Set<String> {
        let analysis = try #require(Self.analysis, "the fixture did not load")
        let id = "jenkins:ci-prod/system/\(domain)/\(credentialId)"
        return Set(analysis.findings.filter { $0.identityId == id }.map(\.ruleId))
    }

    @Test func jenkinsDetectorsAreRegistered() {
        let ids = Set(Detectors.all.map(\.id))
        #expect(ids.isSuperset(of: ["jenkins.aws.static-access-key", "jenkins.credential.plaintext-secret"]))
        #expect(Detectors.jenkinsFamily.allSatisfy { $0.id.hasPrefix("jenkins.") })
    }

    @Test func staticAWSKeyIsReported() throws {
        // Given aws-prod-deploy (access key and secret key) and aws-data-assume (a key used to assume a role)
        #expect(try rules(of: "aws-prod-deploy") == ["jenkins.aws.static-access-key"])
        #expect(try rules(of: "aws-data-assume") == ["jenkins.aws.static-access-key"])
        let finding = try #require(
            Self.analysis?.findings.first { $0.ruleId == "jenkins.aws.static-access-key" && $0.identityName == "aws-prod-deploy" }
        )
        // Then the finding is about the stored key, says who may bind it and which AWS key it is
        #expect(finding.severity == .high)
        #expect(finding.owasp == .nhi7LongLivedSecrets)
        #expect(finding.credentialId == "jenkins:ci-prod/system/_/aws-prod-deploy#aws-access-key")
        #expect(finding.evidence.contains { $0.contains("AKIA…GG7U") })
        #expect(finding.evidence.contains { $0.contains("every job on the controller may bind it") })
        #expect(finding.evidence.contains { $0.contains("aws:accessKey:AKIAQSQ5MI5SUKNZGG7U") })
        #expect(!finding.evidence.joined().contains("AKIAQSQ5MI5SUKNZGG7U in credential"))
    }

    @Test func roleOnlyAWSCredentialIsHealthy() throws {
        // Given aws-audit: only a role, assumed with the controller's instance profile, and an owner
        #expect(try rules(of: "aws-audit").isEmpty)
    }

    @Test func plaintextSecretIsReportedAndEncryptedOnesAreNot() throws {
        // Given reporting-db, whose password is in plain text, and nexus-deployer, encrypted, both with owners
        #expect(try rules(of: "reporting-db") == ["jenkins.credential.plaintext-secret"])
        #expect(try rules(of: "nexus-deployer").isEmpty)
        let finding = try #require(Self.analysis?.findings.first { $0.ruleId == "jenkins.credential.plaintext-secret" })
        #expect(finding.severity == .high)
        #expect(finding.owasp == .nhi2SecretLeakage)
        #expect(finding.evidence.first?.contains("stores password of UsernamePasswordCredentialsImpl reporting-db unencrypted") == true)
        #expect(!finding.evidence.joined().contains("not-a-real-password-1"))
    }

    @Test func credentialWithoutAnOwnerGetsTheNeutralMissingOwnerFinding() throws {
        // Given slack-webhook, whose description is empty, and agent-ssh, whose description names its owner
        #expect(try rules(of: "slack-webhook") == ["nhi.owner.missing"])
        #expect(try rules(of: "agent-ssh").isEmpty)
        #expect(try rules(of: "kubeconfig", domain: "staging-cluster").isEmpty)
    }

    @Test func everyOtherFixtureCredentialIsHealthy() throws {
        for id in ["android-signing", "aws-audit"] { #expect(try rules(of: id).isEmpty, "\(id)") }
        // The Google metadata credential names no owner: the neutral rule, and nothing Jenkins-specific
        #expect(try rules(of: "acme-prod-4821") == ["nhi.owner.missing"])
    }
}

/// The example controller (examples/estate/jenkins/ci-prod): its planted risks are found, its healthy credentials are not flagged.
struct JenkinsExampleTests {
    @Test func theExampleControllerShowsItsRisksAndHealthyCredentials() throws {
        let analysis = Analyzer.run([try JenkinsFixture.estate([JenkinsFixture.example])])
        func rules(_ id: String) -> Set<String> {
            Set(analysis.findings.filter { $0.identityId == "jenkins:ci-prod/system/_/\(id)" }.map(\.ruleId))
        }
        #expect(rules("aws-web-app-deploy") == ["jenkins.aws.static-access-key"])
        #expect(rules("slack-release-webhook") == ["nhi.owner.missing"])
        #expect(rules("github-acme-bot") == ["nhi.owner.missing"])
        for healthy in ["aws-org-audit", "nexus-deployer", "agent-ssh"] { #expect(rules(healthy).isEmpty, "\(healthy)") }
    }
}

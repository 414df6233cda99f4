import Foundation
import RosterAnalysis
import RosterModel
import Testing

/// A Jenkins controller estate built in code: one credential identity, as the connector maps it.
extension EstateBuilder {
    static func jenkins(_ build: (inout Estate) -> Void) -> EstateBuilder {
        var builder = EstateBuilder()
        builder.estate = Estate(observedAt: Fixture.now, scope: "jenkins:ci-test")
        build(&builder.estate)
        return builder
    }
}

extension Estate {
    /// Adds a credential identity of controller ci-test, healthy by default (scope GLOBAL, an owner).
    @discardableResult
    mutating func jenkinsCredential(_ name: String, className: String, owner: String? = "platform-team", tags extra: [String: String] = [:]) -> String
    {
        let id = "jenkins:ci-test/system/_/\(name)"
        var tags = [JenkinsTag.className: className, JenkinsTag.scope: "GLOBAL"]
        if let owner { tags[JenkinsTag.description] = "owner: \(owner)" }
        identities.append(
            Identity(
                id: id,
                provider: .jenkins,
                kind: .jenkinsCredential,
                name: name,
                nativeId: name,
                account: "ci-test",
                path: "system/_",
                owner: owner,
                tags: tags.merging(extra) { _, new in new },
                nature: .machine,
                natureReason: "a credential stored on Jenkins controller ci-test"
            )
        )
        return id
    }
}

/// The Jenkins detectors' risky and healthy estates, in the shape of `detectorCases` (DetectorTests.swift),
/// so the registry's checks can cover them: `detectorCases.merging(jenkinsDetectorCases) { a, _ in a }`.
let jenkinsDetectorCases: [String: DetectorCase] = [
    "jenkins.aws.static-access-key": DetectorCase(
        identity: "aws-deploy",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        evidence: "AWS access key AKIA…GG7U stored in credential aws-deploy",
        risky: {
            .jenkins { estate in
                let id = estate.jenkinsCredential("aws-deploy", className: "AWSCredentialsImpl")
                estate.credentials.append(
                    Credential(
                        id: id + "#aws-access-key",
                        identityId: id,
                        kind: .jenkinsAWSAccessKey,
                        fingerprint: CredentialFingerprint(.awsAccessKeyId, of: "AKIAQSQ5MI5SUKNZGG7U").description,
                        preview: "AKIA…GG7U"
                    )
                )
                estate.edges.append(Edge(from: id, to: "aws:accessKey:AKIAQSQ5MI5SUKNZGG7U", kind: .holdsCredentialOf, rule: "jenkins.import"))
            }
        },
        healthy: {
            // The same credential holding only a role, assumed with the controller's instance profile.
            .jenkins { estate in
                let role = "arn:aws:iam::123456789012:role/deploy"
                let id = estate.jenkinsCredential("aws-deploy", className: "AWSCredentialsImpl", tags: [JenkinsTag.awsRoleArn: role])
                estate.edges.append(Edge(from: id, to: role, kind: .canAssume, rule: "jenkins.import", conditions: ["source=controller"]))
            }
        }
    ),
    "jenkins.credential.plaintext-secret": DetectorCase(
        identity: "reporting-db",
        severity: .high,
        owasp: .nhi2SecretLeakage,
        evidence: "stores password of UsernamePasswordCredentialsImpl reporting-db unencrypted",
        risky: {
            .jenkins { estate in
                let id = estate.jenkinsCredential(
                    "reporting-db",
                    className: "UsernamePasswordCredentialsImpl",
                    tags: [JenkinsTag.plaintextFields: "password"]
                )
                estate.credentials.append(Credential(id: id + "#password", identityId: id, kind: .password))
            }
        },
        healthy: {
            .jenkins { estate in
                let id = estate.jenkinsCredential("reporting-db", className: "UsernamePasswordCredentialsImpl")
                estate.credentials.append(Credential(id: id + "#password", identityId: id, kind: .password))
            }
        }
    ),
]

/// Until the registry's table includes them, the same checks it makes, on the Jenkins cases.
struct JenkinsDetectorCaseTests {
    @Test func everyJenkinsDetectorHasACase() {
        #expect(Set(jenkinsDetectorCases.keys) == Set(Detectors.jenkinsFamily.map(\.id)))
    }

    @Test(arguments: jenkinsDetectorCases.keys.sorted())
    func caseMatchesItsDetectorAndFiresOnlyWhenRisky(_ ruleId: String) throws {
        let fixture = try #require(jenkinsDetectorCases[ruleId])
        let detector = try #require(Detectors.all.first { $0.id == ruleId })
        #expect(detector.severity == fixture.severity && detector.owasp == fixture.owasp)
        let risky = try fixture.risky().analyse(fixture.policy)
        let finding = try #require(risky.findings(on: fixture.identity).first { $0.ruleId == ruleId }, "\(risky.ruleIds(on: fixture.identity))")
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "\(finding.evidence)")
        let healthy = try fixture.healthy().analyse(fixture.policy)
        #expect(healthy.profile(named: fixture.identity) != nil)
        #expect(!healthy.ruleIds(on: fixture.identity).contains(ruleId))
    }
}

import Foundation
import RosterModel
import Testing

@testable import RosterConnectors

/// Where the Jenkins fixtures live, and how tests read them.
enum JenkinsFixture {
    static let directory = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/jenkins")
    static let ciProd = directory.appendingPathComponent("ci-prod").path
    static let ciProdFile = directory.appendingPathComponent("ci-prod/credentials.xml").path
    static let example = Fixture.packageRoot.appendingPathComponent("examples/estate/jenkins").path
    /// The AWS example's observation time, used for Jenkins too so nothing depends on file times.
    static let asOf = utc("2026-11-20T08:00:00Z")

    static func read(_ paths: [String], asOf: Date? = JenkinsFixture.asOf) throws -> ConnectorResult {
        let connector = JenkinsConnector(asOf: asOf)
        return try connector.read(try connector.discover(paths).files)
    }

    static func estate(_ paths: [String] = [ciProd]) throws -> Estate {
        let result = try read(paths)
        #expect(result.estates.count == 1)
        return try #require(result.estates.first)
    }

    /// The error discovering and reading `paths` throws.
    static func error(_ paths: [String]) -> ConnectorError? {
        do {
            _ = try read(paths)
            return nil
        } catch let error as ConnectorError {
            return error
        } catch {
            return nil
        }
    }

    /// A controller folder holding `text` as its credentials.xml.
    static func writing(_ text: String, controller: String = "ci-test", in dir: URL) throws -> String {
        let folder = dir.appendingPathComponent(controller)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("credentials.xml")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// A credentials.xml around one list of credential elements.
    static func store(_ credentials: String, declaration: String = "<?xml version='1.1' encoding='UTF-8'?>\n") -> String {
        declaration + """
            <com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
              <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">
                <entry>
                  <com.cloudbees.plugins.credentials.domains.Domain>
                    <specifications/>
                  </com.cloudbees.plugins.credentials.domains.Domain>
                  <java.util.concurrent.CopyOnWriteArrayList>
            \(credentials)
                  </java.util.concurrent.CopyOnWriteArrayList>
                </entry>
              </domainCredentialsMap>
            </com.cloudbees.plugins.credentials.SystemCredentialsProvider>
            """
    }

    static let encrypted = "{AQAAABAAAAAQ3xUYEheZyvXW1lwQwAo9SXLAvFdExghI11bRoUCFNaw=}"
}

extension Estate {
    func jenkinsIdentity(_ credentialId: String, domain: String = "_") -> Identity? {
        identities.first { $0.id.hasSuffix("/system/\(domain)/\(credentialId)") }
    }
}

/// The fixture controller `ci-prod`: one credential of every class Roster maps, as Jenkins writes them.
struct JenkinsConnectorTests {
    @Test func discoversCredentialsXMLByItsRootElementAndSkipsOtherXML() throws {
        try withTemporaryDirectory { dir in
            // Given a JENKINS_HOME-like folder: credentials.xml, config.xml and a job's config.xml
            let file = try JenkinsFixture.writing(JenkinsFixture.store(""), controller: "ci-home", in: dir)
            let home = dir.appendingPathComponent("ci-home")
            try Data("<?xml version='1.1' encoding='UTF-8'?>\n<hudson><version>2.479</version></hudson>".utf8)
                .write(to: home.appendingPathComponent("config.xml"))
            try FileManager.default.createDirectory(at: home.appendingPathComponent("jobs/release"), withIntermediateDirectories: true)
            try Data("<flow-definition plugin=\"workflow-job\"/>".utf8).write(to: home.appendingPathComponent("jobs/release/config.xml"))
            // When the folder is searched
            let found = try JenkinsConnector().discover([dir.path])
            // Then only credentials.xml is taken, for controller ci-home, and each other file is skipped with its root element
            #expect(found.files == [JenkinsConnector.InputFile(path: file, controller: "ci-home")])
            #expect(found.skips.count == 2)
            #expect(found.skips.contains { $0.reason.contains("<hudson>") })
            #expect(found.skips.contains { $0.reason.contains("<flow-definition>") })
        }
    }

    @Test func mapsOneEstatePerControllerNamedByItsFolder() throws {
        // Given ci-prod's credentials.xml
        let estate = try JenkinsFixture.estate()
        // Then there is one estate, jenkins:ci-prod, with one identity per credential (both domains)
        #expect(estate.scope == "jenkins:ci-prod")
        #expect(estate.observedAt == JenkinsFixture.asOf)
        #expect(
            Set(estate.identities.map(\.name)) == [
                "nexus-deployer", "aws-prod-deploy", "aws-audit", "aws-data-assume", "agent-ssh", "slack-webhook", "android-signing",
                "acme-prod-4821",
                "reporting-db", "kubeconfig",
            ]
        )
        #expect(estate.identities.allSatisfy { $0.kind == .jenkinsCredential && $0.provider == .jenkins && $0.account == "ci-prod" })
        #expect(estate.identities.allSatisfy { $0.nature == .machine && !$0.usageTracked })
        #expect(estate.resources.map(\.id) == ["jenkins:ci-prod"])
        #expect(estate.resources.first?.attributes["credentialsPlugin"] == "credentials@1337.v60b_d7b_c7b_c9f")
    }

    @Test func identityIdsFollowJenkinsCredentialURLs() throws {
        // Given a credential in the global domain and one in the staging-cluster domain
        let estate = try JenkinsFixture.estate()
        // Then their ids are jenkins:<controller>/system/<domain or _>/<id>, as in Jenkins' own URLs
        #expect(estate.jenkinsIdentity("nexus-deployer")?.id == "jenkins:ci-prod/system/_/nexus-deployer")
        let kubeconfig = try #require(estate.jenkinsIdentity("kubeconfig", domain: "staging-cluster"))
        #expect(kubeconfig.id == "jenkins:ci-prod/system/staging-cluster/kubeconfig")
        #expect(kubeconfig.tags[JenkinsTag.domain] == "staging-cluster")
        #expect(kubeconfig.tags[JenkinsTag.fileName] == "kubeconfig-staging.yaml")
        #expect(kubeconfig.environment == "staging")
    }

    @Test func keepsDescriptionScopeClassAndUsernameButNeverASecret() throws {
        // Given a username/password credential with an encrypted password
        let estate = try JenkinsFixture.estate()
        let nexus = try #require(estate.jenkinsIdentity("nexus-deployer"))
        // Then what identifies it is kept
        #expect(nexus.tags[JenkinsTag.className] == "UsernamePasswordCredentialsImpl")
        #expect(nexus.tags[JenkinsTag.scope] == "GLOBAL")
        #expect(nexus.tags[JenkinsTag.username] == "ci-deployer")
        #expect(nexus.tags[JenkinsTag.description] == "Publishes release artifacts to Nexus (owner: platform-team)")
        #expect(nexus.natureReason.contains("scope GLOBAL: every job and folder on the controller may use it"))
        // And its secret is a credential of kind password, without any fingerprint of the ciphertext
        let password = try #require(estate.credentials.first { $0.identityId == nexus.id })
        #expect(password.kind == .password)
        #expect(password.id == nexus.id + "#password")
        #expect(password.fingerprint == nil && password.preview == nil)
        // And no encrypted blob or plaintext value appears anywhere in the estate
        let text = String(decoding: try JSONEncoder().encode(estate), as: UTF8.self)
        #expect(!text.contains("{AQAAAB"))
        #expect(!text.contains("not-a-real-password-1"))
    }

    @Test func ownerComesFromTheDescription() throws {
        // Given descriptions "… (owner: platform-team)", "…; owner: platform@acme.io", "owner=data-team" and an empty one
        let estate = try JenkinsFixture.estate()
        // Then the owner is the word after owner: or owner=, and none when the description names none
        #expect(estate.jenkinsIdentity("nexus-deployer")?.owner == "platform-team")
        #expect(estate.jenkinsIdentity("aws-prod-deploy")?.owner == "platform@acme.io")
        #expect(estate.jenkinsIdentity("aws-data-assume")?.owner == "data-team")
        #expect(estate.jenkinsIdentity("slack-webhook")?.owner == nil)
        #expect(estate.jenkinsIdentity("slack-webhook")?.tags[JenkinsTag.description] == nil)
        #expect(JenkinsMapper.owner(in: "Owned by nobody; ownership unclear") == nil)
        #expect(JenkinsMapper.owner(in: "Deploy key, Owner = sre-oncall, rotated yearly") == "sre-oncall")
    }

    @Test func staticAWSKeyClaimsItsIAMUserByKeyId() throws {
        // Given an AWSCredentialsImpl holding access key AKIAQSQ5MI5SUKNZGG7U (jenkins-deploy's key in examples/aws-acme)
        let estate = try JenkinsFixture.estate()
        let deploy = try #require(estate.jenkinsIdentity("aws-prod-deploy"))
        // Then the stored key is a credential fingerprinted like AWS's own access key, so the two meet
        let key = try #require(estate.credentials.first { $0.identityId == deploy.id })
        #expect(key.kind == .jenkinsAWSAccessKey)
        #expect(key.fingerprint == CredentialFingerprint(.awsAccessKeyId, of: "AKIAQSQ5MI5SUKNZGG7U").description)
        #expect(key.preview == "AKIA…GG7U")
        // And the identity claims the IAM user's key
        let claims = estate.edges.filter { $0.from == deploy.id }
        #expect(claims.count == 1)
        #expect(claims.first?.to == "aws:accessKey:AKIAQSQ5MI5SUKNZGG7U")
        #expect(claims.first?.kind == .holdsCredentialOf)
        #expect(claims.first?.rule == "jenkins.import")
        #expect(claims.first?.reason.contains("AWSCredentialsImpl accessKey") == true)
    }

    @Test func roleOnlyAWSCredentialHoldsNoSecretAndAssumesItsRoleAsTheController() throws {
        // Given an AWSCredentialsImpl with an empty accessKey and an iamRoleArn
        let estate = try JenkinsFixture.estate()
        let audit = try #require(estate.jenkinsIdentity("aws-audit"))
        // Then it holds no credential, and claims the role with the controller's own credentials
        #expect(estate.credentials.filter { $0.identityId == audit.id }.isEmpty)
        let edges = estate.edges.filter { $0.from == audit.id }
        #expect(edges.map(\.to) == ["arn:aws:iam::210987654321:role/org-audit-readonly"])
        #expect(edges.first?.kind == .canAssume)
        #expect(edges.first?.conditions == ["source=controller"])
        #expect(audit.tags[JenkinsTag.awsRoleArn] == "arn:aws:iam::210987654321:role/org-audit-readonly")
    }

    @Test func keyAndRoleGiveBothClaimsWithMFAAndExternalId() throws {
        // Given an AWSCredentialsImpl with an access key, a role, an external id and an MFA serial
        let estate = try JenkinsFixture.estate()
        let data = try #require(estate.jenkinsIdentity("aws-data-assume"))
        // Then it claims the key's user and the role, the role assumed with that key
        let edges = estate.edges.filter { $0.from == data.id }.sorted { $0.to < $1.to }
        #expect(edges.map(\.to) == ["arn:aws:iam::210987654321:role/legacy-reporting-role", "aws:accessKey:AKIAJMEYFVSOBZ7G6OHP"])
        #expect(
            edges.first?.conditions == [
                "source=aws:accessKey:AKIAJMEYFVSOBZ7G6OHP", "mfaSerial=arn:aws:iam::210987654321:mfa/jenkins-reporting", "externalId=acme-reporting",
            ]
        )
    }

    @Test func eachCredentialClassGetsItsKindOfSecret() throws {
        let estate = try JenkinsFixture.estate()
        func kind(_ id: String, domain: String = "_") -> CredentialKind? {
            estate.credentials.first { $0.identityId == "jenkins:ci-prod/system/\(domain)/\(id)" }?.kind
        }
        #expect(kind("agent-ssh") == .sshKey)
        #expect(kind("slack-webhook") == .jenkinsSecretText)
        #expect(kind("android-signing") == .certificate)
        #expect(kind("kubeconfig", domain: "staging-cluster") == .jenkinsSecretFile)
        // A class Roster does not know, holding no secret (Google metadata credentials), is an identity without a credential
        #expect(kind("acme-prod-4821") == nil)
        #expect(estate.jenkinsIdentity("acme-prod-4821")?.tags[JenkinsTag.className] == "GoogleRobotMetadataCredentials")
        // An SSH key's source class is kept, its scope SYSTEM explained
        let ssh = try #require(estate.jenkinsIdentity("agent-ssh"))
        #expect(ssh.tags[JenkinsTag.keySource] == "DirectEntryPrivateKeySource")
        #expect(ssh.natureReason.contains("scope SYSTEM: only the controller itself uses it"))
    }

    @Test func plaintextSecretsAreNamedNotKept() throws {
        // Given reporting-db, whose password was written into credentials.xml in plain text
        let estate = try JenkinsFixture.estate()
        // Then the field is named as plaintext, every encrypted one is not
        #expect(estate.jenkinsIdentity("reporting-db")?.tags[JenkinsTag.plaintextFields] == "password")
        #expect(estate.identities.filter { $0.tags[JenkinsTag.plaintextFields] != nil }.map(\.name) == ["reporting-db"])
    }

    @Test(arguments: [
        ("{AQAAABAAAAAQ3xUYEheZyvXW1lwQwAo9SXLAvFdExghI11bRoUCFNaw=}", "password", JenkinsSecretState.encrypted),
        ("  {AQAAABAAAAAQ3xUYEheZyvXW1lwQwAo9SXLAvFdExghI11bRoUCFNaw=}\n", "secret", .encrypted),
        ("n0G9W8uw8de9puyHB9d3xvE/pg3mKBxfeN4/YYsakj8=", "password", .encrypted),
        ("hunter2", "password", .plaintext),
        ("{clear_password}", "password", .plaintext),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "privateKey", .plaintext),
        ("", "password", .empty),
        ("${NEXUS_PASSWORD}", "password", .placeholder),
        ("bm90IGEgc2VjcmV0IGZpbGUgYnV0IGJhc2U2NA==", "secretBytes", .plaintext),
        ("{bEtRRJ+hCoQHgEAmcGhAOlKFx6J5tVuKmwdBVSgdq4zkktsLwG1zHO6swI3mQ5z9}", "secretBytes", .encrypted),
    ])
    func classifiesHowASecretIsStored(_ value: String, _ field: String, _ expected: JenkinsSecretState) {
        #expect(JenkinsCredentialsFile.state(of: value, field: field) == expected)
    }

    @Test func readsTheEmptyStoreAFreshControllerWrites() throws {
        try withTemporaryDirectory { dir in
            // Given the credentials.xml of a controller with no credentials (the map written as an empty element)
            let text = """
                <?xml version='1.1' encoding='UTF-8'?>
                <com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
                  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash"/>
                </com.cloudbees.plugins.credentials.SystemCredentialsProvider>
                """
            let path = try JenkinsFixture.writing(text, controller: "ci-empty", in: dir)
            // When it is read
            let estate = try JenkinsFixture.estate([path])
            // Then the controller has an estate with no identities
            #expect(estate.scope == "jenkins:ci-empty")
            #expect(estate.identities.isEmpty)
        }
    }

    @Test func observationTimeIsTheFilesModificationTimeWithoutAsOf() throws {
        try withTemporaryDirectory { dir in
            // Given a credentials.xml last modified on 2026-10-01
            let path = try JenkinsFixture.writing(JenkinsFixture.store(""), in: dir)
            let modified = utc("2026-10-01T12:00:00Z")
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
            // When it is read without --as-of
            let result = try JenkinsFixture.read([path], asOf: nil)
            // Then it is observed then, and a warning says so
            #expect(result.estates.first?.observedAt == modified)
            #expect(result.warnings.contains { $0.contains("modification time") && $0.contains("--as-of") })
        }
    }

    @Test func theExampleControllerCrossLinksToTheAWSExample() throws {
        // Given examples/estate/jenkins/ci-prod and the AWS example's jenkins-deploy user
        let estate = try JenkinsFixture.estate([JenkinsFixture.example])
        let aws = try #require(try readAWS([Fixture.acmeDir]).estates.first)
        // Then the stored key's fingerprint is the fingerprint of an access key AWS lists
        let stored = Set(estate.credentials.compactMap(\.fingerprint))
        let awsKeys = aws.credentials.filter { stored.contains($0.fingerprint ?? "") }
        #expect(awsKeys.map(\.identityId) == ["arn:aws:iam::210987654321:user/jenkins-deploy"])
        // And the claimed key and role exist in the AWS example
        let claims = estate.edges.map(\.to)
        #expect(claims.contains("aws:accessKey:\(awsKeys.first?.id ?? "?")"))
        #expect(claims.contains("arn:aws:iam::210987654321:role/org-audit-readonly"))
        #expect(aws.identities.contains { $0.id == "arn:aws:iam::210987654321:role/org-audit-readonly" })
    }
}

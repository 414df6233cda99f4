import AsyncHTTPClient
public import Foundation

/// Asks STS who a found access key belongs to (`GetCallerIdentity`, which needs no permission
/// and changes nothing). Used only when a user asks for verification.
public struct AWSKeyVerifier: Sendable {
    public enum Outcome: Sendable, Hashable {
        /// The key works; STS named its principal.
        case valid(arn: String, account: String)
        /// AWS rejected it (deleted, deactivated, or the secret is wrong).
        case invalid(String)
        /// Could not tell (network, throttling, service error).
        case error(String)
    }

    public var endpoint: URL
    public var region: String

    /// `endpoint` defaults to the regional STS endpoint of `region`.
    public init(endpoint: URL? = nil, region: String = "us-east-1") {
        self.region = region
        self.endpoint = endpoint ?? URL(string: "https://sts.\(region).amazonaws.com/")!
    }

    public func verify(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) async -> Outcome {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = AWSQueryClient(
            http: http, endpoint: AWSEndpoint(url: endpoint, signingRegion: region, service: "sts", apiVersion: "2011-06-15"),
            credentials: AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken, source: "a found key"),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.2, maxDelay: 2, budget: 10, timeout: 10))
        let outcome = await call(client)
        try? await http.shutdown()
        return outcome
    }

    private func call(_ client: AWSQueryClient) async -> Outcome {
        do {
            let result = try await client.call("GetCallerIdentity")
            return .valid(arn: result.text("Arn") ?? "?", account: result.text("Account") ?? "?")
        } catch let error as ConnectorError where error.code == .authentication {
            return .invalid(error.message)
        } catch let error as ConnectorError {
            return .error(error.message)
        } catch {
            return .error("\(error)")
        }
    }
}

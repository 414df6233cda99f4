/// The system an identity lives in.
///
/// Each connector stamps the provider on everything it maps, so findings and inventory can be
/// filtered by source. Open: a provider this build does not know round-trips unchanged.
public struct Provider: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let aws: Provider = "aws"
    public static let gcp: Provider = "gcp"
    public static let azure: Provider = "azure"
    public static let kubernetes: Provider = "kubernetes"
    public static let github: Provider = "github"
    public static let gitlab: Provider = "gitlab"
    public static let jenkins: Provider = "jenkins"
    public static let saas: Provider = "saas"
    public static let x509: Provider = "x509"
    public static let generic: Provider = "generic"

    /// The providers this build has named constants for.
    public static let known: [Provider] = [.aws, .gcp, .azure, .kubernetes, .github, .gitlab, .jenkins, .saas, .x509, .generic]
}

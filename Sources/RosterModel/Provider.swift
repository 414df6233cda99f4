/// The system an identity lives in.
///
/// Each connector stamps the provider on everything it maps, so findings and inventory
/// can be filtered by source.
public enum Provider: String, Codable, Hashable, Sendable, CaseIterable {
    case aws
    case gcp
    case azure
    case kubernetes
    case github
    case generic
}

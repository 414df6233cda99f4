public import RosterModel

extension Detectors {
    /// The X509 detectors.
    public static let x509Family: [Detector] = []
}

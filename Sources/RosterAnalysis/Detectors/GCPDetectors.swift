public import RosterModel

extension Detectors {
    /// The GCP detectors.
    public static let gcpFamily: [Detector] = []
}

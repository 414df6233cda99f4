public import RosterModel

extension Detectors {
    /// The CI detectors.
    public static let ciFamily: [Detector] = []
}

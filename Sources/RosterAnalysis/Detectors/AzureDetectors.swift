public import RosterModel

extension Detectors {
    /// The Azure detectors.
    public static let azureFamily: [Detector] = []
}

public import RosterModel

extension Detectors {
    /// The Jenkins detectors.
    public static let jenkinsFamily: [Detector] = []
}

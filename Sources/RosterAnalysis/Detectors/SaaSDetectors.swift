public import RosterModel

extension Detectors {
    /// The SaaS detectors.
    public static let saasFamily: [Detector] = []
}

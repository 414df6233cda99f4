public import RosterModel

extension Detectors {
    /// The Kubernetes detectors.
    public static let kubernetesFamily: [Detector] = []
}

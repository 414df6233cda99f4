/// The registry of NHI detectors.
///
/// Add a detector by declaring it in its family's file and listing it in that family's list;
/// each provider's family lives in `Detectors/<Provider>Detectors.swift`.
public enum Detectors {
    public static let all: [Detector] = aws + neutralFamily + CrossSystemRules.all + gcpFamily + azureFamily + kubernetesFamily + ciFamily + jenkinsFamily + saasFamily + x509Family

    /// The AWS and provider-neutral detectors.
    public static let aws: [Detector] = [
        rootAccessKeys,
        adminNHI,
        roleTrustsEveryone,
        roleOIDCUnscoped,
        roleTrustsUnknownAccount,
        consolePasswordOnNHI,
        consoleWithoutMFA,
        accessKeyNotRotated,
        accessKeyNeverUsed,
        twoActiveAccessKeys,
        unusedIdentity,
        missingOwner,
    ]
}

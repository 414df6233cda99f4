/// The registry of NHI detectors.
///
/// Add a detector by declaring it in its family's file and listing it in ``all``.
public enum Detectors {
    public static let all: [Detector] = [
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

import Foundation
@testable import RosterConnectors
import Testing

struct TimestampTests {
    @Test(arguments: [
        ("2024-03-01T10:15:00Z", "2024-03-01T10:15:00Z"),
        ("2024-03-01T10:15:00.000Z", "2024-03-01T10:15:00Z"),
        ("2024-03-01T10:15:00+00:00", "2024-03-01T10:15:00Z"),
        ("2024-03-01 10:15:00+00:00", "2024-03-01T10:15:00Z"),
        ("2024-03-01", "2024-03-01T00:00:00Z"),
        ("2024-03-01T12:45:00+02:30", "2024-03-01T10:15:00Z"),
        ("2024-03-01T05:15:00-0500", "2024-03-01T10:15:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1999-12-31T23:00:00-01:00", "2000-01-01T00:00:00Z"),
    ])
    func parsesTheFormsCloudCLIsPrint(_ text: String, _ expected: String) throws {
        // Given a timestamp as the AWS CLI or a credential report prints it
        // When it is parsed
        let date = try #require(Timestamp.parse(text))
        // Then it is the same instant Foundation reads from its UTC form
        #expect(date == utc(expected))
    }

    @Test func keepsFractionalSeconds() throws {
        // Given a timestamp with milliseconds
        // When it is parsed
        let date = try #require(Timestamp.parse("2024-03-01T10:15:00.250Z"))
        // Then the fraction survives
        #expect(abs(date.timeIntervalSince(utc("2024-03-01T10:15:00Z")) - 0.25) < 1e-6)
    }

    @Test(arguments: [
        "", "N/A", "not_supported", "2024-13-01T00:00:00Z", "2024-03-00", "2024-03-01T25:00:00Z", "2024-03-01T10:61:00Z",
        "2024-03-01T10:15:00Q", "2024-03-01T10:15:00Z trailing", "03/01/2024 10:15", "2024-3-1", "2024-03-01T10:15:00.Z",
    ])
    func rejectsWhatIsNotATimestamp(_ text: String) {
        // Given text that is not an ISO 8601 timestamp
        // When it is parsed
        // Then there is no date, rather than a wrong one
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func rejectsDaysThatDoNotExistInTheMonth() {
        // Given a calendar date that does not exist (31 February)
        // When it is parsed
        // Then it is rejected instead of silently rolling over into March
        #expect(Timestamp.parse("2025-02-31T00:00:00Z") == nil)
        #expect(Timestamp.parse("2025-04-31") == nil)
    }
}

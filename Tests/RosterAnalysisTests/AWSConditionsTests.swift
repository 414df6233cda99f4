@testable import RosterAnalysis
import RosterModel
import Testing

/// `AWSConditions` against the IAM User Guide's own examples; each test names the page it follows.
struct AWSConditionsTests {
    private static func test(_ op: String, _ key: String, _ values: String...) -> PolicyCondition {
        PolicyCondition(operator: op, key: key, values: values)
    }

    private static func request(_ values: [String: [String]]) -> AWSRequestContext {
        AWSRequestContext(values: values)
    }

    private static func outcome(_ condition: PolicyCondition, _ values: [String: [String]]) -> ConditionOutcome {
        AWSConditions.evaluate(condition, in: request(values))
    }

    private static func isUndecided(_ outcome: ConditionOutcome) -> Bool {
        if case .undecided = outcome { return true }
        return false
    }

    // MARK: String

    /// "IAM JSON policy elements: Condition operators", String: aws:PrincipalTag/job-category = iamuser-admin.
    @Test func stringEqualsMatchesTheTagAndFailsWithoutIt() {
        let condition = Self.test("StringEquals", "aws:PrincipalTag/job-category", "iamuser-admin")
        #expect(Self.outcome(condition, ["aws:PrincipalTag/job-category": ["iamuser-admin"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:PrincipalTag/job-category": ["IAMUser-Admin"]]) == .fails)
        // a user without the tag: the key is not in the request context, so the condition is false
        #expect(Self.outcome(condition, ["aws:PrincipalTag/job-category": []]) == .fails)
    }

    /// "IAM JSON policy elements: Condition operators", String: the IgnoreCase forms; keys are case-insensitive.
    @Test func ignoreCaseOperatorsAndCaseInsensitiveKeys() {
        let request = ["aws:principaltag/job-category": ["IAMUser-Admin"]]
        #expect(Self.outcome(Self.test("StringEqualsIgnoreCase", "AWS:PrincipalTag/Job-Category", "iamuser-admin"), request) == .matches)
        #expect(Self.outcome(Self.test("StringNotEqualsIgnoreCase", "aws:PrincipalTag/job-category", "iamuser-admin"), request) == .fails)
        #expect(Self.outcome(Self.test("StringNotEquals", "aws:PrincipalTag/job-category", "iamuser-admin"), request) == .matches)
    }

    /// "IAM JSON policy elements: Condition operators", String: StringLike on s3:prefix with ${aws:username}.
    @Test func stringLikeWithTheUsernameVariable() {
        let condition = Self.test("StringLike", "s3:prefix", "", "home/", "home/${aws:username}/")
        func david(listing prefix: String) -> [String: [String]] { ["aws:username": ["David"], "s3:prefix": [prefix]] }
        #expect(Self.outcome(condition, david(listing: "home/David/")) == .matches)
        #expect(Self.outcome(condition, david(listing: "home/")) == .matches)
        #expect(Self.outcome(condition, david(listing: "")) == .matches)
        #expect(Self.outcome(condition, david(listing: "home/Bob/")) == .fails)
    }

    /// "IAM policy elements: Variables and tags": a variable the export does not record leaves the test open.
    @Test func anUnknownVariableIsUndecidedAndNamesIt() {
        let condition = Self.test("StringLike", "s3:prefix", "home/${aws:username}/")
        let outcome = Self.outcome(condition, ["s3:prefix": ["home/David/"]])
        #expect(outcome == .undecided("StringLike on s3:prefix compares with ${aws:username}, which the export does not record"))
    }

    /// "IAM policy elements: Variables and tags" (Principal key values): aws:username is not present for a role, so that value matches nothing.
    @Test func anAbsentVariableMatchesNothingButOtherValuesStillCount() {
        let condition = Self.test("StringLike", "s3:prefix", "home/", "home/${aws:username}/")
        #expect(Self.outcome(condition, ["aws:username": [], "s3:prefix": ["home/"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:username": [], "s3:prefix": ["home/x/"]]) == .fails)
        let notHome = Self.test("StringNotLike", "s3:prefix", "home/${aws:username}/*")
        #expect(Self.outcome(notHome, ["aws:username": [], "s3:prefix": ["home/x/"]]) == .matches)
    }

    /// "IAM policy elements: Variables and tags", Specifying default values: ${aws:userid, 'anonymous'}.
    @Test func aDefaultValueStandsInForAnAbsentKey() {
        let condition = Self.test("StringEquals", "s3:prefix", "${aws:userid, 'anonymous'}/")
        #expect(Self.outcome(condition, ["aws:userid": [], "s3:prefix": ["anonymous/"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:userid": ["AIDAEXAMPLE"], "s3:prefix": ["AIDAEXAMPLE/"]]) == .matches)
        #expect(Self.isUndecided(Self.outcome(condition, ["s3:prefix": ["anonymous/"]])))
    }

    /// "IAM policy elements: Variables and tags", Special characters: ${*}, ${?} and ${$} are literal.
    @Test func escapedWildcardsAreLiteral() {
        let star = Self.test("StringLike", "s3:prefix", "report${*}")
        #expect(Self.outcome(star, ["s3:prefix": ["report*"]]) == .matches)
        #expect(Self.outcome(star, ["s3:prefix": ["report-2024"]]) == .fails)
        let question = Self.test("StringLike", "s3:prefix", "why${?}*")
        #expect(Self.outcome(question, ["s3:prefix": ["why?not"]]) == .matches)
        #expect(Self.outcome(question, ["s3:prefix": ["whynot"]]) == .fails)
        #expect(Self.outcome(Self.test("StringEquals", "s3:prefix", "${$}5"), ["s3:prefix": ["$5"]]) == .matches)
    }

    /// "IAM policy elements: Variables and tags": principal tags as variables, e.g. ${aws:PrincipalTag/team} (tag keys case-insensitive).
    @Test func principalTagVariableComparesResourceTags() {
        let condition = Self.test("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/Team}")
        #expect(Self.outcome(condition, ["aws:PrincipalTag/team": ["ci"], "aws:ResourceTag/team": ["ci"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:PrincipalTag/team": ["ci"], "aws:ResourceTag/team": ["web"]]) == .fails)
    }

    /// "Single-valued vs. multivalued context keys": a multivalued key cannot be a policy variable.
    @Test func aMultivaluedVariableIsUndecided() {
        let condition = Self.test("StringEquals", "aws:ResourceTag/team", "${aws:TagKeys}")
        #expect(Self.isUndecided(Self.outcome(condition, ["aws:TagKeys": ["a", "b"], "aws:ResourceTag/team": ["a"]])))
    }

    /// "IAM JSON policy elements: Condition operators": a value with an unclosed `${` is plain text.
    @Test func anUnclosedVariableIsLiteralText() {
        let condition = Self.test("StringEquals", "s3:prefix", "home/${aws:username")
        #expect(Self.outcome(condition, ["s3:prefix": ["home/${aws:username"]]) == .matches)
    }

    /// "Condition with multiple context keys or values": several values under a negated operator act as an AND.
    @Test func negatedOperatorsWithSeveralValuesAreAnAnd() {
        let condition = Self.test("StringNotEquals", "aws:PrincipalTag/role", "audit", "security")
        #expect(Self.outcome(condition, ["aws:PrincipalTag/role": ["audit"]]) == .fails)
        #expect(Self.outcome(condition, ["aws:PrincipalTag/role": ["security"]]) == .fails)
        #expect(Self.outcome(condition, ["aws:PrincipalTag/role": ["dev"]]) == .matches)
    }

    /// "IAM JSON policy elements: Condition operators", Important note: a missing key makes negated operators true.
    @Test func aMissingKeyFailsPositiveOperatorsAndMatchesNegatedOnes() {
        let missing = ["aws:SourceVpce": [String]()]
        #expect(Self.outcome(Self.test("StringEquals", "aws:SourceVpce", "vpce-1"), missing) == .fails)
        #expect(Self.outcome(Self.test("StringNotLike", "aws:SourceVpce", "vpce-*"), missing) == .matches)
        #expect(Self.outcome(Self.test("StringNotEquals", "aws:SourceVpce", "vpce-1"), missing) == .matches)
    }

    // MARK: Unknown and unsupported

    @Test func anUnknownKeyIsUndecidedWithASentence() {
        let outcome = Self.outcome(Self.test("StringEquals", "aws:SourceIp", "203.0.113.7"), [:])
        #expect(outcome == .undecided("StringEquals on aws:SourceIp needs the request's aws:SourceIp, which the export does not record"))
        #expect(Self.isUndecided(Self.outcome(Self.test("StringNotEqualsIfExists", "aws:SourceVpce", "v"), [:])))
        #expect(Self.isUndecided(Self.outcome(Self.test("ForAllValues:StringLike", "aws:TagKeys", "a"), [:])))
    }

    /// "IAM JSON policy elements: Condition operators": only the documented operators and qualifiers; IfExists never on Null.
    @Test func unsupportedOperatorsAreNeverGuessed() {
        let request = ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]]
        for written in ["StringContains", "ForSomeValues:StringEquals", "NullIfExists", "ForAnyValue:Null", "stringequals", "BinaryNotEquals", ""] {
            let outcome = Self.outcome(Self.test(written, "aws:TokenIssueTime", "x"), request)
            #expect(outcome == .undecided("unsupported condition operator \(written)"))
        }
    }

    // MARK: Numeric

    /// "IAM JSON policy elements: Condition operators", Numeric: s3:max-keys up to 10.
    @Test func numericLessThanEqualsOnMaxKeys() {
        let condition = Self.test("NumericLessThanEquals", "s3:max-keys", "10")
        #expect(Self.outcome(condition, ["s3:max-keys": ["10"]]) == .matches)
        #expect(Self.outcome(condition, ["s3:max-keys": ["9.5"]]) == .matches)
        #expect(Self.outcome(condition, ["s3:max-keys": ["11"]]) == .fails)
        #expect(Self.outcome(condition, ["s3:max-keys": ["-3"]]) == .matches)
    }

    @Test func numbersCompareExactlyHoweverLong() {
        let big = "123456789012345678901234567890"
        #expect(Self.outcome(Self.test("NumericLessThan", "k", "123456789012345678901234567891"), ["k": [big]]) == .matches)
        #expect(Self.outcome(Self.test("NumericEquals", "k", big + ".000"), ["k": ["000" + big]]) == .matches)
        #expect(Self.outcome(Self.test("NumericGreaterThan", "k", "-1"), ["k": ["-2"]]) == .fails)
        #expect(Self.outcome(Self.test("NumericEquals", "k", "-0"), ["k": ["0.0"]]) == .matches)
        #expect(Self.outcome(Self.test("NumericGreaterThanEquals", "k", "0.25"), ["k": ["0.3"]]) == .matches)
    }

    /// Hostile policy values: a number that is not one matches nothing, so the negated form matches.
    @Test func malformedNumbersMatchNothing() {
        for bad in ["ten", "", "1e3", "1.2.3", "--1", " 5", "+", "."] {
            #expect(Self.outcome(Self.test("NumericEquals", "k", bad), ["k": [bad]]) == .fails, "\(bad)")
        }
        #expect(Self.outcome(Self.test("NumericNotEquals", "k", "ten"), ["k": ["10"]]) == .matches)
    }

    // MARK: Date

    /// "IAM JSON policy elements: Condition operators", Date: aws:TokenIssueTime after 2020-01-01T00:00:01Z.
    @Test func dateGreaterThanOnTokenIssueTime() {
        let condition = Self.test("DateGreaterThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z")
        #expect(Self.outcome(condition, ["aws:TokenIssueTime": ["2020-06-01T12:00:00Z"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:TokenIssueTime": ["2020-01-01T00:00:01Z"]]) == .fails)
        // requests signed with access keys carry no aws:TokenIssueTime: the values do not match
        #expect(Self.outcome(condition, ["aws:TokenIssueTime": []]) == .fails)
    }

    /// "IAM JSON policy elements: Condition operators", Date: W3C ISO 8601 forms, date-only and zone offsets, with aws:CurrentTime.
    @Test func dateFormsAndZonesOnCurrentTime() {
        let before2020 = Self.test("DateLessThan", "aws:CurrentTime", "2020-01-01")
        #expect(Self.outcome(before2020, ["aws:CurrentTime": ["2019-12-31T23:59:59Z"]]) == .matches)
        // 23:30 at UTC-01:00 is 00:30 UTC on 1 January
        #expect(Self.outcome(before2020, ["aws:CurrentTime": ["2019-12-31T23:30:00-01:00"]]) == .fails)
        func at(_ time: String) -> [String: [String]] { ["aws:CurrentTime": [time]] }
        #expect(Self.outcome(Self.test("DateEquals", "aws:CurrentTime", "2020-01-01T02:00+02:00"), at("2020-01-01T00:00:00.000Z")) == .matches)
        #expect(Self.outcome(Self.test("DateLessThanEquals", "aws:CurrentTime", "2020-02"), at("2020-01-31T23:59:59.999999Z")) == .matches)
        #expect(Self.outcome(Self.test("DateNotEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"), at("2020-01-01T00:00:00.5Z")) == .matches)
    }

    /// "IAM JSON policy elements: Condition operators", Date: epoch (UNIX) time, e.g. with aws:EpochTime.
    @Test func epochSecondsCompareWithISODates() {
        let condition = Self.test("DateGreaterThanEquals", "aws:EpochTime", "1577836800")  // 2020-01-01T00:00:00Z
        #expect(Self.outcome(condition, ["aws:EpochTime": ["1577836800"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:EpochTime": ["1577836799"]]) == .fails)
        #expect(Self.outcome(Self.test("DateEquals", "aws:CurrentTime", "1577836800"), ["aws:CurrentTime": ["2020-01-01T00:00:00Z"]]) == .matches)
        #expect(Self.outcome(Self.test("DateEquals", "aws:CurrentTime", "2024-02-29"), ["aws:CurrentTime": ["1709164800"]]) == .matches)
    }

    /// Hostile policy values: impossible or malformed dates match nothing.
    @Test func malformedDatesMatchNothing() {
        let malformed = [
            "2020-13-01", "2019-02-29", "2020-01-01T24:00:00Z", "2020-01-01T10:00:00+25:00", "yesterday", "", "2020-1-1",
            "9999999999999999", "2020-01-01T10Z",
        ]
        for bad in malformed {
            #expect(Self.outcome(Self.test("DateEquals", "aws:CurrentTime", bad), ["aws:CurrentTime": [bad]]) == .fails, "\(bad)")
        }
    }

    // MARK: Bool and Binary

    /// "IAM JSON policy elements: Condition operators", Boolean: deny when aws:SecureTransport is false.
    @Test func boolOnSecureTransport() {
        let condition = Self.test("Bool", "aws:SecureTransport", "false")
        #expect(Self.outcome(condition, ["aws:SecureTransport": ["false"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SecureTransport": ["FALSE"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SecureTransport": ["true"]]) == .fails)
        #expect(Self.outcome(Self.test("Bool", "aws:SecureTransport", "maybe"), ["aws:SecureTransport": ["maybe"]]) == .fails)
    }

    /// "…IfExists condition operators": BoolIfExists on aws:MultiFactorAuthPresent matches access-key requests, which lack the key.
    @Test func boolIfExistsMatchesAMissingKey() {
        let missing = ["aws:MultiFactorAuthPresent": [String]()]
        #expect(Self.outcome(Self.test("BoolIfExists", "aws:MultiFactorAuthPresent", "false"), missing) == .matches)
        #expect(Self.outcome(Self.test("Bool", "aws:MultiFactorAuthPresent", "false"), missing) == .fails)
        #expect(Self.outcome(Self.test("BoolIfExists", "aws:MultiFactorAuthPresent", "false"), ["aws:MultiFactorAuthPresent": ["true"]]) == .fails)
    }

    /// "IAM JSON policy elements: Condition operators", Binary: the base64 example value, compared byte for byte.
    @Test func binaryEqualsComparesDecodedBytes() {
        let condition = Self.test("BinaryEquals", "key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")
        #expect(Self.outcome(condition, ["key": ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="]]) == .matches)
        #expect(Self.outcome(condition, ["key": ["QmluYXJ5"]]) == .fails)
        #expect(Self.outcome(Self.test("BinaryEquals", "key", "not base64!"), ["key": ["not base64!"]]) == .fails)
    }

    // MARK: IP address

    /// "IAM JSON policy elements: Condition operators", IP address: aws:SourceIp in 203.0.113.0/24.
    @Test func ipAddressInTheDocumentedRange() {
        let condition = Self.test("IpAddress", "aws:SourceIp", "203.0.113.0/24")
        #expect(Self.outcome(condition, ["aws:SourceIp": ["203.0.113.0"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SourceIp": ["203.0.113.255"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SourceIp": ["203.0.114.1"]]) == .fails)
        #expect(Self.outcome(Self.test("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), ["aws:SourceIp": ["198.51.100.1"]]) == .matches)
        #expect(Self.outcome(Self.test("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), ["aws:SourceIp": ["203.0.113.9"]]) == .fails)
    }

    /// "IAM JSON policy elements: Condition operators", IP address: the mixed IPv4 and IPv6 example; families never cross.
    @Test func ipv6RangesAndMixedFamilies() {
        let condition = Self.test("IpAddress", "aws:SourceIp", "203.0.113.0/24", "2001:DB8:1234:5678::/64")
        #expect(Self.outcome(condition, ["aws:SourceIp": ["2001:db8:1234:5678:abcd::1"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SourceIp": ["2001:db8:1234:5679::1"]]) == .fails)
        #expect(Self.outcome(condition, ["aws:SourceIp": ["::ffff:203.0.113.7"]]) == .fails)
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "::ffff:0:0/96"), ["aws:SourceIp": ["::ffff:203.0.113.7"]]) == .matches)
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "::/0"), ["aws:SourceIp": ["2001:db8::1"]]) == .matches)
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "0.0.0.0/0"), ["aws:SourceIp": ["2001:db8::1"]]) == .fails)
    }

    /// "IAM JSON policy elements: Condition operators", IP address: without a prefix IAM uses /32.
    @Test func aBareAddressIsASingleHost() {
        let condition = Self.test("IpAddress", "aws:SourceIp", "203.0.113.7")
        #expect(Self.outcome(condition, ["aws:SourceIp": ["203.0.113.7"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SourceIp": ["203.0.113.8"]]) == .fails)
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "2001:db8::1"), ["aws:SourceIp": ["2001:DB8:0:0:0:0:0:1"]]) == .matches)
    }

    /// Hostile policy values: malformed CIDR blocks match nothing (and a request value that is no address matches nothing).
    @Test func malformedCIDRsMatchNothing() {
        let request = ["aws:SourceIp": ["203.0.113.7"]]
        let malformed = [
            "203.0.113.0/33", "300.1.1.1", "203.0.113/24", "203.0.113.0/", "203.0.113.0/-1", "::1::2", "", "/24",
            "1:2:3:4:5:6:7:8:9", "203.0.113.0/24/8", "2001:db8::g",
        ]
        for bad in malformed {
            #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", bad), request) == .fails, "\(bad)")
        }
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "0.0.0.0/0"), ["aws:SourceIp": ["not-an-ip"]]) == .fails)
        #expect(Self.outcome(Self.test("NotIpAddress", "aws:SourceIp", "300.1.1.1"), request) == .matches)
    }

    /// "IAM JSON policy elements: Condition operators", IP address: a request through a VPC endpoint carries no aws:SourceIp.
    @Test func aMissingSourceIpFailsIpAddressAndMatchesNotIpAddress() {
        let viaEndpoint = ["aws:SourceIp": [String]()]
        #expect(Self.outcome(Self.test("IpAddress", "aws:SourceIp", "203.0.113.0/24"), viaEndpoint) == .fails)
        #expect(Self.outcome(Self.test("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), viaEndpoint) == .matches)
    }

    // MARK: ARN

    /// "IAM JSON policy elements: Condition operators", ARN: the SQS queue policy's ArnEquals on aws:SourceArn.
    @Test func arnEqualsOnSourceArn() {
        let condition = Self.test("ArnEquals", "aws:SourceArn", "arn:aws:sns:us-east-2:123456789012:TOPIC-ID")
        #expect(Self.outcome(condition, ["aws:SourceArn": ["arn:aws:sns:us-east-2:123456789012:TOPIC-ID"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:SourceArn": ["arn:aws:sns:us-east-2:123456789012:topic-id"]]) == .fails)
        // an IAM user calling directly: no aws:SourceArn, the condition is false
        #expect(Self.outcome(condition, ["aws:SourceArn": []]) == .fails)
        #expect(Self.outcome(Self.test("ArnNotEquals", "aws:SourceArn", "arn:aws:sns:*:*:*"), ["aws:SourceArn": []]) == .matches)
    }

    /// "IAM JSON policy elements: Condition operators", ARN: StringLike matches across colons where ArnLike does not.
    @Test func arnLikeMatchesComponentByComponent() {
        let pattern = "arn:aws:someservice:*:111122223333:finance/*"
        let value = ["k": ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"]]
        #expect(Self.outcome(Self.test("StringLike", "k", pattern), value) == .matches)
        #expect(Self.outcome(Self.test("ArnLike", "k", pattern), value) == .fails)
        #expect(Self.outcome(Self.test("ArnNotLike", "k", pattern), value) == .matches)
        #expect(Self.outcome(Self.test("ArnLike", "k", pattern), ["k": ["arn:aws:someservice:us-east-2:111122223333:finance/a:b"]]) == .matches)
    }

    @Test func arnLikeWithAccountVariableAndMalformedArns() {
        let condition = Self.test("ArnLike", "aws:PrincipalArn", "arn:aws:iam::${aws:PrincipalAccount}:role/ci-*")
        func caller(_ arn: String) -> [String: [String]] { ["aws:PrincipalAccount": ["123456789012"], "aws:PrincipalArn": [arn]] }
        #expect(Self.outcome(condition, caller("arn:aws:iam::123456789012:role/ci-deploy")) == .matches)
        #expect(Self.outcome(condition, caller("arn:aws:iam::210987654321:role/ci-deploy")) == .fails)
        #expect(Self.outcome(condition, caller("ci-deploy")) == .fails)
        #expect(Self.outcome(Self.test("ArnLike", "aws:PrincipalArn", "*"), ["aws:PrincipalArn": ["arn:aws:iam::1:role/x"]]) == .fails)
    }

    // MARK: Null

    /// "Condition operator to check existence of condition keys": Null aws:TokenIssueTime = true means long-term credentials.
    @Test func nullChecksPresence() {
        let longTermOnly = Self.test("Null", "aws:TokenIssueTime", "true")
        #expect(Self.outcome(longTermOnly, ["aws:TokenIssueTime": []]) == .matches)
        #expect(Self.outcome(longTermOnly, ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]]) == .fails)
        #expect(Self.outcome(Self.test("Null", "aws:TokenIssueTime", "false"), ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]]) == .matches)
        #expect(Self.outcome(Self.test("Null", "aws:TokenIssueTime"), ["aws:TokenIssueTime": []]) == .fails)
        #expect(Self.outcome(longTermOnly, [:]) == .undecided(
            "Null on aws:TokenIssueTime needs the request's aws:TokenIssueTime, which the export does not record"))
    }

    // MARK: IfExists

    /// "…IfExists condition operators": StringLikeIfExists on ec2:InstanceType ("THISPOLICYDOESNOTWORK" without it).
    @Test func ifExistsOnInstanceType() {
        let withIfExists = Self.test("StringLikeIfExists", "ec2:InstanceType", "t1.*", "t2.*", "m3.*")
        let without = Self.test("StringLike", "ec2:InstanceType", "t1.*", "t2.*", "m3.*")
        let image = ["ec2:InstanceType": [String]()]  // the other resources RunInstances touches
        #expect(Self.outcome(withIfExists, image) == .matches)
        #expect(Self.outcome(without, image) == .fails)
        #expect(Self.outcome(withIfExists, ["ec2:InstanceType": ["t2.micro"]]) == .matches)
        #expect(Self.outcome(withIfExists, ["ec2:InstanceType": ["m5.large"]]) == .fails)
        #expect(Self.outcome(Self.test("StringNotEqualsIfExists", "ec2:InstanceType", "t2.micro"), ["ec2:InstanceType": ["t2.micro"]]) == .fails)
    }

    // MARK: Set qualifiers

    /// "Multivalued context key examples": the ForAllValues:StringNotLike "key1*" table on aws:TagKeys.
    @Test func forAllValuesStringNotLikeTable() {
        let condition = Self.test("ForAllValues:StringNotLike", "aws:TagKeys", "key1*")
        #expect(Self.outcome(condition, ["aws:TagKeys": ["key1:legal"]]) == .fails)
        #expect(Self.outcome(condition, ["aws:TagKeys": ["key1:hr", "key1:personnel"]]) == .fails)
        #expect(Self.outcome(condition, ["aws:TagKeys": ["key2:audit"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:TagKeys": []]) == .matches)
    }

    /// "Single-valued vs. multivalued context keys" (set operators, the DynamoDB requestedAttributes evaluation tables): ForAllValues.
    @Test func forAllValuesNeedsEveryRequestValueInThePolicy() {
        let condition = Self.test("ForAllValues:StringLike", "dynamodb:requestedAttributes", "PostDateTime", "Message", "Tags")
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": ["PostDateTime", "Message"]]) == .matches)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": ["PostDateTime", "UserName"]]) == .fails)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": []]) == .matches)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": [""]]) == .matches)
    }

    /// "Single-valued vs. multivalued context keys" (the DynamoDB PutItem example): ForAnyValue.
    @Test func forAnyValueNeedsOneMatch() {
        let condition = Self.test("ForAnyValue:StringLike", "dynamodb:requestedAttributes", "ID", "PostDateTime")
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": ["UserName", "Message", "PostDateTime"]]) == .matches)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": ["UserName"]]) == .fails)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": []]) == .fails)
        #expect(Self.outcome(condition, ["dynamodb:requestedAttributes": [""]]) == .fails)
        #expect(Self.outcome(Self.test("ForAnyValue:StringNotEquals", "aws:TagKeys"), ["aws:TagKeys": []]) == .fails)
    }

    /// "Single-valued vs. multivalued context keys": ForAnyValue with a negated operator is true when some request value is outside the list.
    @Test func forAnyValueWithANegatedOperator() {
        let condition = Self.test("ForAnyValue:StringNotEquals", "aws:TagKeys", "Team", "Environment")
        #expect(Self.outcome(condition, ["aws:TagKeys": ["Team", "Owner"]]) == .matches)
        #expect(Self.outcome(condition, ["aws:TagKeys": ["Team", "Environment"]]) == .fails)
    }

    /// "…IfExists condition operators" with a qualifier: a missing key matches either way.
    @Test func qualifiersWithIfExists() {
        let missing = ["aws:TagKeys": [String]()]
        #expect(Self.outcome(Self.test("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", "a"), missing) == .matches)
        let noIAM = Self.test("ForAllValues:StringNotLikeIfExists", "cloudformation:ResourceTypes", "AWS::IAM::*")
        #expect(Self.outcome(noIAM, ["cloudformation:ResourceTypes": ["AWS::S3::Bucket", "AWS::IAM::Role"]]) == .fails)
        #expect(Self.outcome(noIAM, ["cloudformation:ResourceTypes": ["AWS::S3::Bucket"]]) == .matches)
    }

    /// "Single-valued vs. multivalued context keys": a bare operator on several request values is decided only when every reading agrees.
    @Test func aBareOperatorOnSeveralValues() {
        let several = ["aws:TagKeys": ["c", "d"]]
        #expect(Self.outcome(Self.test("StringEquals", "aws:TagKeys", "a"), several) == .fails)
        #expect(Self.outcome(Self.test("StringNotEquals", "aws:TagKeys", "a"), several) == .matches)
        let open = Self.outcome(Self.test("StringEquals", "aws:TagKeys", "c"), several)
        #expect(open == .undecided(
            "StringEquals on aws:TagKeys meets 2 request values without ForAnyValue: or ForAllValues:, "
                + "and AWS does not document how a bare operator compares several values"))
    }

    // MARK: Condition blocks

    /// "Condition with multiple context keys or values": the tests of a block are ANDed.
    @Test func aBlockIsAnAnd() {
        let request = Self.request(["aws:SecureTransport": ["true"], "aws:PrincipalTag/team": ["ci"]])
        let https = Self.test("Bool", "aws:SecureTransport", "true")
        let team = Self.test("StringEquals", "aws:PrincipalTag/team", "ci")
        let office = Self.test("IpAddress", "aws:SourceIp", "203.0.113.0/24")
        let vpc = Self.test("StringEquals", "aws:SourceVpc", "vpc-1")
        #expect(AWSConditions.evaluate([], in: request) == .matches)
        #expect(AWSConditions.evaluate([https, team], in: request) == .matches)
        #expect(AWSConditions.evaluate([office, Self.test("Bool", "aws:SecureTransport", "false"), vpc], in: request) == .fails)
        #expect(AWSConditions.evaluate([https, office, vpc], in: request) == .undecided(
            "IpAddress on aws:SourceIp needs the request's aws:SourceIp, which the export does not record; "
                + "StringEquals on aws:SourceVpc needs the request's aws:SourceVpc, which the export does not record"))
    }

    /// Hostile input: an empty value list.
    @Test func emptyPolicyValues() {
        let request = ["k": ["v"]]
        #expect(Self.outcome(Self.test("StringEquals", "k"), request) == .fails)
        #expect(Self.outcome(Self.test("StringNotEquals", "k"), request) == .matches)
        #expect(Self.outcome(Self.test("ForAllValues:StringEquals", "k"), request) == .fails)
        #expect(Self.outcome(Self.test("StringLike", "k", ""), ["k": [""]]) == .matches)
    }
}

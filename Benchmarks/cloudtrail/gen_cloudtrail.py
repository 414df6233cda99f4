#!/usr/bin/env python3
"""Deterministic CloudTrail generator: an organisation trail's S3 delivery, gzipped.

    gen_cloudtrail.py OUT [--gib 1] [--days 7] [--seed 15] [--start 2025-11-01] [--level 6]

Writes OUT/AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/
<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz, one file per account, region and
hour, each a gzipped {"Records": [...]} with its records in no order, about 5 % of records
delivered a second time in the next file (the same eventID: readers dedupe), until the
uncompressed JSON reaches --gib GiB. Same arguments, same bytes (seeded; gzip mtime 0).
OUT/generated.json says what was written: uncompressed bytes, records, duplicates, identities.

The estate is three accounts of one organisation and many identities that behave regularly:
each acts only at its own hours, from its own networks, in its own regions, with its own user
agent and action set. Among them: a CI role assumed through GitHub Actions' OIDC provider, ECS
task roles (a new task id each day, addresses rotating inside the VPC range), Lambda execution
roles, EC2 instance roles, a nightly IAM user with an access key, AWS services acting for the
account (invokedBy), and people signing in to the console.

Planted anomalies come later: SCENARIOS is the hook. Each scenario is a function
(rng, world, day, hour) -> list of record dicts, called for every hour; what it returns is
written into that hour's files like any other record (see `example_scenario`).

Standard library only.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import sys
import time

ORG = "o-7k2m9x4q1z"
ACCOUNTS = [("111111111111", "prod"), ("222222222222", "staging"), ("333333333333", "shared")]
REGIONS = ["us-east-1", "eu-west-1"]

# (eventSource, eventName, readOnly, requestParameters template or None)
READS = [
    ("s3.amazonaws.com", "GetObject", True, '{"bucketName":"%(bucket)s","key":"%(key)s","Host":"%(bucket)s.s3.%(region)s.amazonaws.com"}'),
    ("s3.amazonaws.com", "ListObjectsV2", True, '{"bucketName":"%(bucket)s","list-type":"2","prefix":"%(prefix)s","Host":"%(bucket)s.s3.%(region)s.amazonaws.com"}'),
    ("dynamodb.amazonaws.com", "GetItem", True, '{"tableName":"%(table)s","key":{"pk":{"S":"%(prefix)s"}},"consistentRead":false}'),
    ("dynamodb.amazonaws.com", "Query", True, '{"tableName":"%(table)s","keyConditionExpression":"pk = :v","limit":100}'),
    ("sqs.amazonaws.com", "ReceiveMessage", True, '{"queueUrl":"https://sqs.%(region)s.amazonaws.com/%(account)s/%(queue)s","maxNumberOfMessages":10,"waitTimeSeconds":20}'),
    ("secretsmanager.amazonaws.com", "GetSecretValue", True, '{"secretId":"arn:aws:secretsmanager:%(region)s:%(account)s:secret:%(app)s/db-AbCdEf"}'),
    ("ssm.amazonaws.com", "GetParameters", True, '{"names":["/%(app)s/config/url","/%(app)s/config/timeout"],"withDecryption":true}'),
    ("kms.amazonaws.com", "Decrypt", True, '{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"app":"%(app)s"}}'),
    ("ec2.amazonaws.com", "DescribeInstances", True, '{"instancesSet":{},"filterSet":{"items":[{"name":"tag:app","valueSet":{"items":[{"value":"%(app)s"}]}}]}}'),
    ("monitoring.amazonaws.com", "GetMetricData", True, '{"startTime":"%(time)s","endTime":"%(time)s","metricDataQueries":[{"id":"m1","metricStat":{"metric":{"namespace":"AWS/EC2","metricName":"CPUUtilization"},"period":300,"stat":"Average"}}]}'),
    ("logs.amazonaws.com", "FilterLogEvents", True, '{"logGroupName":"/aws/%(app)s","startTime":1700000000000,"limit":1000}'),
    ("sts.amazonaws.com", "GetCallerIdentity", True, None),
]
WRITES = [
    ("s3.amazonaws.com", "PutObject", False, '{"bucketName":"%(bucket)s","key":"%(key)s","Host":"%(bucket)s.s3.%(region)s.amazonaws.com","x-amz-server-side-encryption":"aws:kms"}'),
    ("dynamodb.amazonaws.com", "PutItem", False, '{"tableName":"%(table)s","item":{"pk":{"S":"%(prefix)s"}},"returnValues":"NONE"}'),
    ("sqs.amazonaws.com", "SendMessage", False, '{"queueUrl":"https://sqs.%(region)s.amazonaws.com/%(account)s/%(queue)s","messageBody":"HIDDEN_DUE_TO_SECURITY_REASONS"}'),
    ("sqs.amazonaws.com", "DeleteMessage", False, '{"queueUrl":"https://sqs.%(region)s.amazonaws.com/%(account)s/%(queue)s","receiptHandle":"HIDDEN_DUE_TO_SECURITY_REASONS"}'),
    ("logs.amazonaws.com", "PutLogEvents", False, '{"logGroupName":"/aws/%(app)s","logStreamName":"%(prefix)s"}'),
    ("ecr.amazonaws.com", "BatchGetImage", True, '{"repositoryName":"%(app)s","imageIds":[{"imageTag":"v1.%(n)d.0"}],"acceptedMediaTypes":["application/vnd.docker.distribution.manifest.v2+json"]}'),
    ("ecs.amazonaws.com", "UpdateService", False, '{"cluster":"%(app)s","service":"%(app)s-api","taskDefinition":"%(app)s:%(n)d","forceNewDeployment":false}'),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", False, '{"functionName":"%(app)s-handler","publish":true,"s3Bucket":"%(bucket)s","s3Key":"%(key)s"}'),
    ("cloudformation.amazonaws.com", "UpdateStack", False, '{"stackName":"%(app)s","capabilities":["CAPABILITY_IAM"],"usePreviousTemplate":false}'),
]
AGENTS = {
    "go": "aws-sdk-go-v2/1.30.%d os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.3",
    "java": "aws-sdk-java/2.25.%d Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/adaptive api/%s",
    "py": "Boto3/1.34.%d md/Botocore#1.34.69 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69 api/%s",
    "js": "[aws-sdk-js/3.658.%d ua/2.0 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/%s#3.658.1 m/E]",
    "cli": "aws-cli/2.15.%d md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0-18-cloud-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython exe/x86_64.debian.12 prompt/off command/%s",
}
CONSOLE = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"


def uid(rng):
    b = rng.getrandbits(128)
    return "%08x-%04x-4%03x-%04x-%012x" % (b >> 96, (b >> 80) & 0xFFFF, (b >> 68) & 0xFFF, 0x8000 | ((b >> 52) & 0x3FFF), b & 0xFFFFFFFFFFFF)


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def access_key(rng, prefix):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return prefix + "".join(rng.choice(alphabet) for _ in range(16))


class Identity:
    """One principal with regular behaviour: hours, networks, regions, agent, actions, weight."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def user_identity(self, rng, day):
        """The userIdentity JSON of one call by this identity on `day` (session names may rotate daily)."""
        session = self.session(rng, day) if callable(getattr(self, "session", None)) else getattr(self, "session", None)
        return self.template.replace("@SESSION@", session or "")


def world(rng):
    """The organisation's identities, seeded: many service roles and a few people."""
    ids = []
    for account, env in ACCOUNTS:
        def role(name, path=""):
            return "arn:aws:iam::%s:role/%s%s" % (account, path, name)

        def assumed(name, path, key, extra=""):
            arn = role(name, path)
            pid = "AROA" + access_key(rng, "")[:17]
            return (
                '{"type":"AssumedRole","principalId":"%s:@SESSION@","arn":"arn:aws:sts::%s:assumed-role/%s/@SESSION@","accountId":"%s","accessKeyId":"%s",'
                '"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"%s","arn":"%s","accountId":"%s","userName":"%s"},%s'
                '"attributes":{"creationDate":"2025-11-01T00:00:00Z","mfaAuthenticated":"false"}}}'
            ) % (pid, account, name, account, key, pid, arn, account, name, extra)

        # CI: GitHub Actions through the OIDC provider, from GitHub's runners, working hours on weekdays
        ids.append(Identity(
            name="%s/ci-deployer" % env, account=account, kind="ci", hours=list(range(8, 19)), weekdays=True,
            cidrs=["4.148.%d" % n for n in range(0, 8)], regions=["us-east-1"], agent="js", actions=WRITES[4:9] + READS[:2] + READS[11:],
            weight=6, app="web", session=lambda rng, day: "GitHubActions-%d" % rng.randint(7000000000, 7999999999), vpce=None,
            template=assumed("ci-deployer", "service-role/", access_key(rng, "ASIA"),
                             '"webIdFederationData":{"federatedProvider":"arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com","attributes":{}},' % account)))
        # ECS services: a new task id every day, addresses rotating inside the VPC's private range, through VPC endpoints
        for n, app in enumerate(["orders", "payments", "catalog", "search", "notify", "ledger", "auth", "media"]):
            ids.append(Identity(
                name="%s/ecs/%s" % (env, app), account=account, kind="ecs", hours=list(range(24)), weekdays=False,
                cidrs=["10.%d.%d" % (20 + n, k) for k in range(16)], regions=REGIONS[: 1 + n % 2], agent="java" if n % 2 else "go",
                actions=READS[:8] + WRITES[:4], weight=20 + 5 * (n % 3), app=app,
                session=lambda rng, day, app=app, account=account: hexid(random.Random("%s-%s-%d" % (account, app, day)), 32), vpce="vpce-0%s" % hexid(rng, 16),
                template=assumed("%s-task" % app, "ecs/", access_key(rng, "ASIA"))))
        # Lambda functions: fixed schedules (every hour at fixed minutes, or nightly), NAT addresses of the region
        for n, app in enumerate(["billing-export", "thumbnailer", "cleanup", "report", "sync-users", "audit-forwarder"]):
            hours = list(range(24)) if n % 2 == 0 else [2, 3]
            ids.append(Identity(
                name="%s/lambda/%s" % (env, app), account=account, kind="lambda", hours=hours, weekdays=False,
                cidrs=["3.%d.%d" % (80 + n, k) for k in range(4)], regions=["us-east-1"], agent="py",
                actions=READS[:2] + READS[4:8] + WRITES[:3], weight=8 if n % 2 == 0 else 20, app=app, session=app, vpce=None,
                template=assumed("%s-fn" % app, "", access_key(rng, "ASIA"))))
        # EC2 instance roles: the session name is the instance id
        for n, app in enumerate(["bastion-agent", "batch-worker", "jenkins-agent"]):
            ids.append(Identity(
                name="%s/ec2/%s" % (env, app), account=account, kind="ec2", hours=list(range(24)), weekdays=False,
                cidrs=["10.%d.1" % (40 + n)], regions=["eu-west-1"], agent="cli", actions=READS[5:10] + WRITES[4:6], weight=6, app=app,
                session="i-0%s" % hexid(rng, 16), vpce=None,
                template=assumed("%s-instance" % app, "", access_key(rng, "ASIA"), '"ec2RoleDelivery":"2.0",')))
        # A nightly IAM user with an access key
        ids.append(Identity(
            name="%s/user/backup-bot" % env, account=account, kind="user", hours=[1], weekdays=False, cidrs=["198.51.100"],
            regions=["us-east-1"], agent="cli", actions=[READS[0], READS[1], WRITES[0]], weight=30, app="backup", session=None, vpce=None,
            template='{"type":"IAMUser","principalId":"AIDA%s","arn":"arn:aws:iam::%s:user/automation/backup-bot","accountId":"%s","accessKeyId":"%s","userName":"backup-bot"}'
            % (access_key(rng, "")[:17], account, account, access_key(rng, "AKIA"))))
        # AWS services acting for the account
        for service, action in [("cloudtrail.amazonaws.com", READS[7]), ("autoscaling.amazonaws.com", READS[8]), ("ecs.amazonaws.com", WRITES[5])]:
            ids.append(Identity(
                name="%s/service/%s" % (env, service), account=account, kind="service", hours=list(range(24)), weekdays=False,
                cidrs=None, source=service, regions=REGIONS, agent=None, actions=[action], weight=4, app="svc", session=None, vpce=None,
                template='{"type":"AWSService","invokedBy":"%s"}' % service))
    # People: console sign-ins and read-only browsing in working hours, from the office range
    for person in ["alice", "bob", "chen"]:
        account = ACCOUNTS[2][0]
        ids.append(Identity(
            name="people/%s" % person, account=account, kind="person", hours=list(range(9, 18)), weekdays=True, cidrs=["203.0.113"],
            regions=["us-east-1"], agent=None, actions=READS[8:11], weight=2, app="console", session=None, vpce=None,
            template='{"type":"IAMUser","principalId":"AIDA%s","arn":"arn:aws:iam::%s:user/people/%s","accountId":"%s","userName":"%s"}'
            % (access_key(rng, "")[:17], account, person, account, person)))
    return ids


# Planted anomalies, for a later step: functions (rng, world, day, hour) -> [record dicts].
SCENARIOS = []


def example_scenario(rng, world, day, hour):
    """The shape of a scenario: return records (dicts in CloudTrail's shape) for this hour, or []."""
    return []


def render(rng, ident, when, region, action, day):
    source, name, read_only, params = action
    account = ident.account
    ctx = {"bucket": "%s-%s-data" % (ident.app, account[:4]), "key": "%s/%s.json" % (when.strftime("%Y/%m/%d"), hexid(rng, 12)),
           "prefix": hexid(rng, 8), "table": "%s-table" % ident.app, "queue": "%s-queue" % ident.app, "app": ident.app, "region": region,
           "account": account, "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "n": rng.randint(1, 40)}
    if ident.cidrs:
        ip = "%s.%d" % (rng.choice(ident.cidrs), rng.randint(2, 254)) if ident.cidrs[0].count(".") == 2 else "%s.%d.%d" % (rng.choice(ident.cidrs), rng.randint(0, 255), rng.randint(2, 254))
    else:
        ip = ident.source
    if ident.kind == "person":
        agent = CONSOLE
    elif ident.agent:
        # SDK patch versions drift slowly over days: benign churn
        agent = AGENTS[ident.agent] % (10 + day // 3, source.split(".")[0])
    else:
        agent = ident.source
    ts = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    host = source if source != "s3.amazonaws.com" else "%s.s3.%s.amazonaws.com" % (ctx["bucket"], region)
    parts = [
        '{"eventVersion":"1.09","userIdentity":', ident.user_identity(rng, day),
        ',"eventTime":"', ts, '","eventSource":"', source, '","eventName":"', name, '","awsRegion":"', region,
        '","sourceIPAddress":"', ip, '","userAgent":"', agent, '"',
    ]
    parts.append(',"requestParameters":' + ((params % ctx) if params else "null"))
    parts.append(',"responseElements":null')
    if source == "s3.amazonaws.com":
        parts.append(',"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"%s","bytesTransferredOut":%d}' % (hexid(rng, 40), rng.randint(100, 90000)))
        parts.append(',"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::%s/%s"},{"accountId":"%s","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::%s"}]' % (ctx["bucket"], ctx["key"], account, ctx["bucket"]))
    parts.append(',"requestID":"%s","eventID":"%s","readOnly":%s' % (hexid(rng, 16).upper(), uid(rng), "true" if read_only else "false"))
    data = source in ("s3.amazonaws.com", "dynamodb.amazonaws.com") and name not in ("ListBuckets",)
    parts.append(',"eventType":"AwsApiCall","managementEvent":%s,"recipientAccountId":"%s"' % ("false" if data else "true", account))
    if ident.vpce:
        parts.append(',"vpcEndpointId":"%s","vpcEndpointAccountId":"%s"' % (ident.vpce, account))
    parts.append(',"sharedEventID":"%s"' % uid(rng) if ident.kind == "service" else "")
    parts.append(',"eventCategory":"%s","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s"}}' % ("Data" if data else "Management", host))
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--gib", type=float, default=1.0, help="uncompressed JSON to write, in GiB")
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--start", default="2025-11-01")
    ap.add_argument("--level", type=int, default=6, help="gzip level")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    ids = world(rng)
    start = dt.datetime.strptime(args.start, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    target = int(args.gib * (1 << 30))
    per_day = target / args.days
    total = 0
    records = 0
    files = 0
    dupes = 0
    began = time.time()
    carry = {}  # (account, region) -> records delivered again in the next file
    for day in range(args.days):
        date = start + dt.timedelta(days=day)
        weekday = date.weekday() < 5
        day_budget = per_day
        for hour in range(24):
            active = [i for i in ids if hour in i.hours and (weekday or not i.weekdays)]
            weights = [i.weight for i in active]
            # Each hour gets the day's budget spread by how many identities act in it.
            hour_budget = day_budget * sum(weights) / sum(sum(i.weight for i in ids if h in i.hours) for h in range(24))
            buckets = {}
            written = 0
            while written < hour_budget and active:
                ident = rng.choices(active, weights)[0]
                region = rng.choice(ident.regions)
                when = date + dt.timedelta(hours=hour, seconds=rng.randint(0, 3599))
                rec = render(rng, ident, when, region, rng.choice(ident.actions), day)
                buckets.setdefault((ident.account, region), []).append(rec)
                written += len(rec) + 1
            for scenario in SCENARIOS:
                for rec in scenario(rng, ids, day, hour):
                    key = (rec["recipientAccountId"], rec["awsRegion"])
                    buckets.setdefault(key, []).append(json.dumps(rec, separators=(",", ":")))
            for (account, region) in sorted(set(buckets) | set(carry)):
                recs = buckets.get((account, region), []) + carry.pop((account, region), [])
                if not recs:
                    continue
                rng.shuffle(recs)
                again = [r for r in recs if rng.random() < 0.05]
                if again:
                    carry[(account, region)] = again
                    dupes += len(again)
                body = ('{"Records":[' + ",".join(recs) + "]}").encode()
                stamp = (date + dt.timedelta(hours=hour, minutes=55)).strftime("%Y%m%dT%H%MZ")
                folder = os.path.join(args.out, "AWSLogs", ORG, account, "CloudTrail", region, date.strftime("%Y/%m/%d"))
                os.makedirs(folder, exist_ok=True)
                name = "%s_CloudTrail_%s_%s_%s.json.gz" % (account, region, stamp, hexid(rng, 16))
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(gzip.compress(body, compresslevel=args.level, mtime=0))
                total += len(body)
                records += len(recs)
                files += 1
    elapsed = time.time() - began
    # Beside AWSLogs/, not in it: what was written, for benchmarks (bytes) and for tests (the scenarios planted).
    with open(os.path.join(args.out, "generated.json"), "w") as f:
        json.dump({"uncompressedBytes": total, "records": records, "duplicateDeliveries": dupes, "files": files,
                   "identities": [i.name for i in ids], "scenarios": [s.__name__ for s in SCENARIOS],
                   "arguments": {"gib": args.gib, "days": args.days, "seed": args.seed, "start": args.start}}, f, indent=2)
    print("%d files, %d records (%d duplicate deliveries), %.1f MiB uncompressed JSON in %.1f s: %.1f MB/s, %d identities"
          % (files, records, dupes, total / 1048576, elapsed, total / 1e6 / elapsed, len(ids)), file=sys.stderr)


if __name__ == "__main__":
    main()

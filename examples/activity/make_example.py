#!/usr/bin/env python3
"""Writes examples/activity: 35 days of CloudTrail for the aws-acme account (210987654321), as a
trail delivers it to S3 (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz).

Routine machine activity that must stay quiet: terraform-runner at 02:00 from a NAT range whose
address changes inside one /24 (and a CLI upgrade), svc-metrics-collector every hour with boto3,
app-web-ec2's instance role from its VPC, a Lambda invoked by its service.

Planted, one each, in the last day (2026-11-19):
- deploy-bot signs in to the console (a person using a machine identity, NHI10);
- svc-billing-exporter's key is used from its usual network and from a residential address
  three minutes apart (one credential in two places, NHI9);
- svc-old-crawler enumerates 30 List/Describe/Get calls across 6 services, 14 denied.

Deterministic: the same script writes the same files. Run from the repository root.
"""
import gzip, json, os, random, hashlib
from datetime import datetime, timedelta, timezone

ACCOUNT = "210987654321"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "AWSLogs")
START = datetime(2026, 10, 16, tzinfo=timezone.utc)
DAYS = 35
rng = random.Random(20261120)


def user(name, key):
    return {"type": "IAMUser", "principalId": "AIDA" + hashlib.sha1(name.encode()).hexdigest()[:16].upper(),
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}", "accountId": ACCOUNT, "accessKeyId": key, "userName": name}


def role_session(role, session, key="ASIA" + "EXAMPLESESSION01", via=None):
    ident = {"type": "AssumedRole", "principalId": "AROA" + hashlib.sha1(role.encode()).hexdigest()[:16].upper() + ":" + session,
             "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT, "accessKeyId": key,
             "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA", "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                                                  "accountId": ACCOUNT, "userName": role},
                                "attributes": {"creationDate": "2026-10-16T00:00:00Z", "mfaAuthenticated": "false"}}}
    if via:
        ident["invokedBy"] = via
    return ident


def event(when, identity, source, name, ip, agent, region="us-east-1", error=None, read_only=True, resources=None):
    record = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "eventSource": source, "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent,
              "requestParameters": None, "responseElements": None,
              "eventID": str(hashlib.md5(f"{when.isoformat()}{name}{identity.get('arn')}{ip}".encode()).hexdigest()),
              "readOnly": read_only, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
              "eventCategory": "Management"}
    if error:
        record["errorCode"] = error
        record["errorMessage"] = "User is not authorized to perform this operation"
    if resources:
        record["resources"] = [{"ARN": arn, "accountId": ACCOUNT} for arn in resources]
    return record


records = {}
def add(record):
    day = record["eventTime"][:10]
    records.setdefault((record["awsRegion"], day), []).append(record)


for d in range(DAYS):
    day = START + timedelta(days=d)
    # terraform-runner: nightly plan at 02:00 from the CI NAT range, address churns inside 203.0.113.0/24.
    cli = "aws-cli/2.15.3 Python/3.11.6 Linux/5.15.0 exe/x86_64.ubuntu.22" if d < 20 else "aws-cli/2.17.1 Python/3.11.9 Linux/6.1.0 exe/x86_64.ubuntu.24"
    runner = user("terraform-runner", "AKIAGOSWBR35CU7WVGKQ")
    for i, (src, name) in enumerate([("iam.amazonaws.com", "GetRole"), ("s3.amazonaws.com", "ListBuckets"), ("ec2.amazonaws.com", "DescribeInstances"),
                                     ("iam.amazonaws.com", "ListAttachedRolePolicies")]):
        add(event(day.replace(hour=2, minute=i * 3), runner, src, name, f"203.0.113.{10 + (d * 7) % 40}", cli))
    # svc-metrics-collector: every hour, boto3, from the monitoring subnet's NAT.
    collector = user("svc-metrics-collector", "AKIAY4RENQXWBAFGLSI3")
    for h in range(0, 24, 2):
        add(event(day.replace(hour=h, minute=5), collector, "monitoring.amazonaws.com", "GetMetricData", "198.51.100.23",
                  "Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#5.10 lang/python#3.11"))
    # svc-billing-exporter: daily export at 06:30 from the data VPC's NAT.
    exporter = user("svc-billing-exporter", "AKIAROV464D6OF7CMHQJ")
    add(event(day.replace(hour=6, minute=30), exporter, "s3.amazonaws.com", "PutObject", "198.51.100.77",
              "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5", read_only=False, resources=[f"arn:aws:s3:::acme-billing-exports/{day:%Y/%m/%d}/export.csv"]))
    add(event(day.replace(hour=6, minute=31), exporter, "ce.amazonaws.com", "GetCostAndUsage", "198.51.100.77", "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5"))
    # app-web-ec2's instance role, from inside the VPC (a private address) and via EC2.
    web = role_session("app-web-ec2", "i-0a1b2c3d4e5f60718", key="ASIAZ4WEB0INSTANCE01")
    for h in (1, 9, 17):
        add(event(day.replace(hour=h, minute=12), web, "secretsmanager.amazonaws.com", "GetSecretValue", "10.20.3.41",
                  "aws-sdk-java/2.21.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17", resources=[f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:web/db-AbCdEf"]))
    # svc-old-crawler: a weekly crawl on Mondays at 04:00.
    if day.weekday() == 0:
        crawler = user("svc-old-crawler", "AKIA" + "CRAWLERKEY000001"[:16])
        add(event(day.replace(hour=4), crawler, "s3.amazonaws.com", "ListObjectsV2", "192.0.2.50", "python-requests/2.31 Boto3/1.28.0", resources=["arn:aws:s3:::acme-public-site"]))

last = START + timedelta(days=DAYS - 1)
# Planted: a console sign-in as deploy-bot.
add(event(last.replace(hour=14, minute=2), user("deploy-bot", "AKIAED7WCNI2WQZIG373") | {"accessKeyId": ""}, "signin.amazonaws.com", "ConsoleLogin",
          "81.2.69.142", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15", read_only=False))
# Planted: svc-billing-exporter's key from a residential address three minutes after its run.
add(event(last.replace(hour=6, minute=33), user("svc-billing-exporter", "AKIAROV464D6OF7CMHQJ"), "s3.amazonaws.com", "ListBuckets",
          "81.2.69.160", "aws-cli/2.17.1 Python/3.11.9 Darwin/23.1.0 exe/x86_64"))
# Planted: svc-old-crawler enumerates, and is denied.
crawler = user("svc-old-crawler", "AKIA" + "CRAWLERKEY000001"[:16])
calls = [(s, n) for s in ["iam", "ec2", "s3", "lambda", "secretsmanager", "rds"] for n in ["List", "Describe", "Get", "ListTags", "GetPolicy"]]
for i, (service, verb) in enumerate(calls):
    name = f"{verb}{service.capitalize()}Things{i}"
    add(event(last.replace(hour=22, minute=i % 60, second=i), crawler, f"{service}.amazonaws.com", name, "45.33.32.156", "python-requests/2.31 Boto3/1.28.0",
              error="AccessDenied" if i % 2 == 0 and i < 28 else None))

for (region, day), items in sorted(records.items()):
    rng.shuffle(items)  # a trail's file holds its records in no order
    folder = os.path.join(OUT, ACCOUNT, "CloudTrail", region, *day.split("-"))
    os.makedirs(folder, exist_ok=True)
    name = f"{ACCOUNT}_CloudTrail_{region}_{day.replace('-', '')}T0000Z_{hashlib.md5(day.encode()).hexdigest()[:16]}.json.gz"
    with open(os.path.join(folder, name), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(json.dumps({"Records": items}, separators=(",", ":")).encode())
print(f"{sum(len(v) for v in records.values())} records in {len(records)} files under {OUT}")

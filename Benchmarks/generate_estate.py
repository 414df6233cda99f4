#!/usr/bin/env python3
"""Generate a large synthetic AWS IAM estate for benchmarking Roster.

    python3 Benchmarks/generate_estate.py --identities 100000 --out /tmp/bench-estate

Writes, in the real AWS formats:

    <out>/authorization-details.json   aws iam get-account-authorization-details --output json
    <out>/credential-report.csv        the decoded CSV of aws iam get-credential-report
                                       (root first, then every IAM user)

No per-key files (list-access-keys / get-access-key-last-used) are written.

Mix: ~55% users / ~45% roles; ~15% of users are humans (console password, mostly with
MFA); ~2% of all identities are in groups; ~200 shared customer-managed policies plus a
handful of AWS-managed ones; inline policies on ~10% of identities; role trust policies
mix AWS services, GitHub and EKS OIDC (well and badly scoped), cross-account (with and
without ExternalId), IAM Identity Center (SAML), service-linked roles, same-account root
and a few Principal "*". Keys, passwords and last-used dates are spread over ~4 years.

Output is streamed one identity at a time (never one giant string), pretty-printed with
4-space indentation exactly like the AWS CLI, or compact with --compact. Standard
library only; deterministic for a given --seed, --identities and --account.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 20, 8, 0, 0, tzinfo=timezone.utc)
NOW_EPOCH = int(NOW.timestamp())
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
DAY = 86400

HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,"
          "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,"
          "access_key_1_last_rotated,access_key_1_last_used_date,"
          "access_key_1_last_used_region,access_key_1_last_used_service,"
          "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
          "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")

FIRST = ["alice", "bob", "carol", "david", "emma", "farid", "grace", "henry", "isabel", "jun",
         "kate", "liam", "maria", "nikhil", "olga", "pedro", "quinn", "rosa", "sam", "tariq",
         "uma", "victor", "wei", "ximena", "yusuf", "zoe", "amir", "bianca", "chen", "dmitri"]
LAST = ["nguyen", "martinez", "smith", "kim", "johansson", "haddad", "liu", "okafor", "rossi",
        "tanaka", "obrien", "walsh", "garcia", "patel", "ivanova", "silva", "murphy", "costa",
        "lee", "khan", "singh", "novak", "muller", "dubois", "sato", "wright", "ali", "park"]
TEAMS = ["payments", "orders", "web", "data", "platform", "sre", "security", "finops",
         "growth", "search", "mobile", "analytics", "observability", "identity", "billing"]
NOUNS = ["exporter", "sync", "worker", "uploader", "crawler", "loader", "notifier", "backup",
         "indexer", "reporter", "scheduler", "ingest", "deployer", "rotator", "mailer",
         "collector", "archiver", "gateway", "processor", "replicator"]
ENVS = ["prod", "prod", "prod", "staging", "dev"]
REGIONS = ["us-east-1", "us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
KEY_SERVICES = ["s3", "sqs", "dynamodb", "ecr", "sts", "logs", "ses", "sns", "kms",
                "secretsmanager", "cloudwatch", "lambda", "ec2", "iam"]
SERVICE_PRINCIPALS = ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
                      "glue.amazonaws.com", "states.amazonaws.com", "codebuild.amazonaws.com",
                      "firehose.amazonaws.com", "events.amazonaws.com",
                      "sagemaker.amazonaws.com", "batch.amazonaws.com"]
PARTNER_ACCOUNTS = ["444455556666", "464622532012", "754135023419", "415740581749",
                    "999988887777", "123412341234", "806199016981", "278575217541"]
SLR_SERVICES = [("autoscaling.amazonaws.com", "AutoScaling"),
                ("elasticloadbalancing.amazonaws.com", "ElasticLoadBalancing"),
                ("support.amazonaws.com", "Support"),
                ("trustedadvisor.amazonaws.com", "TrustedAdvisor"),
                ("rds.amazonaws.com", "RDS"),
                ("ecs.amazonaws.com", "ECS")]
PERMISSION_SETS = ["AdministratorAccess", "ReadOnlyAccess", "DeveloperAccess", "BillingAccess",
                   "DataScientist", "SecurityAudit"]
ACTION_POOL = [
    "s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "sqs:SendMessage",
    "sqs:ReceiveMessage", "sqs:DeleteMessage", "dynamodb:GetItem", "dynamodb:PutItem",
    "dynamodb:Query", "dynamodb:UpdateItem", "kms:Decrypt", "kms:Encrypt",
    "kms:GenerateDataKey", "secretsmanager:GetSecretValue", "ssm:GetParameter",
    "ssm:GetParametersByPath", "logs:CreateLogStream", "logs:PutLogEvents", "sns:Publish",
    "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "lambda:InvokeFunction",
    "states:StartExecution", "cloudwatch:PutMetricData", "ec2:DescribeInstances",
    "athena:StartQueryExecution", "glue:GetTable", "firehose:PutRecordBatch",
    "events:PutEvents", "ses:SendEmail", "route53:ChangeResourceRecordSets",
]


def aws_managed():
    def d(*st):
        return {"Version": "2012-10-17", "Statement": list(st)}
    return [
        ("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "2015-02-06T18:39:46+00:00",
         "2015-02-06T18:39:46+00:00", "v1",
         d({"Effect": "Allow", "Action": "*", "Resource": "*"})),
        ("ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "2015-02-06T18:39:48+00:00",
         "2026-09-24T17:05:11+00:00", "v131",
         d({"Sid": "ReadOnlyActions", "Effect": "Allow",
            "Action": ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
                       "dynamodb:Describe*", "dynamodb:List*", "ec2:Describe*", "ec2:Get*",
                       "ecs:Describe*", "ecs:List*", "iam:Generate*", "iam:Get*", "iam:List*",
                       "kms:Describe*", "kms:List*", "lambda:Get*", "lambda:List*",
                       "logs:Describe*", "logs:Get*", "rds:Describe*", "s3:Get*", "s3:List*",
                       "sqs:Get*", "sqs:List*", "sts:GetCallerIdentity", "tag:Get*"],
            "Resource": "*"})),
        ("PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS", "2015-02-06T18:39:47+00:00",
         "2023-07-06T22:04:00+00:00", "v5",
         d({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"],
            "Resource": "*"},
           {"Effect": "Allow",
            "Action": ["account:GetAccountInformation", "account:GetPrimaryEmail",
                       "account:ListRegions", "iam:CreateServiceLinkedRole",
                       "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                       "organizations:DescribeOrganization"],
            "Resource": "*"})),
        ("AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "2015-02-06T18:40:59+00:00",
         "2023-08-10T21:31:39+00:00", "v3",
         d({"Effect": "Allow",
            "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*",
                       "s3-object-lambda:List*"],
            "Resource": "*"})),
        ("AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK",
         "2015-04-09T15:03:43+00:00", "2015-04-09T15:03:43+00:00", "v1",
         d({"Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*"})),
        ("AmazonECSTaskExecutionRolePolicy", "/service-role/", "ANPAJG4T4G4PV56DE72PY",
         "2017-11-16T18:48:22+00:00", "2017-11-16T18:48:22+00:00", "v1",
         d({"Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                       "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                       "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*"})),
        ("AmazonSSMManagedInstanceCore", "/", "ANPAIXSHM2BNB2D3AXXRU",
         "2019-03-15T17:22:12+00:00", "2019-05-23T16:54:21+00:00", "v2",
         d({"Effect": "Allow",
            "Action": ["ssm:DescribeAssociation", "ssm:GetDocument", "ssm:GetParameters",
                       "ssm:ListInstanceAssociations", "ssm:UpdateInstanceInformation",
                       "ssmmessages:CreateControlChannel", "ssmmessages:OpenDataChannel",
                       "ec2messages:GetMessages", "ec2messages:SendReply"],
            "Resource": "*"})),
        ("AWSServiceLinkedRolePolicy", "/aws-service-role/", "ANPAJ5JQ3ZLUDJSF3L5X6",
         "2018-01-08T23:10:55+00:00", "2024-02-15T18:27:41+00:00", "v10",
         d({"Effect": "Allow",
            "Action": ["ec2:Describe*", "ec2:CreateNetworkInterface",
                       "ec2:DeleteNetworkInterface", "elasticloadbalancing:Describe*",
                       "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms"],
            "Resource": "*"})),
    ]


class Generator:
    def __init__(self, seed, account, compact):
        self.rng = random.Random(seed)
        self.account = account
        self.compact = compact
        self.seen_ids = set()
        self.attach = {}
        self.boundary_use = {}
        self.iso_cache = {}

    # -- primitives -----------------------------------------------------------
    def uid(self, prefix, length=17):
        choices = self.rng.choices
        while True:
            value = prefix + "".join(choices(ID_ALPHABET, k=length))
            if value not in self.seen_ids:
                self.seen_ids.add(value)
                return value

    def iso(self, epoch):
        return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def ago(self, days):
        """Epoch seconds `days` (float ok) days before NOW, at least one minute before it."""
        return NOW_EPOCH - max(60, int(days * DAY) + self.rng.randint(0, 6 * 3600))

    def between(self, start, end_days_ago=0):
        """A random epoch between `start` and `end_days_ago` days before NOW."""
        end = NOW_EPOCH - 60 - end_days_ago * DAY
        if end <= start:
            return start + 60
        return self.rng.randint(start + 60, end)

    def dumps(self, obj, level):
        if self.compact:
            return json.dumps(obj, separators=(",", ":"))
        text = json.dumps(obj, indent=4)
        pad = "    " * level
        return pad + text.replace("\n", "\n" + pad)

    def doc(self, *statements):
        return {"Version": "2012-10-17", "Statement": list(statements)}

    def tags(self, team):
        rng = self.rng
        out = []
        if rng.random() < 0.8:
            out.append({"Key": "owner", "Value": rng.choice([team + "@acme.io",
                                                             "team-" + team])})
        if rng.random() < 0.85:
            out.append({"Key": "env", "Value": rng.choice(ENVS)})
        if rng.random() < 0.3:
            out.append({"Key": "cost-center", "Value": "cc-%04d" % rng.randint(1000, 9999)})
        return out

    def random_statement(self):
        rng = self.rng
        actions = sorted(rng.sample(ACTION_POOL, rng.randint(1, 5)))
        service = actions[0].split(":")[0]
        if rng.random() < 0.4:
            resource = "*"
        elif service == "s3":
            resource = ["arn:aws:s3:::acme-%s-%d" % (rng.choice(TEAMS), rng.randint(1, 500)),
                        "arn:aws:s3:::acme-%s-%d/*" % (rng.choice(TEAMS), rng.randint(1, 500))]
        else:
            resource = "arn:aws:%s:%s:%s:%s-%d/*" % (service, rng.choice(REGIONS), self.account,
                                                     rng.choice(NOUNS), rng.randint(1, 900))
        return {"Effect": "Allow", "Action": actions if len(actions) > 1 else actions[0],
                "Resource": resource}

    # -- policies -------------------------------------------------------------
    def make_policies(self, count):
        self.aws = {}
        self.policies = []
        for name, path, pid, created, updated, version, document in aws_managed():
            arn = "arn:aws:iam::aws:policy%s%s" % (path, name)
            self.aws[name] = arn
            self.policies.append({"PolicyName": name, "PolicyId": pid, "Arn": arn, "Path": path,
                                  "DefaultVersionId": version, "CreateDate": created,
                                  "UpdateDate": updated,
                                  "PolicyVersionList": [{"Document": document,
                                                         "VersionId": version,
                                                         "IsDefaultVersion": True,
                                                         "CreateDate": updated}]})
        rng = self.rng
        self.customer = []
        for i in range(count):
            team = TEAMS[i % len(TEAMS)]
            name = "acme-%s-%s-%03d" % (team, rng.choice(NOUNS), i)
            path = rng.choice(["/", "/", "/service/", "/teams/%s/" % team])
            arn = "arn:aws:iam::%s:policy%s%s" % (self.account, path, name)
            created = self.ago(rng.uniform(30, 1800))
            n_versions = rng.choice([1, 1, 1, 2, 3])
            versions = []
            when = created
            for v in range(1, n_versions + 1):
                if v > 1:
                    when = self.between(when)
                versions.append((v, when, self.doc(*[self.random_statement()
                                                     for _ in range(rng.randint(1, 4))])))
            self.policies.append({
                "PolicyName": name, "PolicyId": self.uid("ANPA"), "Arn": arn, "Path": path,
                "DefaultVersionId": "v%d" % n_versions, "CreateDate": self.iso(created),
                "UpdateDate": self.iso(when),
                "PolicyVersionList": [{"Document": d, "VersionId": "v%d" % v,
                                       "IsDefaultVersion": v == n_versions,
                                       "CreateDate": self.iso(t)}
                                      for v, t, d in reversed(versions)]})
            self.customer.append((name, arn))
        # Zipf-ish popularity: a few policies are attached everywhere.
        self.customer_weights = [1.0 / (i + 1) ** 0.8 for i in range(count)]
        self.boundary = self.customer[0]
        self.names = {p["Arn"]: p["PolicyName"] for p in self.policies}
        for p in self.policies:
            self.attach[p["Arn"]] = 0
            self.boundary_use[p["Arn"]] = 0

    def attached(self, human=False, role_kind=None):
        rng = self.rng
        arns = []
        n = rng.choices([0, 1, 2, 3], weights=[10, 50, 28, 12])[0]
        for name, arn in rng.choices(self.customer, weights=self.customer_weights, k=n):
            if arn not in arns:
                arns.append(arn)
        r = rng.random()
        if r < 0.01:
            arns.append(self.aws["AdministratorAccess"])
        elif r < 0.03:
            arns.append(self.aws["PowerUserAccess"])
        elif r < 0.06:
            arns.append(self.aws["ReadOnlyAccess"])
        elif r < 0.09:
            arns.append(self.aws["AmazonS3ReadOnlyAccess"])
        if role_kind == "lambda.amazonaws.com":
            arns.append(self.aws["AWSLambdaBasicExecutionRole"])
        elif role_kind == "ecs-tasks.amazonaws.com" and rng.random() < 0.5:
            arns.append(self.aws["AmazonECSTaskExecutionRolePolicy"])
        elif role_kind == "ec2.amazonaws.com" and rng.random() < 0.7:
            arns.append(self.aws["AmazonSSMManagedInstanceCore"])
        for arn in arns:
            self.attach[arn] += 1
        return [{"PolicyName": self.names[a], "PolicyArn": a} for a in arns]

    def inline(self):
        rng = self.rng
        if rng.random() >= 0.10:
            return []
        out = []
        for i in range(rng.choice([1, 1, 1, 2])):
            if rng.random() < 0.04:
                document = self.doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
            else:
                document = self.doc(*[self.random_statement() for _ in range(rng.randint(1, 3))])
            out.append({"PolicyName": "%s-inline-%d" % (rng.choice(NOUNS), i),
                        "PolicyDocument": document})
        return out

    def maybe_boundary(self, item):
        if self.rng.random() < 0.02:
            arn = self.boundary[1]
            self.boundary_use[arn] += 1
            item["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                           "PermissionsBoundaryArn": arn}

    # -- groups ---------------------------------------------------------------
    def make_groups(self, count):
        self.groups = []
        for i in range(count):
            name = "%s-%s-%02d" % (TEAMS[i % len(TEAMS)],
                                   ["admins", "developers", "readonly", "deployers"][i % 4], i)
            item = {"Path": "/", "GroupName": name, "GroupId": self.uid("AGPA"),
                    "Arn": "arn:aws:iam::%s:group/%s" % (self.account, name),
                    "CreateDate": self.iso(self.ago(self.rng.uniform(200, 2400))),
                    "GroupPolicyList": [], "AttachedManagedPolicies": []}
            if i % 4 == 0:
                self.attach[self.aws["AdministratorAccess"]] += 1
                item["AttachedManagedPolicies"] = [
                    {"PolicyName": "AdministratorAccess",
                     "PolicyArn": self.aws["AdministratorAccess"]}]
            elif i % 4 == 2:
                self.attach[self.aws["ReadOnlyAccess"]] += 1
                item["AttachedManagedPolicies"] = [
                    {"PolicyName": "ReadOnlyAccess", "PolicyArn": self.aws["ReadOnlyAccess"]}]
            else:
                item["AttachedManagedPolicies"] = self.attached()
            if self.rng.random() < 0.2:
                item["GroupPolicyList"] = self.inline() or [{
                    "PolicyName": "group-extras",
                    "PolicyDocument": self.doc(self.random_statement())}]
            self.groups.append(item)

    # -- users ----------------------------------------------------------------
    def user(self, i, group_probability):
        rng = self.rng
        human = rng.random() < 0.15
        team = rng.choice(TEAMS)
        if human:
            name = "%s.%s%d" % (rng.choice(FIRST), rng.choice(LAST), i)
        else:
            name = "svc-%s-%s-%d" % (team, rng.choice(NOUNS), i)
        created = self.ago(rng.uniform(1, 1800))
        arn = "arn:aws:iam::%s:user/%s" % (self.account, name)
        item = {"Path": "/", "UserName": name, "UserId": self.uid("AIDA"),
                "Arn": arn, "CreateDate": self.iso(created)}
        inline = self.inline()
        if inline:
            item["UserPolicyList"] = inline
        groups = []
        if rng.random() < group_probability:
            groups = [g["GroupName"] for g in rng.sample(self.groups, rng.choice([1, 1, 2]))]
        item["GroupList"] = groups
        item["AttachedManagedPolicies"] = self.attached(human=human)
        self.maybe_boundary(item)
        tags = self.tags(team) if (not human or rng.random() < 0.3) else []
        if tags:
            item["Tags"] = tags

        # Credential report row.
        if human or rng.random() < 0.02:  # a few NHIs with a console password
            changed = self.between(created)
            r = rng.random()
            used = "no_information" if r < 0.05 else self.iso(self.between(changed))
            pw = ["true", used, self.iso(changed), "N/A"]
            mfa = "true" if (human and rng.random() < 0.9) else "false"
        else:
            pw = ["false", "N/A", "N/A", "N/A"]
            mfa = "false"
        if human:
            n_keys = rng.choices([0, 1, 2], weights=[65, 32, 3])[0]
        else:
            n_keys = rng.choices([0, 1, 2], weights=[15, 75, 10])[0]
        key_created = sorted(self.between(created) for _ in range(n_keys))
        row = [name, arn, self.iso(created)] + pw + [mfa]
        for slot in range(2):
            if slot < n_keys:
                kc = key_created[slot]
                active = "true" if rng.random() < 0.9 else "false"
                row += [active, self.iso(kc)]
                if rng.random() < 0.1:
                    row += ["N/A", "N/A", "N/A"]
                else:
                    used = self.between(kc)
                    row += [self.iso(used), rng.choice(REGIONS), rng.choice(KEY_SERVICES)]
            else:
                row += ["false", "N/A", "N/A", "N/A", "N/A"]
        row += ["false", "N/A", "false", "N/A"]
        return item, ",".join(row)

    # -- roles ----------------------------------------------------------------
    def trust(self, i):
        """Returns (trust document, service principal or None, path, name)."""
        rng = self.rng
        acct = self.account
        team = rng.choice(TEAMS)
        r = rng.random()
        if r < 0.45:
            service = rng.choice(SERVICE_PRINCIPALS)
            prefix = service.split(".")[0]
            name = "%s-%s-%s-%d" % (prefix, team, rng.choice(NOUNS), i)
            st = {"Effect": "Allow", "Principal": {"Service": service},
                  "Action": "sts:AssumeRole"}
            return self.doc(st), service, rng.choice(["/", "/", "/service-role/"]), name
        if r < 0.57:
            gh = "token.actions.githubusercontent.com"
            repo = "repo:acme/%s-%s" % (team, rng.choice(NOUNS))
            v = rng.random()
            cond = {"StringEquals": {gh + ":aud": "sts.amazonaws.com"}}
            if v < 0.55:
                cond["StringEquals"][gh + ":sub"] = repo + ":ref:refs/heads/main"
            elif v < 0.8:
                cond["StringLike"] = {gh + ":sub": repo + ":*"}
            elif v < 0.9:
                cond["StringLike"] = {gh + ":sub": rng.choice(["repo:*", "*", "repo:acme/*"])}
            st = {"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/%s" % (acct, gh)},
                  "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}
            return self.doc(st), None, "/", "github-actions-%s-%d" % (team, i)
        if r < 0.69:
            issuer = "oidc.eks.%s.amazonaws.com/id/%032X" % (
                rng.choice(REGIONS), rng.choice(self.eks_ids))
            cond = {"StringEquals": {issuer + ":aud": "sts.amazonaws.com"}}
            if rng.random() < 0.85:
                cond["StringEquals"][issuer + ":sub"] = "system:serviceaccount:%s:%s" % (
                    team, rng.choice(NOUNS))
            st = {"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/%s" % (acct, issuer)},
                  "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}
            return self.doc(st), None, "/", "eks-%s-%s-%d" % (team, rng.choice(NOUNS), i)
        if r < 0.81:
            partner = rng.choice(PARTNER_ACCOUNTS)
            st = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % partner},
                  "Action": "sts:AssumeRole"}
            if rng.random() < 0.7:
                st["Condition"] = {"StringEquals": {"sts:ExternalId": "%012x" % rng.getrandbits(48)}}
            return self.doc(st), None, "/", "partner-%s-%d" % (partner, i)
        if r < 0.85:
            st = {"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::%s:saml-provider/AWSSSO_%016x_DO_NOT_DELETE"
                                % (acct, self.sso_hex)},
                  "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                  "Condition": {"StringEquals": {
                      "SAML:aud": "https://signin.aws.amazon.com/saml"}}}
            name = "AWSReservedSSO_%s_%016x" % (rng.choice(PERMISSION_SETS), rng.getrandbits(64))
            return self.doc(st), None, "/aws-reserved/sso.amazonaws.com/", name
        if r < 0.90:
            service, suffix = rng.choice(SLR_SERVICES)
            st = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
            return (self.doc(st), "slr", "/aws-service-role/%s/" % service,
                    "AWSServiceRoleFor%s_%d" % (suffix, i))
        if r < 0.98:
            st = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % acct},
                  "Action": "sts:AssumeRole"}
            if rng.random() < 0.3:
                st["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
            return self.doc(st), None, "/", "%s-%s-access-%d" % (team, rng.choice(NOUNS), i)
        if rng.random() < 0.5:
            st = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
        else:
            st = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
        return self.doc(st), None, "/", "shared-%s-%d" % (team, i)

    def role(self, i):
        rng = self.rng
        trust, service, path, name = self.trust(i)
        created = self.ago(rng.uniform(1, 1800))
        core = {"Path": path, "RoleName": name, "RoleId": self.uid("AROA"),
                "Arn": "arn:aws:iam::%s:role%s%s" % (self.account, path, name),
                "CreateDate": self.iso(created), "AssumeRolePolicyDocument": trust}
        item = dict(core)
        profiles = []
        if service == "ec2.amazonaws.com":
            profiles.append({"Path": "/", "InstanceProfileName": name,
                             "InstanceProfileId": self.uid("AIPA"),
                             "Arn": "arn:aws:iam::%s:instance-profile/%s" % (self.account, name),
                             "CreateDate": core["CreateDate"], "Roles": [core]})
        item["InstanceProfileList"] = profiles
        if service == "slr":
            arn = self.aws["AWSServiceLinkedRolePolicy"]
            self.attach[arn] += 1
            item["RolePolicyList"] = []
            item["AttachedManagedPolicies"] = [{"PolicyName": self.names[arn], "PolicyArn": arn}]
        else:
            item["RolePolicyList"] = self.inline()
            item["AttachedManagedPolicies"] = self.attached(role_kind=service)
            self.maybe_boundary(item)
            tags = self.tags(rng.choice(TEAMS)) if not path.startswith("/aws-reserved/") else []
            if tags:
                item["Tags"] = tags
        if rng.random() < 0.3:
            item["RoleLastUsed"] = {}
        else:
            item["RoleLastUsed"] = {"LastUsedDate": self.iso(self.between(created)),
                                    "Region": rng.choice(REGIONS)}
        return item

    # -- driver ---------------------------------------------------------------
    def run(self, identities, out_dir, n_policies):
        rng = self.rng
        n_users = int(round(identities * 0.55))
        n_roles = identities - n_users
        self.eks_ids = [rng.getrandbits(128) for _ in range(max(1, identities // 5000))]
        self.sso_hex = rng.getrandbits(64)
        self.make_policies(n_policies)
        self.make_groups(max(4, identities // 2500))
        # ~2% of all identities are group members, all of them users.
        group_probability = min(1.0, 0.02 * identities / max(1, n_users))

        os.makedirs(out_dir, exist_ok=True)
        details_path = os.path.join(out_dir, "authorization-details.json")
        report_path = os.path.join(out_dir, "credential-report.csv")
        compact = self.compact
        nl = "" if compact else "\n"
        sep = "," + nl
        key_pad = "" if compact else "    "
        colon = ":" if compact else ": "

        with open(details_path, "w", encoding="utf-8", buffering=1 << 20) as out, \
                open(report_path, "w", encoding="utf-8", newline="", buffering=1 << 20) as csv:
            root_created = NOW_EPOCH - 2400 * DAY + 3723
            csv.write(HEADER + "\n")
            csv.write(",".join([
                "<root_account>", "arn:aws:iam::%s:root" % self.account,
                self.iso(root_created), "not_supported", self.iso(self.ago(5)),
                "not_supported", "not_supported", "true", "false", "N/A", "N/A", "N/A", "N/A",
                "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]))

            def section(key, items, first=False):
                out.write(("{" + nl) if first else sep)
                out.write('%s"%s"%s[' % (key_pad, key, colon))
                wrote = False
                for item in items:
                    out.write((sep if wrote else nl) + self.dumps(item, 2))
                    wrote = True
                out.write((nl + key_pad + "]") if wrote else "]")

            def users():
                for i in range(n_users):
                    item, row = self.user(i, group_probability)
                    csv.write("\n" + row)
                    yield item

            section("UserDetailList", users(), first=True)
            section("GroupDetailList", self.groups)
            section("RoleDetailList", (self.role(i) for i in range(n_roles)))

            def policies():
                for p in self.policies:
                    count = self.attach[p["Arn"]]
                    bcount = self.boundary_use[p["Arn"]]
                    if count == 0 and bcount == 0:
                        continue  # only attached (or boundary) policies, like the acme example
                    yield {"PolicyName": p["PolicyName"], "PolicyId": p["PolicyId"],
                           "Arn": p["Arn"], "Path": p["Path"],
                           "DefaultVersionId": p["DefaultVersionId"], "AttachmentCount": count,
                           "PermissionsBoundaryUsageCount": bcount, "IsAttachable": True,
                           "CreateDate": p["CreateDate"], "UpdateDate": p["UpdateDate"],
                           "PolicyVersionList": p["PolicyVersionList"]}

            section("Policies", policies())
            out.write(sep + '%s"IsTruncated"%sfalse%s}\n' % (key_pad, colon, nl))
        return n_users, n_roles, len(self.groups), details_path, report_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identities", type=int, default=100000,
                        help="number of users + roles (default 100000)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--account", default="123456789012",
                        help="12-digit AWS account id (default 123456789012)")
    parser.add_argument("--policies", type=int, default=200,
                        help="customer-managed policies to share (default 200)")
    parser.add_argument("--compact", action="store_true",
                        help="write compact JSON instead of the CLI's 4-space indentation")
    args = parser.parse_args(argv)
    if not (len(args.account) == 12 and args.account.isdigit()):
        parser.error("--account must be 12 digits")
    if args.identities < 1 or args.policies < 1:
        parser.error("--identities and --policies must be positive")

    started = time.time()
    gen = Generator(args.seed, args.account, args.compact)
    n_users, n_roles, n_groups, details, report = gen.run(args.identities, args.out,
                                                          args.policies)
    print("wrote %s (%.1f MB) and %s (%.1f MB): %d users, %d roles, %d groups in %.1fs"
          % (details, os.path.getsize(details) / 1e6, report, os.path.getsize(report) / 1e6,
             n_users, n_roles, n_groups, time.time() - started), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""One AWS account's `aws iam get-account-authorization-details` output, for timing the access graph.

    gen_aws.py PRINCIPALS POLICIES OUT.json [--seed N] [--account 123456789012] [--compact]

Writes OUT.json in the exact shape the AWS CLI prints (UserDetailList, GroupDetailList,
RoleDetailList, Policies; inline policy documents as JSON objects; 4-space indentation unless
--compact) and, beside it, expected.json: the admins, the principals planted to reach an admin
(with the technique), the look-alikes planted NOT to reach one (with why not), and counts.

PRINCIPALS is users plus roles (groups come on top). About 70 % are roles: service roles trusting
lambda / ec2 (with an instance profile) / ecs-tasks, roles trusting another role of the account,
roles trusting the account root, SSO (SAML), GitHub OIDC and partner-account roles; about 30 % are
users (CI, service users). Nearly all hold narrow permissions: s3 / dynamodb / sqs / sns / logs /
secrets on their own ARNs, read-only AWS managed policies, CI users that pass their app's service
roles to Lambda and ECS. Those reach other roles (PassRole, AssumeRole) but never an admin.

POLICIES is the number of `Policies` entries (AWS managed ones that are attached, plus customer
managed ones). Principals attach 0-3 customer policies; a policy is attached to 1-3 principals;
whatever POLICIES leaves over is written unattached (some with older, non-default versions).

Planted on purpose (about 3 % of principals, every technique at least once), each reaching an admin:
  create-access-key        iam:CreateAccessKey on user/* or on the break-glass admin user
  passrole-lambda          iam:PassRole on an admin role trusting Lambda + lambda:CreateFunction + lambda:InvokeFunction
  passrole-ec2             iam:PassRole on an admin role with an instance profile + ec2:RunInstances
  assume-chain             sts:AssumeRole on a hop role that trusts it; the hop may assume platform-admin
                           (which trusts the account root); source and hop both count
  attach-policy-self       iam:AttachUserPolicy (users) / iam:AttachRolePolicy (roles) on its own ARN
  update-assume-role-policy  iam:UpdateAssumeRolePolicy on an admin role
  create-policy-version    iam:CreatePolicyVersion on a customer policy attached to itself
Look-alikes (about 1.5 %, every kind at least once), none of which reaches an admin:
  passrole-harmless        PassRole only on a narrow Lambda service role + CreateFunction + InvokeFunction
  explicit-deny            the dangerous allow (CreateAccessKey on user/*, or PassRole to the EC2 admin
                           role + RunInstances) cancelled by an explicit Deny
  boundary-omits           the dangerous allow (attach-policy-self, or PassRole to the Lambda admin role)
                           under a permissions boundary that allows only s3/dynamodb/sqs/logs
  assume-untrusted         sts:AssumeRole on an admin role whose trust policy names only a SAML provider
Admins: a break-glass user with AdministratorAccess, two users in the Admins group, and the roles
platform-admin, lambda-admin-ops, ec2-admin-bastion, OrganizationAccountAccessRole,
security-admin and an SSO AdministratorAccess role. AdministratorAccess has its real document.

Standard library only; the same arguments give the same bytes.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
EPOCH = datetime(2019, 1, 1, tzinfo=timezone.utc)
NOW = datetime(2025, 11, 20, 8, 0, 0, tzinfo=timezone.utc)
SPAN = int((NOW - EPOCH).total_seconds())
APPS = ["orders", "billing", "payments", "search", "catalog", "inventory", "checkout", "shipping", "ledger",
        "reports", "notify", "media", "profile", "auth", "reviews", "pricing", "fraud", "ads", "etl", "feeds",
        "geo", "chat", "mailer", "export", "ingest", "metrics", "backup", "audit", "quotes", "tickets"]
ENVS = ["prod", "prod", "staging", "dev"]
REGIONS = ["us-east-1", "us-east-1", "eu-west-1", "us-west-2"]
TEAMS = ["payments", "core", "data", "web", "platform", "growth", "risk", "mobile"]
PARTNER = "444455556666"
MGMT = "999988887777"


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resources, sid=None, condition=None):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = "Allow"
    s["Action"] = actions if not isinstance(actions, list) or len(actions) > 1 else actions[0]
    s["Resource"] = resources if not isinstance(resources, list) or len(resources) > 1 else resources[0]
    if condition:
        s["Condition"] = condition
    return s


def deny(actions, resources, sid=None):
    s = allow(actions, resources, sid)
    s["Effect"] = "Deny"
    return s


def trust(principal, action="sts:AssumeRole", condition=None):
    s = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        s["Condition"] = condition
    return doc(s)


# AWS managed policies: the real names and ARNs; documents are the real ones (AdministratorAccess) or
# faithful abridgements with no privilege-escalating action in them.
AWS_MANAGED = {
    "AdministratorAccess": ("/", "ANPAIWMBCKSKIEE64ZLYK", "v1", doc({"Effect": "Allow", "Action": "*", "Resource": "*"})),
    "ReadOnlyAccess": ("/", "ANPAILL3HVNFSB6DCOWYQ", "v118", doc(allow(
        ["acm:Describe*", "acm:Get*", "acm:List*", "apigateway:GET", "autoscaling:Describe*", "cloudformation:Describe*",
         "cloudformation:Get*", "cloudformation:List*", "cloudfront:Get*", "cloudfront:List*", "cloudtrail:Describe*",
         "cloudtrail:Get*", "cloudtrail:LookupEvents", "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
         "dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:GetItem", "dynamodb:List*", "dynamodb:Query",
         "dynamodb:Scan", "ec2:Describe*", "ec2:Get*", "ecr:BatchGetImage", "ecr:Describe*", "ecr:List*",
         "ecs:Describe*", "ecs:List*", "eks:Describe*", "eks:List*", "elasticloadbalancing:Describe*", "iam:Generate*",
         "iam:Get*", "iam:List*", "iam:Simulate*", "kms:Describe*", "kms:Get*", "kms:List*", "lambda:Get*",
         "lambda:List*", "logs:Describe*", "logs:Get*", "logs:FilterLogEvents", "rds:Describe*", "route53:Get*",
         "route53:List*", "s3:Get*", "s3:List*", "sns:Get*", "sns:List*", "sqs:Get*", "sqs:List*", "ssm:Describe*",
         "ssm:Get*", "ssm:List*", "sts:GetCallerIdentity", "tag:Get*"], "*"))),
    "AmazonS3ReadOnlyAccess": ("/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", doc(allow(
        ["s3:Get*", "s3:List*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], "*"))),
    "AmazonDynamoDBReadOnlyAccess": ("/", "ANPAIY2XFNA232XJ6J7X2", "v13", doc(allow(
        ["application-autoscaling:DescribeScalableTargets", "cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData",
         "dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetItem", "dynamodb:Query",
         "dynamodb:Scan", "dynamodb:PartiQLSelect", "tag:GetResources"], "*"))),
    "CloudWatchReadOnlyAccess": ("/", "ANPAJN23PDQP7SZQAE3QE", "v20", doc(allow(
        ["autoscaling:Describe*", "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "logs:Get*",
         "logs:List*", "logs:StartQuery", "logs:StopQuery", "logs:Describe*", "logs:TestMetricFilter",
         "logs:FilterLogEvents", "sns:Get*", "sns:List*"], "*"))),
    "AWSLambdaBasicExecutionRole": ("/service-role/", "ANPAJNCQGXC42545SKXIK", "v1", doc(allow(
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "*"))),
    "AWSLambdaSQSQueueExecutionRole": ("/service-role/", "ANPAJFWJZI6JNND4TSELK", "v2", doc(allow(
        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "logs:CreateLogGroup",
         "logs:CreateLogStream", "logs:PutLogEvents"], "*"))),
    "AmazonECSTaskExecutionRolePolicy": ("/service-role/", "ANPAJG4T4G4PGWGKMTZ7I", "v1", doc(allow(
        ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
         "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"], "*"))),
    "AmazonEC2ContainerRegistryReadOnly": ("/", "ANPAIFYZPA37OOHVIH7KQ", "v3", doc(allow(
        ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
         "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages",
         "ecr:BatchGetImage", "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource",
         "ecr:DescribeImageScanFindings"], "*"))),
    "CloudWatchAgentServerPolicy": ("/", "ANPAIGOPKN7KRDAKTLG4I", "v1", doc(allow(
        ["cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:PutLogEvents",
         "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup"], "*"))),
    "AWSXRayDaemonWriteAccess": ("/", "ANPAIOE47HSUE5AVBNEDM", "v1", doc(allow(
        ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
         "xray:GetSamplingStatisticSummaries"], "*"))),
}
SERVICE_MANAGED = {
    "lambda": ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSXRayDaemonWriteAccess"],
    "ec2": ["CloudWatchAgentServerPolicy", "AmazonS3ReadOnlyAccess", "AmazonEC2ContainerRegistryReadOnly"],
    "ecs": ["AmazonECSTaskExecutionRolePolicy", "AWSXRayDaemonWriteAccess"],
    "other": ["ReadOnlyAccess", "CloudWatchReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess", "AmazonS3ReadOnlyAccess"],
}


class Account:
    def __init__(self, n, policies, seed, account):
        self.rng = random.Random(seed)
        self.n, self.target_policies, self.acct = n, policies, account
        self.ids = set()
        self.users, self.roles, self.groups = [], [], []
        self.customer = []          # customer managed policies, in order
        self.customer_by_arn = {}
        self.attached = {}          # policy ARN -> attachment count
        self.boundary_uses = {}     # policy ARN -> boundary usage count
        self.admins, self.vulnerable, self.lookalikes = [], [], []
        self.open_policy = None     # the shared customer policy being filled with principals
        self.open_room = 0

    # -- small helpers --------------------------------------------------------------------------------
    def uid(self, prefix):
        while True:
            v = prefix + "".join(self.rng.choice(ID_ALPHABET) for _ in range(17))
            if v not in self.ids:
                self.ids.add(v)
                return v

    def date(self, low=0.0, high=1.0):
        t = EPOCH + timedelta(seconds=int(SPAN * (low + (high - low) * self.rng.random())))
        return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def arn(self, kind, name, path="/"):
        return f"arn:aws:iam::{self.acct}:{kind}{path}{name}"

    def tags(self, app, env):
        t = [{"Key": "app", "Value": app}, {"Key": "env", "Value": env},
             {"Key": "owner", "Value": f"{self.rng.choice(TEAMS)}-team@example.com"}]
        return t[: self.rng.randint(1, 3)]

    def narrow_statements(self, app, env):
        """1-3 statements on the app's own resources (or read-only describes)."""
        r = self.rng
        region = r.choice(REGIONS)
        bucket = f"arn:aws:s3:::acme-{app}-{env}"
        choices = [
            lambda: allow(["s3:GetObject", "s3:ListBucket"], [bucket, bucket + "/*"], "ReadBucket"),
            lambda: allow(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], f"{bucket}/{r.choice(['in', 'out', 'tmp', 'exports'])}/*", "WritePrefix"),
            lambda: allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
                          [f"arn:aws:dynamodb:{region}:{self.acct}:table/{app}-{env}",
                           f"arn:aws:dynamodb:{region}:{self.acct}:table/{app}-{env}/index/*"], "Table"),
            lambda: allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"], f"arn:aws:dynamodb:{region}:{self.acct}:table/{app}-{env}-*", "ReadTables"),
            lambda: allow(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
                          f"arn:aws:sqs:{region}:{self.acct}:{app}-{env}-{r.choice(['jobs', 'events', 'dlq', 'inbox'])}", "Queue"),
            lambda: allow("sns:Publish", f"arn:aws:sns:{region}:{self.acct}:{app}-{env}-events", "Publish"),
            lambda: allow(["logs:CreateLogStream", "logs:PutLogEvents"], f"arn:aws:logs:{region}:{self.acct}:log-group:/aws/{app}/{env}:*", "Logs"),
            lambda: allow("secretsmanager:GetSecretValue", f"arn:aws:secretsmanager:{region}:{self.acct}:secret:{app}/{env}/db-??????", "DbSecret"),
            lambda: allow(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], f"arn:aws:ssm:{region}:{self.acct}:parameter/{app}/{env}/*", "Config"),
            lambda: allow("kms:Decrypt", f"arn:aws:kms:{region}:{self.acct}:key/{self.key_id()}", "Decrypt",
                          {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}}),
            lambda: allow("cloudwatch:PutMetricData", "*", "Metrics", {"StringEquals": {"cloudwatch:namespace": f"{app.title()}/{env}"}}),
            lambda: allow(["ec2:DescribeInstances", "ec2:DescribeTags", "ecs:DescribeServices", "ecs:ListTasks"], "*", "Describe"),
        ]
        return [f() for f in r.sample(choices, r.randint(1, 3))]

    def key_id(self):
        b = self.rng.getrandbits(128)
        return "%08x-%04x-%04x-%04x-%012x" % (b >> 96, (b >> 80) & 0xFFFF, (b >> 64) & 0xFFFF, (b >> 48) & 0xFFFF, b & 0xFFFFFFFFFFFF)

    # -- policies --------------------------------------------------------------------------------------
    def new_customer(self, name, document, path="/", versions=1):
        arn = self.arn("policy", name, path)
        created = self.date(0.0, 0.6)
        pv = []
        for v in range(1, versions + 1):
            d = document if v == versions else doc(*self.narrow_statements(self.rng.choice(APPS), "prod"))
            pv.append({"Document": d, "VersionId": f"v{v}", "IsDefaultVersion": v == versions,
                       "CreateDate": created if v == 1 else self.date(0.6, 1.0)})
        p = {"PolicyName": name, "PolicyId": self.uid("ANPA"), "Arn": arn, "Path": path,
             "DefaultVersionId": f"v{versions}", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0,
             "IsAttachable": True, "CreateDate": created, "UpdateDate": pv[-1]["CreateDate"], "PolicyVersionList": pv}
        self.customer.append(p)
        self.customer_by_arn[arn] = p
        return p

    def attach(self, entity, arn):
        name = arn.rsplit("/", 1)[1]
        entity["AttachedManagedPolicies"].append({"PolicyName": name, "PolicyArn": arn})
        self.attached[arn] = self.attached.get(arn, 0) + 1

    def shared_policy(self, app, env):
        """A narrow customer policy for the app, each attached to 1-3 principals; past the budget, reuse one."""
        if self.open_room > 0:
            self.open_room -= 1
            return self.open_policy["Arn"]
        if len(self.customer) >= self.customer_budget and self.customer:
            return self.rng.choice(self.customer)["Arn"]
        name = f"{app}-{env}-{self.rng.choice(['access', 'data', 'runtime', 'app', 'svc'])}-{len(self.customer):05d}"
        p = self.new_customer(name, doc(*self.narrow_statements(app, env)), versions=1 if self.rng.random() < 0.85 else 2)
        self.open_policy, self.open_room = p, self.rng.randint(0, 2)
        return p["Arn"]

    # -- principals ------------------------------------------------------------------------------------
    def user(self, name, path="/", app=None, env=None, inline=None, groups=(), boundary=None):
        u = {"Path": path, "UserName": name, "UserId": self.uid("AIDA"), "Arn": self.arn("user", name, path),
             "CreateDate": self.date(0.0, 0.95)}
        if inline:
            u["UserPolicyList"] = [{"PolicyName": pn, "PolicyDocument": d} for pn, d in inline]
        u["GroupList"] = list(groups)
        u["AttachedManagedPolicies"] = []
        if boundary:
            u["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
            self.boundary_uses[boundary] = self.boundary_uses.get(boundary, 0) + 1
        if app:
            u["Tags"] = self.tags(app, env)
        self.users.append(u)
        return u

    def role(self, name, trust_doc, path="/", app=None, env=None, inline=None, profile=False, boundary=None):
        arn = self.arn("role", name, path)
        created = self.date(0.0, 0.95)
        r = {"Path": path, "RoleName": name, "RoleId": self.uid("AROA"), "Arn": arn, "CreateDate": created,
             "AssumeRolePolicyDocument": trust_doc, "InstanceProfileList": []}
        if profile:
            r["InstanceProfileList"].append({
                "Path": path, "InstanceProfileName": name, "InstanceProfileId": self.uid("AIPA"),
                "Arn": self.arn("instance-profile", name, path), "CreateDate": created,
                "Roles": [{"Path": path, "RoleName": name, "RoleId": r["RoleId"], "Arn": arn, "CreateDate": created,
                           "AssumeRolePolicyDocument": trust_doc}]})
        r["RolePolicyList"] = [{"PolicyName": pn, "PolicyDocument": d} for pn, d in (inline or [])]
        r["AttachedManagedPolicies"] = []
        if boundary:
            r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
            self.boundary_uses[boundary] = self.boundary_uses.get(boundary, 0) + 1
        if app:
            r["Tags"] = self.tags(app, env)
        r["RoleLastUsed"] = {"LastUsedDate": self.date(0.97, 1.0), "Region": self.rng.choice(REGIONS)} if self.rng.random() < 0.8 else {}
        self.roles.append(r)
        return r

    def app_env(self):
        return self.rng.choice(APPS), self.rng.choice(ENVS)

    def give_narrow(self, entity, app, env, kind=None):
        """The everyday permissions: AWS managed policies for the kind, 0-3 shared customer policies, maybe an inline one."""
        r = self.rng
        pool = SERVICE_MANAGED.get(kind or "other", SERVICE_MANAGED["other"])
        for name in r.sample(pool, r.randint(0 if kind is None else 1, 2)):
            self.attach(entity, self.aws_arn(name))
        for _ in range(r.choice([0, 1, 1, 2, 2, 3])):
            arn = self.shared_policy(app, env)
            if all(a["PolicyArn"] != arn for a in entity["AttachedManagedPolicies"]):
                self.attach(entity, arn)
        if r.random() < 0.5 or not entity["AttachedManagedPolicies"]:
            key = "UserPolicyList" if "UserName" in entity else "RolePolicyList"
            entity.setdefault(key, []).append({"PolicyName": f"{app}-{env}-inline", "PolicyDocument": doc(*self.narrow_statements(app, env))})

    @staticmethod
    def aws_arn(name):
        path = AWS_MANAGED[name][0]
        return f"arn:aws:iam::aws:policy{path}{name}"

    # -- the estate ------------------------------------------------------------------------------------
    def build(self):
        r, n, acct = self.rng, self.n, self.acct
        n_roles = round(n * 0.7)
        n_users = n - n_roles
        n_vuln = max(7, n * 3 // 100)
        n_look = max(4, n * 15 // 1000)
        # Room for shared customer policies: POLICIES less the AWS managed ones; past it, principals share.
        self.customer_budget = max(1, self.target_policies - len(AWS_MANAGED))
        admin_arn = self.aws_arn("AdministratorAccess")

        # Groups: Admins, a read-only group, team groups with narrow policies.
        def group(name, path="/"):
            g = {"Path": path, "GroupName": name, "GroupId": self.uid("AGPA"), "Arn": self.arn("group", name, path),
                 "CreateDate": self.date(0.0, 0.5), "GroupPolicyList": [], "AttachedManagedPolicies": []}
            self.groups.append(g)
            return g
        self.attach(group("Admins"), admin_arn)
        self.attach(group("ReadOnly"), self.aws_arn("ReadOnlyAccess"))
        team_groups = []
        for i in range(max(3, n // 60)):
            app, env = APPS[i % len(APPS)], "prod"
            g = group(f"{app}-{r.choice(['developers', 'operators', 'readers'])}-{i:03d}", "/teams/")
            g["GroupPolicyList"].append({"PolicyName": f"{app}-team", "PolicyDocument": doc(*self.narrow_statements(app, env))})
            if r.random() < 0.5:
                self.attach(g, self.aws_arn(r.choice(["CloudWatchReadOnlyAccess", "AmazonS3ReadOnlyAccess"])))
            team_groups.append(g["GroupName"])

        # Boundaries: one that omits IAM/Lambda/EC2 (for look-alikes), one broad used by normal CI users.
        workload_boundary = self.new_customer("workload-boundary", doc(allow(
            ["s3:*", "dynamodb:*", "sqs:*", "logs:*", "cloudwatch:PutMetricData"], "*")), "/boundaries/")["Arn"]
        ci_boundary = self.new_customer("ci-boundary", doc(
            allow(["s3:*", "dynamodb:*", "sqs:*", "sns:*", "logs:*", "lambda:*", "ecs:*", "ecr:*", "iam:PassRole",
                   "cloudformation:Describe*", "cloudwatch:*", "ssm:GetParameter*"], "*")), "/boundaries/")["Arn"]

        # Admins.
        u = self.user("break-glass-admin")
        self.attach(u, admin_arn)
        self.admins.append(u["Arn"])
        break_glass = u["Arn"]
        for name in ("ops-admin-1", "ops-admin-2"):
            self.admins.append(self.user(name, "/people/", groups=["Admins"])["Arn"])
        root = {"AWS": f"arn:aws:iam::{acct}:root"}
        admin_roles = {}
        for name, tr, profile in [
            ("platform-admin", trust(root), False),
            ("lambda-admin-ops", trust({"Service": "lambda.amazonaws.com"}), False),
            ("ec2-admin-bastion", trust({"Service": "ec2.amazonaws.com"}), True),
            ("OrganizationAccountAccessRole", trust({"AWS": f"arn:aws:iam::{MGMT}:root"}), False),
            ("security-admin", trust({"Federated": f"arn:aws:iam::{acct}:saml-provider/Okta"}, "sts:AssumeRoleWithSAML",
                                     {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}), False),
        ]:
            ro = self.role(name, tr, profile=profile)
            self.attach(ro, admin_arn)
            admin_roles[name] = ro["Arn"]
            self.admins.append(ro["Arn"])
        sso = self.role("AWSReservedSSO_AdministratorAccess_3f9a1c2e7b5d4a60",
                        trust({"Federated": f"arn:aws:iam::{acct}:saml-provider/AWSSSO_8c2e4f1a9b3d7e65_DO_NOT_DELETE"},
                              ["sts:AssumeRoleWithSAML", "sts:TagSession"], {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}),
                        path="/aws-reserved/sso.amazonaws.com/")
        self.attach(sso, admin_arn)
        self.admins.append(sso["Arn"])
        roles_left = n_roles - 6
        users_left = n_users - 3

        # A harmless Lambda service role, PassRole's target for the passrole-harmless look-alikes.
        harmless = self.role("thumbnailer-prod-fn", trust({"Service": "lambda.amazonaws.com"}), "/service/media/", "media", "prod",
                             inline=[("thumbnails", doc(allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::acme-media-prod/thumbs/*")))])
        self.attach(harmless, self.aws_arn("AWSLambdaBasicExecutionRole"))
        roles_left -= 1

        # Planted escalations. The kind of principal alternates so both users and roles are sources.
        techniques = ["create-access-key", "passrole-lambda", "passrole-ec2", "assume-chain", "attach-policy-self",
                      "update-assume-role-policy", "create-policy-version"]
        planted = 0
        i = 0
        while planted < n_vuln:
            t = techniques[i % len(techniques)]
            as_user = (i // len(techniques)) % 2 == 0 if t != "attach-policy-self" else i % 3 != 2
            if t == "assume-chain" and planted + 2 > n_vuln and planted >= len(techniques):
                i += 1
                continue
            app, env = self.app_env()
            name = f"{app}-{r.choice(['automation', 'tooling', 'ops', 'release', 'maint'])}-{i:04d}"
            if as_user and users_left <= 0:
                as_user = False
            if not as_user and roles_left <= (2 if t == "assume-chain" else 1):
                as_user = True
            principal = (self.user(name, "/automation/", app, env) if as_user else
                         self.role(name, trust({"Service": r.choice(["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"])}),
                                   "/automation/", app, env))
            if as_user:
                users_left -= 1
            else:
                roles_left -= 1
            p_arn = principal["Arn"]
            self.give_narrow(principal, app, env)
            stmts = []
            if t == "create-access-key":
                target = f"arn:aws:iam::{acct}:user/*" if i % 2 == 0 else break_glass
                stmts = [allow(["iam:CreateAccessKey", "iam:ListAccessKeys"], target, "RotateKeys")]
            elif t == "passrole-lambda":
                stmts = [allow("iam:PassRole", admin_roles["lambda-admin-ops"], "PassOpsRole"),
                         allow(["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"], "*", "ManageFunctions")]
            elif t == "passrole-ec2":
                stmts = [allow("iam:PassRole", admin_roles["ec2-admin-bastion"], "PassBastionRole"),
                         allow(["ec2:RunInstances", "ec2:DescribeInstances", "ec2:CreateTags"], "*", "Launch")]
            elif t == "assume-chain":
                hop = self.role(f"{app}-cross-deploy-{i:04d}", trust({"AWS": p_arn}), "/automation/", app, env,
                                inline=[("assume-platform", doc(allow("sts:AssumeRole", admin_roles["platform-admin"], "Escalate")))])
                roles_left -= 1
                self.give_narrow(hop, app, env)
                stmts = [allow("sts:AssumeRole", hop["Arn"], "AssumeDeploy")]
                self.vulnerable.append({"arn": hop["Arn"], "technique": "assume-chain (hop)", "via": [admin_roles["platform-admin"]]})
                planted += 1
            elif t == "attach-policy-self":
                stmts = [allow("iam:AttachUserPolicy" if as_user else "iam:AttachRolePolicy", p_arn, "SelfManage")]
            elif t == "update-assume-role-policy":
                target = admin_roles["lambda-admin-ops"] if i % 2 else admin_roles["platform-admin"]
                stmts = [allow(["iam:UpdateAssumeRolePolicy", "iam:GetRole"], target, "EditTrust")]
            elif t == "create-policy-version":
                pol = self.new_customer(f"{name}-self-policy", doc(
                    allow(["iam:CreatePolicyVersion", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
                          self.arn("policy", f"{name}-self-policy"), "ManageOwnPolicy"),
                    *self.narrow_statements(app, env)))
                self.attach(principal, pol["Arn"])
            if stmts:
                key = "UserPolicyList" if as_user else "RolePolicyList"
                principal.setdefault(key, []).append({"PolicyName": f"{t}-{i:04d}", "PolicyDocument": doc(*stmts)})
                if as_user:  # keep the CLI's key order: UserPolicyList before GroupList
                    principal = self.reorder_user(principal)
            via = {"create-access-key": [break_glass], "passrole-lambda": [admin_roles["lambda-admin-ops"]],
                   "passrole-ec2": [admin_roles["ec2-admin-bastion"]], "assume-chain": [admin_roles["platform-admin"]],
                   "update-assume-role-policy": [admin_roles["lambda-admin-ops"] if i % 2 else admin_roles["platform-admin"]]}.get(t, [])
            self.vulnerable.append({"arn": p_arn, "technique": t, "via": via})
            planted += 1
            i += 1

        # Look-alikes: the same dangerous-looking grants, made harmless.
        kinds = ["passrole-harmless", "explicit-deny", "boundary-omits", "assume-untrusted"]
        for j in range(n_look):
            k = kinds[j % len(kinds)]
            as_user = (j // len(kinds)) % 2 == 1 and users_left > 0
            if not as_user and roles_left <= 0:
                as_user = True
            app, env = self.app_env()
            name = f"{app}-{r.choice(['builder', 'janitor', 'sync', 'helper'])}-{j:04d}"
            boundary = workload_boundary if k == "boundary-omits" else None
            principal = (self.user(name, "/automation/", app, env, boundary=boundary) if as_user else
                         self.role(name, trust({"Service": "lambda.amazonaws.com"}), "/automation/", app, env, boundary=boundary))
            if as_user:
                users_left -= 1
            else:
                roles_left -= 1
            self.give_narrow(principal, app, env)
            if k == "passrole-harmless":
                stmts, why = [allow("iam:PassRole", harmless["Arn"], "PassThumbnailer"),
                              allow(["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionCode"], "*", "Functions")], \
                    "PassRole only on a narrow Lambda role"
            elif k == "explicit-deny":
                if j % 2 == 0:
                    stmts = [allow("iam:CreateAccessKey", f"arn:aws:iam::{acct}:user/*", "RotateKeys"),
                             deny("iam:CreateAccessKey", "*", "NoNewKeys")]
                else:
                    stmts = [allow("iam:PassRole", admin_roles["ec2-admin-bastion"], "PassBastionRole"),
                             allow("ec2:RunInstances", "*", "Launch"), deny("iam:PassRole", "*", "NoPassRole")]
                why = "explicit Deny on the action"
            elif k == "boundary-omits":
                if as_user:
                    stmts = [allow("iam:AttachUserPolicy", principal["Arn"], "SelfManage")]
                else:
                    stmts = [allow("iam:PassRole", admin_roles["lambda-admin-ops"], "PassOpsRole"),
                             allow(["lambda:CreateFunction", "lambda:InvokeFunction"], "*", "Functions")]
                why = "permissions boundary allows only s3/dynamodb/sqs/logs/cloudwatch"
            else:
                stmts, why = [allow("sts:AssumeRole", admin_roles["security-admin"], "BreakGlass")], \
                    "security-admin trusts only a SAML provider"
            key = "UserPolicyList" if as_user else "RolePolicyList"
            principal.setdefault(key, []).append({"PolicyName": f"{k}-{j:04d}", "PolicyDocument": doc(*stmts)})
            if as_user:
                self.reorder_user(principal)
            self.lookalikes.append({"arn": principal["Arn"], "kind": k, "why": why})

        # Everyone else: narrow service roles (sinks), worker roles that assume sinks, CI and service users.
        workers = []
        kinds = (["lambda"] * 35 + ["ecs"] * 30 + ["ec2"] * 15 + ["cross"] * 8 + ["root"] * 5 + ["sso"] * 3 + ["oidc"] * 2 + ["partner"] * 2)
        for k in range(roles_left):
            app, env = self.app_env()
            kind = r.choice(kinds)
            path = f"/service/{app}/"
            name = f"{app}-{env}-{kind}-{k:05d}"
            if kind == "lambda":
                ro = self.role(name, trust({"Service": "lambda.amazonaws.com"}), path, app, env)
            elif kind == "ecs":
                cond = {"StringEquals": {"aws:SourceAccount": acct}} if r.random() < 0.4 else None
                ro = self.role(name, trust({"Service": "ecs-tasks.amazonaws.com"}, condition=cond), path, app, env)
            elif kind == "ec2":
                ro = self.role(name, trust({"Service": "ec2.amazonaws.com"}), path, app, env, profile=True)
            elif kind == "cross" and workers:
                # Trusts a worker role of the account by ARN; the worker may assume it.
                w = r.choice(workers)
                ro = self.role(name, trust({"AWS": w["Arn"]}), path, app, env)
                w["RolePolicyList"][0]["PolicyDocument"]["Statement"][0]["Resource"] = \
                    self.add_resource(w["RolePolicyList"][0]["PolicyDocument"]["Statement"][0]["Resource"], ro["Arn"])
            elif kind in ("cross", "root"):
                cond = {"StringEquals": {"aws:PrincipalTag/team": r.choice(TEAMS)}} if r.random() < 0.3 else None
                ro = self.role(name, trust(root, condition=cond), path, app, env)
            elif kind == "sso":
                ro = self.role(f"AWSReservedSSO_{app.title()}ReadOnly_{k:05d}", trust(
                    {"Federated": f"arn:aws:iam::{acct}:saml-provider/AWSSSO_8c2e4f1a9b3d7e65_DO_NOT_DELETE"},
                    ["sts:AssumeRoleWithSAML", "sts:TagSession"], {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}),
                    "/aws-reserved/sso.amazonaws.com/", app, env)
            elif kind == "oidc":
                ro = self.role(name, trust({"Federated": f"arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"},
                                           "sts:AssumeRoleWithWebIdentity",
                                           {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                                             "token.actions.githubusercontent.com:sub": f"repo:acme/{app}:ref:refs/heads/main"}}), path, app, env)
            else:
                ro = self.role(name, trust({"AWS": f"arn:aws:iam::{PARTNER}:root"},
                                           condition={"StringEquals": {"sts:ExternalId": f"acme-{self.key_id()[:8]}"}}), path, app, env)
            self.give_narrow(ro, app, env, {"lambda": "lambda", "ecs": "ecs", "ec2": "ec2"}.get(kind))
            # About one role in ten is a worker: it may assume the roles that name it (filled in above), nothing else.
            if kind in ("lambda", "ecs") and r.random() < 0.1:
                ro["RolePolicyList"].insert(0, {"PolicyName": "assume-peers", "PolicyDocument": doc(
                    {"Sid": "AssumePeers", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": []})})
                workers.append(ro)
        for w in workers:  # a worker no role trusts assumes nothing: drop its empty statement
            st = w["RolePolicyList"][0]["PolicyDocument"]["Statement"][0]
            if not st["Resource"]:
                w["RolePolicyList"].pop(0)
            elif isinstance(st["Resource"], list) and len(st["Resource"]) == 1:
                st["Resource"] = st["Resource"][0]

        for k in range(users_left):
            app, env = self.app_env()
            kind = r.random()
            groups = r.sample(team_groups, r.choice([0, 0, 1, 1, 2])) + (["ReadOnly"] if r.random() < 0.1 else [])
            if kind < 0.35:
                # CI deployer: passes its app's service roles to Lambda and ECS, under the CI boundary half the time.
                u = self.user(f"ci-{app}-{env}-{k:05d}", "/ci/", app, env, groups=groups,
                              boundary=ci_boundary if r.random() < 0.5 else None)
                u.setdefault("UserPolicyList", []).append({"PolicyName": "deploy", "PolicyDocument": doc(
                    allow("iam:PassRole", f"arn:aws:iam::{acct}:role/service/{app}/*", "PassAppRoles",
                          {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]}}),
                    allow(["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
                           "lambda:PublishVersion", "lambda:GetFunction"], f"arn:aws:lambda:*:{acct}:function:{app}-*", "Functions"),
                    allow(["ecs:RegisterTaskDefinition", "ecs:UpdateService", "ecs:DescribeServices"], "*", "Ecs"),
                    allow(["s3:PutObject", "s3:GetObject"], f"arn:aws:s3:::acme-{app}-artifacts/*", "Artifacts"))})
                self.reorder_user(u)
            else:
                u = self.user(f"svc-{app}-{env}-{k:05d}", "/service/", app, env, groups=groups)
            self.give_narrow(u, app, env)
            self.reorder_user(u)


    @staticmethod
    def add_resource(current, arn):
        if isinstance(current, list):
            return current + [arn]
        return [current, arn]

    @staticmethod
    def reorder_user(u):
        order = ["Path", "UserName", "UserId", "Arn", "CreateDate", "UserPolicyList", "GroupList",
                 "AttachedManagedPolicies", "PermissionsBoundary", "Tags"]
        items = [(k, u.pop(k)) for k in order if k in u]
        for k, v in items:
            u[k] = v
        return u

    def policies(self):
        out = []
        used_aws = [name for name in AWS_MANAGED if self.aws_arn(name) in self.attached]
        for name in used_aws:
            path, pid, version, d = AWS_MANAGED[name]
            arn = self.aws_arn(name)
            out.append({"PolicyName": name, "PolicyId": pid, "Arn": arn, "Path": path, "DefaultVersionId": version,
                        "AttachmentCount": self.attached.get(arn, 0), "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                        "CreateDate": "2015-02-06T18:39:46+00:00", "UpdateDate": "2023-08-10T21:31:39+00:00",
                        "PolicyVersionList": [{"Document": d, "VersionId": version, "IsDefaultVersion": True,
                                               "CreateDate": "2023-08-10T21:31:39+00:00"}]})
        # AWS managed policies nobody attaches are not listed (as AWS does). Top up with unattached customer
        # policies (retired, or not yet rolled out) until Policies holds the number asked for.
        r = self.rng
        while len(out) + len(self.customer) < self.target_policies:
            app, env = self.app_env()
            self.new_customer(f"{app}-{env}-{r.choice(['legacy', 'draft', 'old', 'unused', 'migration'])}-{len(self.customer):05d}",
                              doc(*self.narrow_statements(app, env)), versions=1 if r.random() < 0.8 else r.randint(2, 4))
        for p in self.customer:
            p["AttachmentCount"] = self.attached.get(p["Arn"], 0)
            p["PermissionsBoundaryUsageCount"] = self.boundary_uses.get(p["Arn"], 0)
            out.append(p)
        return out


def write_list(f, key, items, compact, last=False):
    if compact:
        f.write(json.dumps(key) + ":[")
        for i, item in enumerate(items):
            if i:
                f.write(",")
            f.write(json.dumps(item, separators=(",", ":")))
        f.write("]" + ("" if last else ","))
        return
    f.write(f"    {json.dumps(key)}: [")
    for i, item in enumerate(items):
        f.write(",\n" if i else "\n")
        text = json.dumps(item, indent=4)
        f.write("        " + text.replace("\n", "\n        "))
    f.write("\n    ]" if items else "]")
    f.write("\n" if last else ",\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("principals", type=int, help="users plus roles")
    ap.add_argument("policies", type=int, help="entries in Policies (managed policies)")
    ap.add_argument("out", help="the authorization-details JSON file to write; expected.json goes beside it")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--account", default="123456789012")
    ap.add_argument("--compact", action="store_true", help="one line, no indentation (the CLI's --output json indents)")
    a = ap.parse_args()
    if a.principals < 60:
        sys.exit("gen_aws.py: at least 60 principals (the fixed admins, planted and look-alike principals need room)")
    start = time.time()
    acct = Account(a.principals, a.policies, a.seed, a.account)
    acct.build()
    policies = acct.policies()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("{" if a.compact else "{\n")
        write_list(f, "UserDetailList", acct.users, a.compact)
        write_list(f, "GroupDetailList", acct.groups, a.compact)
        write_list(f, "RoleDetailList", acct.roles, a.compact)
        write_list(f, "Policies", policies, a.compact, last=True)
        f.write("}\n")
    expected = {
        "account": a.account, "seed": a.seed,
        "counts": {"principals": len(acct.users) + len(acct.roles), "users": len(acct.users), "roles": len(acct.roles),
                   "groups": len(acct.groups), "policies": len(policies), "admins": len(acct.admins),
                   "vulnerable": len(acct.vulnerable), "lookalikes": len(acct.lookalikes)},
        "admins": acct.admins,
        "vulnerable": acct.vulnerable,
        "lookalikes": acct.lookalikes,
    }
    exp_path = os.path.join(os.path.dirname(os.path.abspath(a.out)), "expected.json")
    with open(exp_path, "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    c = expected["counts"]
    print(f"{a.out}: {os.path.getsize(a.out) / 1e6:.1f} MB, {c['users']} users, {c['roles']} roles, {c['groups']} groups, "
          f"{c['policies']} policies; {c['admins']} admins, {c['vulnerable']} planted escalations, {c['lookalikes']} look-alikes "
          f"({exp_path}); {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()

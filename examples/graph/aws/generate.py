#!/usr/bin/env python3
"""Generate the AWS privilege-escalation example (account 111122223333).

    python3 examples/graph/aws/generate.py      # from the repository root

Writes, next to this script:

    authorization-details.json   what `aws iam get-account-authorization-details --output json`
                                 (AWS CLI v2) prints for the account
    expected.json                what the escalation graph must find: admins, vulnerable
                                 principals (technique id + shortest path length), safe look-alikes

Every escalation technique is its own small scenario (a principal named after it, `esc-...`),
next to look-alikes (`safe-...`) that must NOT reach admin. README.md explains each one.

Standard library only, deterministic (ids derive from names, dates are fixed). After writing,
the script checks: both files parse, every ARN in expected.json is a principal of the export,
every principal is classified exactly once, and each `steps` equals the shortest path through
the intended edges listed in EDGES below (a hand-written model of the scenarios, not an IAM
evaluator: it checks the expected file is self-consistent, not that a tool agrees).
"""

import hashlib
import json
import os
import sys
from collections import deque

ACCOUNT = "111122223333"
EXTERNAL = "444455556666"
HERE = os.path.dirname(os.path.abspath(__file__))

ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_ACCESS_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def arn(kind, name, path="/"):
    return f"arn:aws:iam::{ACCOUNT}:{kind}{path}{name}"


def user_arn(name, path="/"):
    return arn("user", name, path)


def role_arn(name, path="/"):
    return arn("role", name, path)


def policy_arn(name, path="/"):
    return arn("policy", name, path)


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def unique_id(prefix, name):
    """An IAM unique id: 4-letter prefix + 17 characters (21 in all, as AWS issues them)."""
    digest = hashlib.sha256(f"{prefix}:{name}".encode()).digest()
    return prefix + "".join(ALPHABET[b % 32] for b in digest[:17])


def date(day, hour=9):
    return f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{hour:02d}:00:00+00:00"


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resources, sid=None, condition=None, not_resource=False):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = "Allow"
    s["Action"] = actions
    s["NotResource" if not_resource else "Resource"] = resources
    if condition:
        s["Condition"] = condition
    return s


def deny(actions, resources, sid=None, not_resource=False):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = "Deny"
    s["Action"] = actions
    s["NotResource" if not_resource else "Resource"] = resources
    return s


def trust_service(service):
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def trust_aws(principal):
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"})


def logs_write():
    return allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "*", sid="Logs")


# ---------------------------------------------------------------------------------------------
# Customer managed policies
# ---------------------------------------------------------------------------------------------

MANAGED = {}  # arn -> dict(name, path, versions=[(id, doc, is_default, created)], created, updated)


def managed(name, versions, day, path="/"):
    a = policy_arn(name, path)
    MANAGED[a] = {"name": name, "path": path, "versions": versions, "day": day}
    return a


S3_REPORTS_READ = managed("s3-reports-read", [("v1", doc(allow(["s3:GetObject", "s3:ListBucket"], [
    "arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"], sid="ReadReports")), True)], 3)

POLICY_VERSION_SELF = policy_arn("esc-create-policy-version-policy")
managed("esc-create-policy-version-policy", [("v1", doc(
    allow(["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:CreatePolicyVersion"],
          POLICY_VERSION_SELF, sid="MaintainOwnPolicy"),
    logs_write()), True)], 20)

BOUNDARY_READONLY = managed("boundary-readonly", [("v1", doc(
    allow(["s3:Get*", "s3:List*", "iam:Get*", "iam:List*", "logs:Get*", "logs:Describe*"], "*", sid="ReadOnlyCeiling")), True)], 30)

# Trap: an old, NON-default version allows everything. Only the default version is in force, and
# no principal can call iam:SetDefaultPolicyVersion on it.
OPS_READONLY = managed("ops-readonly", [
    ("v1", doc(allow("*", "*", sid="LegacyEverything")), False),
    ("v2", doc(allow(["ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "logs:Describe*", "logs:Get*"], "*", sid="OpsRead")), True),
], 4)

# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------

GROUPS = [
    {"name": "admins", "day": 1, "attached": [ADMIN_ACCESS], "inline": []},
    {"name": "developers", "day": 2, "attached": [S3_REPORTS_READ], "inline": [
        ("developers-read-logs", doc(allow(["logs:Describe*", "logs:Get*", "logs:FilterLogEvents"], "*", sid="ReadLogs")))]},
]

# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------

USERS = []


def user(name, day, inline=(), attached=(), groups=(), boundary=None, tags=(), path="/"):
    USERS.append({"name": name, "path": path, "day": day, "inline": list(inline), "attached": list(attached),
                  "groups": list(groups), "boundary": boundary, "tags": list(tags)})
    return user_arn(name, path)


def scenario(value):
    return [("roster-example", value)]


ADMIN_USER = user("admin-user", 1, attached=[ADMIN_ACCESS], tags=scenario("admin"))

ESC_PUT_USER_POLICY = user("esc-put-user-policy", 10, tags=scenario("aws.iam.user-policy"), inline=[
    ("manage-own-inline-policies", doc(allow(["iam:GetUserPolicy", "iam:ListUserPolicies", "iam:PutUserPolicy"],
                                             f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}", sid="OwnInlinePolicies")))])
ESC_ATTACH_USER_POLICY = user("esc-attach-user-policy", 11, tags=scenario("aws.iam.user-policy"), inline=[
    ("manage-own-attachments", doc(allow(["iam:ListAttachedUserPolicies", "iam:AttachUserPolicy"],
                                         user_arn("esc-attach-user-policy"), sid="OwnAttachments")))])
ESC_PUT_GROUP_POLICY = user("esc-put-group-policy", 12, groups=["developers"], tags=scenario("aws.iam.group-policy"), inline=[
    ("maintain-developers-group", doc(allow(["iam:GetGroupPolicy", "iam:ListGroupPolicies", "iam:PutGroupPolicy"],
                                            arn("group", "developers"), sid="MaintainDevelopersGroup")))])
ESC_ADD_USER_TO_GROUP = user("esc-add-user-to-group", 13, tags=scenario("aws.iam.add-user-to-group"), inline=[
    ("manage-admins-membership", doc(allow(["iam:GetGroup", "iam:AddUserToGroup"], arn("group", "admins"), sid="ManageAdminsMembership")))])

SAFE_ATTACH_USER_POLICY_BOUNDARY = user(
    "safe-attach-user-policy-boundary", 40, boundary=BOUNDARY_READONLY, tags=scenario("safe"), inline=[
        ("manage-own-attachments", doc(allow(["iam:ListAttachedUserPolicies", "iam:AttachUserPolicy"],
                                             user_arn("safe-attach-user-policy-boundary"), sid="OwnAttachments")))])
METRICS_READER = user("metrics-reader", 5, tags=scenario("ordinary"), inline=[
    ("read-metrics", doc(allow(["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], "*", sid="ReadMetrics")))])
SAFE_PUT_OTHER_USER_POLICY = user("safe-put-other-user-policy", 41, tags=scenario("safe"), inline=[
    ("manage-metrics-reader", doc(allow(["iam:GetUserPolicy", "iam:PutUserPolicy"], METRICS_READER, sid="ManageMetricsReader")))])
REPORT_EXPORTER = user("report-exporter", 6, path="/svc/", attached=[S3_REPORTS_READ], tags=scenario("ordinary"))

# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------

ROLES = []


def role(name, day, trust, inline=(), attached=(), profile=False, boundary=None, tags=(), last_used=None, path="/"):
    ROLES.append({"name": name, "path": path, "day": day, "trust": trust, "inline": list(inline), "attached": list(attached),
                  "profile": profile, "boundary": boundary, "tags": list(tags), "last_used": last_used})
    return role_arn(name, path)


LAMBDA = "lambda.amazonaws.com"
EC2 = "ec2.amazonaws.com"

# Administrators outright.
ADMIN_ROLE = role("admin-role", 1, trust_service(EC2), attached=[ADMIN_ACCESS], tags=scenario("admin"))
ADMIN_ROLE_TRUSTING_ACCOUNT = role("admin-role-trusting-account", 1, trust_aws(f"arn:aws:iam::{ACCOUNT}:root"),
                                   attached=[ADMIN_ACCESS], tags=scenario("admin"))
ADMIN_ROLE_TRUSTING_ARN = role("admin-role-trusting-arn", 1, trust_aws(role_arn("esc-assume-direct")),
                               attached=[ADMIN_ACCESS], tags=scenario("admin"))
EXTERNAL_ADMIN_ROLE = role("external-admin-role", 2, trust_aws(f"arn:aws:iam::{EXTERNAL}:root"),
                           attached=[ADMIN_ACCESS], tags=scenario("admin"))
EC2_ADMIN_ROLE = role("ec2-admin-role", 2, trust_service(EC2), attached=[ADMIN_ACCESS], profile=True, tags=scenario("admin"))
LAMBDA_ADMIN_ROLE = role("lambda-admin-role", 2, trust_service(LAMBDA), attached=[ADMIN_ACCESS], tags=scenario("admin"))
SERVICE_ADMIN = {}
for tech, service, name in [
    ("cloudformation", "cloudformation.amazonaws.com", "cloudformation-admin-role"),
    ("glue", "glue.amazonaws.com", "glue-admin-role"),
    ("sagemaker", "sagemaker.amazonaws.com", "sagemaker-admin-role"),
    ("codebuild", "codebuild.amazonaws.com", "codebuild-admin-role"),
    ("ecs", "ecs-tasks.amazonaws.com", "ecs-task-admin-role"),
    ("datapipeline", "datapipeline.amazonaws.com", "datapipeline-admin-role"),
]:
    SERVICE_ADMIN[tech] = role(name, 3, trust_service(service), attached=[ADMIN_ACCESS], tags=scenario("admin"))

# Ordinary roles, no path anywhere.
HARMLESS_LAMBDA_ROLE = role("harmless-lambda-role", 4, trust_service(LAMBDA), attached=[S3_REPORTS_READ], tags=scenario("ordinary"))
HARMLESS_EC2_ROLE = role("harmless-ec2-role", 4, trust_service(EC2), attached=[S3_REPORTS_READ], tags=scenario("ordinary"))
APP_EC2_READONLY = role("app-ec2-readonly", 5, trust_service(EC2), attached=[S3_REPORTS_READ], profile=True,
                        tags=scenario("ordinary"), last_used=(date(300, 7), "us-east-1"))
APP_LAMBDA_READONLY = role("app-lambda-readonly", 5, trust_service(LAMBDA), attached=[S3_REPORTS_READ],
                           inline=[("logs", doc(logs_write()))], tags=scenario("ordinary"), last_used=(date(301, 3), "eu-west-1"))
OPS_READONLY_ROLE = role("ops-readonly-role", 6, trust_service(EC2), attached=[OPS_READONLY], profile=True, tags=scenario("ordinary"))

# Vulnerable: one technique each.
ESC_CREATE_ACCESS_KEY = role("esc-create-access-key", 10, trust_service(LAMBDA), tags=scenario("aws.iam.create-access-key"), inline=[
    ("rotate-admin-user-keys", doc(allow(["iam:ListAccessKeys", "iam:CreateAccessKey"], ADMIN_USER, sid="RotateAdminUserKeys")))])
ESC_LOGIN_PROFILE = role("esc-login-profile", 10, trust_service(LAMBDA), tags=scenario("aws.iam.login-profile"), inline=[
    ("reset-admin-user-password", doc(allow(["iam:GetLoginProfile", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
                                            ADMIN_USER, sid="ResetAdminUserPassword")))])
ESC_ATTACH_ROLE_POLICY = role("esc-attach-role-policy", 11, trust_service(LAMBDA), tags=scenario("aws.iam.role-policy"), inline=[
    ("manage-own-attachments", doc(allow(["iam:ListAttachedRolePolicies", "iam:AttachRolePolicy"],
                                         role_arn("esc-attach-role-policy"), sid="OwnAttachments")))])
ESC_CREATE_POLICY_VERSION = role("esc-create-policy-version", 11, trust_service(LAMBDA), attached=[POLICY_VERSION_SELF],
                                 tags=scenario("aws.iam.policy-version"))
ESC_UPDATE_ASSUME_ROLE_POLICY = role("esc-update-assume-role-policy", 12, trust_service(LAMBDA),
                                     tags=scenario("aws.iam.update-assume-role-policy"), inline=[
    ("maintain-admin-role-trust", doc(allow(["iam:GetRole", "iam:UpdateAssumeRolePolicy"], ADMIN_ROLE, sid="MaintainAdminRoleTrust")))])
ESC_ASSUME = role("esc-assume", 12, trust_service(LAMBDA), tags=scenario("aws.sts.assume-role"), inline=[
    ("assume-admin", doc(allow("sts:AssumeRole", ADMIN_ROLE_TRUSTING_ACCOUNT, sid="AssumeAdmin")))])
ESC_ASSUME_DIRECT = role("esc-assume-direct", 12, trust_service(LAMBDA), tags=scenario("aws.sts.assume-role"), inline=[
    ("logs", doc(logs_write()))])

CHAIN_MIDDLE = role("chain-middle", 13, trust_aws(role_arn("chain-start")), tags=scenario("aws.iam.create-access-key"), inline=[
    ("rotate-admin-user-keys", doc(allow("iam:CreateAccessKey", ADMIN_USER, sid="RotateAdminUserKeys")))])
CHAIN_START = role("chain-start", 13, trust_service(LAMBDA), tags=scenario("aws.sts.assume-role"), inline=[
    ("assume-chain-middle", doc(allow("sts:AssumeRole", CHAIN_MIDDLE, sid="AssumeChainMiddle")))])

PASS_ROLE = {}


def pass_role_scenario(tech, target, service_actions, day):
    name = f"esc-pass-role-{tech}"
    PASS_ROLE[tech] = role(name, day, trust_service(LAMBDA), tags=scenario(f"aws.pass-role.{tech}"), inline=[
        (f"deploy-{tech}", doc(
            allow(["iam:GetRole", "iam:PassRole"], target, sid="PassDeployRole"),
            allow(service_actions, "*", sid="Deploy")))])


pass_role_scenario("ec2", EC2_ADMIN_ROLE, ["ec2:RunInstances", "ec2:DescribeInstances"], 14)
pass_role_scenario("lambda", LAMBDA_ADMIN_ROLE, ["lambda:CreateFunction", "lambda:InvokeFunction"], 14)
pass_role_scenario("lambda-event-source", LAMBDA_ADMIN_ROLE, ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"], 14)
pass_role_scenario("cloudformation", SERVICE_ADMIN["cloudformation"], ["cloudformation:CreateStack", "cloudformation:DescribeStacks"], 15)
pass_role_scenario("glue", SERVICE_ADMIN["glue"], ["glue:CreateDevEndpoint", "glue:GetDevEndpoint"], 15)
pass_role_scenario("sagemaker", SERVICE_ADMIN["sagemaker"], ["sagemaker:CreateNotebookInstance",
                                                            "sagemaker:CreatePresignedNotebookInstanceUrl"], 15)
pass_role_scenario("codebuild", SERVICE_ADMIN["codebuild"], ["codebuild:CreateProject", "codebuild:StartBuild"], 16)
pass_role_scenario("ecs", SERVICE_ADMIN["ecs"], ["ecs:RegisterTaskDefinition", "ecs:RunTask"], 16)
pass_role_scenario("datapipeline", SERVICE_ADMIN["datapipeline"], ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition",
                                                                  "datapipeline:ActivatePipeline"], 16)
pass_role_scenario("autoscaling", EC2_ADMIN_ROLE, ["autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"], 17)

# Safe look-alikes.
SAFE_PASS_ROLE_HARMLESS = role("safe-pass-role-harmless", 40, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("deploy-lambda", doc(
        allow(["iam:GetRole", "iam:PassRole"], HARMLESS_LAMBDA_ROLE, sid="PassHarmlessRole"),
        allow(["lambda:CreateFunction", "lambda:InvokeFunction"], "*", sid="Deploy")))])
SAFE_PASS_ROLE_WRONG_SERVICE = role("safe-pass-role-wrong-service", 40, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("deploy-lambda", doc(
        allow("iam:PassRole", LAMBDA_ADMIN_ROLE, sid="PassOnlyToEC2",
              condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
        allow(["lambda:CreateFunction", "lambda:InvokeFunction"], "*", sid="Deploy")))])
SAFE_CREATE_ACCESS_KEY_DENIED = role("safe-create-access-key-denied", 41, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("rotate-service-user-keys", doc(
        allow(["iam:ListAccessKeys", "iam:CreateAccessKey"], "*", sid="RotateKeys"),
        deny("iam:CreateAccessKey", ADMIN_USER, sid="NeverAdminUser"),
        deny("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/svc/*", sid="OnlyServiceUsers", not_resource=True)))])
SAFE_UPDATE_ASSUME_ROLE_POLICY = role("safe-update-assume-role-policy-harmless", 41, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("maintain-harmless-trust", doc(allow(["iam:GetRole", "iam:UpdateAssumeRolePolicy"], HARMLESS_EC2_ROLE, sid="MaintainHarmlessTrust")))])
SAFE_ASSUME_EXTERNAL_ONLY_TRUST = role("safe-assume-external-only-trust", 42, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("assume-external-admin", doc(allow("sts:AssumeRole", EXTERNAL_ADMIN_ROLE, sid="AssumeExternalAdmin")))])
SAFE_ASSUME_NO_IDENTITY_ALLOW = role("safe-assume-no-identity-allow", 42, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("inspect-admin-role", doc(
        allow("iam:GetRole", ADMIN_ROLE_TRUSTING_ACCOUNT, sid="InspectAdminRole"),
        allow("sts:GetCallerIdentity", "*", sid="WhoAmI")))])
SAFE_ASSUME_MFA_CONDITION = role("safe-assume-mfa-condition", 43, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("assume-admin-with-mfa", doc(allow("sts:AssumeRole", ADMIN_ROLE_TRUSTING_ACCOUNT, sid="AssumeAdminWithMFA",
                                        condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})))])
SAFE_SECRETS_READER = role("safe-secrets-reader", 43, trust_service(LAMBDA), tags=scenario("safe"), inline=[
    ("read-all-secrets", doc(allow(["secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"], "*", sid="ReadAllSecrets")))])

# ---------------------------------------------------------------------------------------------
# Expected results
# ---------------------------------------------------------------------------------------------

ADMINS = [ADMIN_USER, ADMIN_ROLE, ADMIN_ROLE_TRUSTING_ACCOUNT, ADMIN_ROLE_TRUSTING_ARN, EXTERNAL_ADMIN_ROLE,
          EC2_ADMIN_ROLE, LAMBDA_ADMIN_ROLE] + list(SERVICE_ADMIN.values())

VULNERABLE = [  # principal, technique (the first step of its shortest path), steps
    (ESC_CREATE_ACCESS_KEY, "aws.iam.create-access-key", 2),
    (ESC_LOGIN_PROFILE, "aws.iam.login-profile", 2),
    (ESC_PUT_USER_POLICY, "aws.iam.user-policy", 1),
    (ESC_ATTACH_USER_POLICY, "aws.iam.user-policy", 1),
    (ESC_PUT_GROUP_POLICY, "aws.iam.group-policy", 1),
    (ESC_ATTACH_ROLE_POLICY, "aws.iam.role-policy", 1),
    (ESC_CREATE_POLICY_VERSION, "aws.iam.policy-version", 1),
    (ESC_ADD_USER_TO_GROUP, "aws.iam.add-user-to-group", 1),
    (ESC_UPDATE_ASSUME_ROLE_POLICY, "aws.iam.update-assume-role-policy", 2),
    (ESC_ASSUME, "aws.sts.assume-role", 2),
    (ESC_ASSUME_DIRECT, "aws.sts.assume-role", 2),
] + [(PASS_ROLE[t], f"aws.pass-role.{t}", 2) for t in PASS_ROLE] + [
    (CHAIN_MIDDLE, "aws.iam.create-access-key", 2),
    (CHAIN_START, "aws.sts.assume-role", 3),
]

SAFE = [
    (SAFE_PASS_ROLE_HARMLESS, "iam:PassRole only on harmless-lambda-role (S3 read-only): the Lambda edge leads to a non-admin role"),
    (SAFE_PASS_ROLE_WRONG_SERVICE, "iam:PassRole on lambda-admin-role only when iam:PassedToService is ec2.amazonaws.com; it has only "
     "Lambda actions, and lambda-admin-role neither trusts EC2 nor has an instance profile"),
    (SAFE_CREATE_ACCESS_KEY_DENIED, "iam:CreateAccessKey on * is cut by an explicit Deny on admin-user and a Deny on every user "
     "outside /svc/; the only /svc/ user, report-exporter, is read-only"),
    (SAFE_ATTACH_USER_POLICY_BOUNDARY, "iam:AttachUserPolicy on itself, but its permissions boundary boundary-readonly does not allow "
     "iam:AttachUserPolicy (and would cap any policy it attached)"),
    (SAFE_UPDATE_ASSUME_ROLE_POLICY, "iam:UpdateAssumeRolePolicy only on harmless-ec2-role (S3 read-only)"),
    (SAFE_ASSUME_EXTERNAL_ONLY_TRUST, "its policy allows sts:AssumeRole on external-admin-role, but that role's trust admits only "
     f"account {EXTERNAL}; a role's trust policy must admit the caller"),
    (SAFE_ASSUME_NO_IDENTITY_ALLOW, "admin-role-trusting-account trusts the account root, which delegates to IAM policies, and "
     "no policy of this role allows sts:AssumeRole"),
    (SAFE_ASSUME_MFA_CONDITION, "sts:AssumeRole on admin-role-trusting-account only with aws:MultiFactorAuthPresent true; it is a "
     "role assumed by Lambda, whose sessions never carry MFA"),
    (SAFE_PUT_OTHER_USER_POLICY, "iam:PutUserPolicy only on metrics-reader, another user it cannot act as (no access key or "
     "login profile permission), not on itself"),
    (SAFE_SECRETS_READER, "secretsmanager:GetSecretValue on *: sensitive, but no IAM, STS or PassRole permission"),
    (HARMLESS_LAMBDA_ROLE, "ordinary: S3 read-only"),
    (HARMLESS_EC2_ROLE, "ordinary: S3 read-only"),
    (APP_EC2_READONLY, "ordinary: S3 read-only, instance profile"),
    (APP_LAMBDA_READONLY, "ordinary: S3 read-only and logs"),
    (OPS_READONLY_ROLE, "ordinary: ops-readonly's default version v2 is read-only; the non-default v1 (Allow * on *) is not in force"),
    (METRICS_READER, "ordinary: CloudWatch read-only"),
    (REPORT_EXPORTER, "ordinary: S3 read-only (safe-create-access-key-denied may create keys for it)"),
]

ADMIN_NODE = "admin"
# The intended edges of the scenarios (source -> target), for the steps check.
EDGES = [(a, ADMIN_NODE) for a in ADMINS] + [
    (ESC_CREATE_ACCESS_KEY, ADMIN_USER),
    (ESC_LOGIN_PROFILE, ADMIN_USER),
    (ESC_PUT_USER_POLICY, ADMIN_NODE),
    (ESC_ATTACH_USER_POLICY, ADMIN_NODE),
    (ESC_PUT_GROUP_POLICY, ADMIN_NODE),
    (ESC_ATTACH_ROLE_POLICY, ADMIN_NODE),
    (ESC_CREATE_POLICY_VERSION, ADMIN_NODE),
    (ESC_ADD_USER_TO_GROUP, ADMIN_NODE),
    (ESC_UPDATE_ASSUME_ROLE_POLICY, ADMIN_ROLE),
    (ESC_ASSUME, ADMIN_ROLE_TRUSTING_ACCOUNT),
    (ESC_ASSUME_DIRECT, ADMIN_ROLE_TRUSTING_ARN),
    (PASS_ROLE["ec2"], EC2_ADMIN_ROLE),
    (PASS_ROLE["autoscaling"], EC2_ADMIN_ROLE),
    (PASS_ROLE["lambda"], LAMBDA_ADMIN_ROLE),
    (PASS_ROLE["lambda-event-source"], LAMBDA_ADMIN_ROLE),
    (CHAIN_START, CHAIN_MIDDLE),
    (CHAIN_MIDDLE, ADMIN_USER),
    # Non-admin edges the look-alikes do have.
    (SAFE_PASS_ROLE_HARMLESS, HARMLESS_LAMBDA_ROLE),
    (SAFE_CREATE_ACCESS_KEY_DENIED, REPORT_EXPORTER),
    (SAFE_UPDATE_ASSUME_ROLE_POLICY, HARMLESS_EC2_ROLE),
] + [(PASS_ROLE[t], SERVICE_ADMIN[t]) for t in SERVICE_ADMIN]

# ---------------------------------------------------------------------------------------------
# Rendering in the CLI's shape
# ---------------------------------------------------------------------------------------------


def attached_list(arns):
    return [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in arns]


def inline_list(items):
    return [{"PolicyName": n, "PolicyDocument": d} for n, d in items]


def tag_list(items):
    return [{"Key": k, "Value": v} for k, v in items]


def boundary(a):
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": a}


def render_user(u):
    out = {
        "Path": u["path"],
        "UserName": u["name"],
        "UserId": unique_id("AIDA", u["name"]),
        "Arn": user_arn(u["name"], u["path"]),
        "CreateDate": date(u["day"]),
        "UserPolicyList": inline_list(u["inline"]),
        "GroupList": u["groups"],
        "AttachedManagedPolicies": attached_list(u["attached"]),
    }
    if u["boundary"]:
        out["PermissionsBoundary"] = boundary(u["boundary"])
    out["Tags"] = tag_list(u["tags"])
    return out


def render_group(g):
    return {
        "Path": "/",
        "GroupName": g["name"],
        "GroupId": unique_id("AGPA", g["name"]),
        "Arn": arn("group", g["name"]),
        "CreateDate": date(g["day"]),
        "GroupPolicyList": inline_list(g["inline"]),
        "AttachedManagedPolicies": attached_list(g["attached"]),
    }


def role_summary(r):
    return {
        "Path": r["path"],
        "RoleName": r["name"],
        "RoleId": unique_id("AROA", r["name"]),
        "Arn": role_arn(r["name"], r["path"]),
        "CreateDate": date(r["day"]),
        "AssumeRolePolicyDocument": r["trust"],
    }


def render_role(r):
    out = role_summary(r)
    profiles = []
    if r["profile"]:
        name = r["name"].removesuffix("-role") + "-profile"
        profiles.append({
            "Path": "/",
            "InstanceProfileName": name,
            "InstanceProfileId": unique_id("AIPA", name),
            "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{name}",
            "CreateDate": date(r["day"], 10),
            "Roles": [role_summary(r)],
        })
    out["InstanceProfileList"] = profiles
    out["RolePolicyList"] = inline_list(r["inline"])
    out["AttachedManagedPolicies"] = attached_list(r["attached"])
    if r["boundary"]:
        out["PermissionsBoundary"] = boundary(r["boundary"])
    out["Tags"] = tag_list(r["tags"])
    out["RoleLastUsed"] = {"LastUsedDate": r["last_used"][0], "Region": r["last_used"][1]} if r["last_used"] else {}
    return out


def render_policies():
    principals = USERS + ROLES + GROUPS
    attachments = {}
    boundaries = {}
    for p in principals:
        for a in p["attached"]:
            attachments[a] = attachments.get(a, 0) + 1
        if p.get("boundary"):
            boundaries[p["boundary"]] = boundaries.get(p["boundary"], 0) + 1
    out = [{
        "PolicyName": "AdministratorAccess",
        "PolicyId": "ANPAIWMBCKSKIEE64ZLYK",
        "Arn": ADMIN_ACCESS,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": attachments.get(ADMIN_ACCESS, 0),
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": "2015-02-06T18:39:46+00:00",
        "UpdateDate": "2015-02-06T18:39:46+00:00",
        "PolicyVersionList": [{"Document": ADMIN_ACCESS_DOC, "VersionId": "v1", "IsDefaultVersion": True,
                               "CreateDate": "2015-02-06T18:39:46+00:00"}],
    }]
    for a, m in MANAGED.items():
        versions = [{"Document": d, "VersionId": v, "IsDefaultVersion": default, "CreateDate": date(m["day"] + 30 * i, 11)}
                    for i, (v, d, default) in enumerate(m["versions"])]
        default_id = next(v for v, _, default in m["versions"] if default)
        out.append({
            "PolicyName": m["name"],
            "PolicyId": unique_id("ANPA", m["name"]),
            "Arn": a,
            "Path": m["path"],
            "DefaultVersionId": default_id,
            "AttachmentCount": attachments.get(a, 0),
            "PermissionsBoundaryUsageCount": boundaries.get(a, 0),
            "IsAttachable": True,
            "CreateDate": versions[0]["CreateDate"],
            "UpdateDate": versions[-1]["CreateDate"],
            "PolicyVersionList": versions,  # oldest first: ops-readonly lists its non-default v1 before v2
        })
    return out


def build():
    return {
        "UserDetailList": [render_user(u) for u in USERS],
        "GroupDetailList": [render_group(g) for g in GROUPS],
        "RoleDetailList": [render_role(r) for r in ROLES],
        "Policies": render_policies(),
    }


def expected():
    return {
        "account": ACCOUNT,
        "admins": ADMINS,
        "vulnerable": [{"principal": p, "technique": t, "reachesAdmin": True, "steps": s} for p, t, s in VULNERABLE],
        "safe": [{"principal": p, "why": w} for p, w in SAFE],
    }


def shortest(edges, source):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    seen, queue = {source: 0}, deque([source])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, []):
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                queue.append(nxt)
    return seen.get(ADMIN_NODE)


def check(details_path, expected_path):
    with open(details_path) as f:
        details = json.load(f)
    with open(expected_path) as f:
        exp = json.load(f)
    principals = [u["Arn"] for u in details["UserDetailList"]] + [r["Arn"] for r in details["RoleDetailList"]]
    assert len(principals) == len(set(principals)), "duplicate principal ARN"
    classified = exp["admins"] + [v["principal"] for v in exp["vulnerable"]] + [s["principal"] for s in exp["safe"]]
    missing = [a for a in classified if a not in principals]
    assert not missing, f"ARNs in expected.json that are not principals of the export: {missing}"
    assert len(classified) == len(set(classified)), "a principal is classified twice"
    unclassified = set(principals) - set(classified)
    assert not unclassified, f"principals not classified: {sorted(unclassified)}"
    for a in exp["admins"]:
        assert shortest(EDGES, a) == 1, a
    for v in exp["vulnerable"]:
        assert shortest(EDGES, v["principal"]) == v["steps"], (v, shortest(EDGES, v["principal"]))
    for s in exp["safe"]:
        assert shortest(EDGES, s["principal"]) is None, s
    # Every managed policy referenced exists in Policies; ids have AWS's prefixes and length.
    policies = {p["Arn"] for p in details["Policies"]}
    for entity in details["UserDetailList"] + details["GroupDetailList"] + details["RoleDetailList"]:
        for a in entity["AttachedManagedPolicies"]:
            assert a["PolicyArn"] in policies, a
        if "PermissionsBoundary" in entity:
            assert entity["PermissionsBoundary"]["PermissionsBoundaryArn"] in policies
    for u in details["UserDetailList"]:
        assert u["UserId"].startswith("AIDA") and len(u["UserId"]) == 21
    for r in details["RoleDetailList"]:
        assert r["RoleId"].startswith("AROA") and len(r["RoleId"]) == 21
        for p in r["InstanceProfileList"]:
            assert p["InstanceProfileId"].startswith("AIPA") and len(p["InstanceProfileId"]) == 21
    for p in details["Policies"]:
        assert p["PolicyId"].startswith("ANPA") and len(p["PolicyId"]) == 21
    return len(principals), len(exp["admins"]), len(exp["vulnerable"]), len(exp["safe"])


def main():
    details_path = os.path.join(HERE, "authorization-details.json")
    expected_path = os.path.join(HERE, "expected.json")
    with open(details_path, "w") as f:
        json.dump(build(), f, indent=4)
        f.write("\n")
    with open(expected_path, "w") as f:
        json.dump(expected(), f, indent=2)
        f.write("\n")
    total, admins, vulnerable, safe = check(details_path, expected_path)
    print(f"wrote {details_path} and {expected_path}: {total} principals = {admins} admins + {vulnerable} vulnerable + {safe} safe")


if __name__ == "__main__":
    sys.exit(main())

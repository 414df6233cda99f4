#!/usr/bin/env python3
"""Generate the bundled "acme-prod" example estate (AWS account 210987654321).

    python3 examples/generate_acme.py          # from the repository root

Writes examples/aws-acme/ (overwriting whatever is there), each file in the shape
the AWS CLI v2 prints with `--output json`:

    authorization-details.json            aws iam get-account-authorization-details
    credential-report.json                aws iam get-credential-report  (Content = base64 CSV)
    access-keys/<UserName>.json           aws iam list-access-keys --user-name <UserName>
    access-key-last-used/<KeyId>.json     aws iam get-access-key-last-used --access-key-id <KeyId>

Standard library only, fully deterministic (seeded random, fixed dates). "Now" is the
credential report's GeneratedTime, 2026-11-20T08:00:00Z; every date is computed as
"N days before now".

Which identity demonstrates what
================================

HUMANS (console password + MFA; human admins are fine for this tool)
    alice.nguyen, bob.martinez, liam.walsh   Admins group (AdministratorAccess) + ForceMFA
    carol.smith ... jun.tanaka               Developers group (PowerUserAccess + extras)
    grace.liu, kate.obrien                   ReadOnly group; henry.okafor ReadOnly + Billing
    maria.garcia                             new joiner: password never used (no_information)
    carol.smith                              human with a CLI access key (recent, used)
    AWSReservedSSO_*                         IAM Identity Center (SSO) roles: human roles

HEALTHY NHIs
    svc-billing-exporter, svc-log-shipper, svc-backup-agent, svc-metrics-collector,
    svc-ses-mailer, svc-orders-consumer, svc-dns-updater, svc-ecr-pusher,
    svc-cdn-purger, svc-snowflake-loader, svc-secrets-rotator, sentry-sourcemaps-uploader
                                             users: no password, one active key < 60 days old
                                             used in the last days, least-privilege customer
                                             policies, owner + env tags
    svc-report-generator                     healthy, plus an old *Inactive* key (not a
                                             rotation problem)
    svc-data-pipeline                        AdministratorAccess attached BUT permissions
                                             boundary acme-boundary-s3-logs (s3:*, logs:*)
    svc-artifact-reader                      inline Allow * on * plus Deny NotAction
                                             s3:GetObject on * (effectively read-only)
    app-web-ec2, batch-worker-ec2            EC2 roles with instance profiles, used today
    lambda-*, ecs-task-*, ecsTaskExecutionRole, codebuild-web-app, sfn-order-workflow,
    firehose-app-logs-delivery, glue-datalake-crawler
                                             service roles trusted by AWS services, used recently
    github-actions-web-app-deploy            GitHub OIDC: aud + sub repo:acme/web-app:ref:refs/heads/main
    github-actions-infra-plan                GitHub OIDC: aud + StringLike sub repo:acme/infra:*
    eks-payments-api                         EKS IRSA: StringEquals :sub system:serviceaccount:payments:payments-api + :aud
    partner-cloudhealth-readonly             cross-account, known partner 444455556666, sts:ExternalId
    org-audit-readonly                       Principal {"AWS":"*"} + aws:PrincipalOrgID o-a1b2c3d4e5
    AWSServiceRoleFor*                       service-linked roles (/aws-service-role/...)

RISKY NHIs
    ci-deploy                                active key 430 days old, never rotated, still used
    svc-tableau-export                       key created 200 days ago, never used
    svc-payments-sync                        two active keys (rotation left half done)
    terraform-runner                         AdministratorAccess attached directly
    deploy-bot                               admin via membership of the Admins group
    svc-migration-tool                       inline Allow "*" on "*"; env tag only (no owner)
    jenkins-deploy                           console password, no MFA, active key used by automation
    svc-old-crawler                          unused: key last used 150 days ago; no tags at all
    svc-vendor-sftp                          otherwise healthy, but no tags (missing owner)
    legacy-reporting-role                    RoleLastUsed 200 days ago
    tmp-debug-role                           never used (RoleLastUsed {}), created 365 days ago; no tags
    data-share-public                        trusts Principal "*" with no condition; no tags
    contractor-access                        trusts arn:aws:iam::999988887777:root, no ExternalId; no owner
    github-actions-deploy-legacy             GitHub OIDC with only the aud condition (no sub)
    github-actions-shared                    GitHub OIDC with StringLike sub "repo:*"
    eks-orders-worker                        EKS IRSA with only the aud condition
    lambda-ops-automation                    service role with AdministratorAccess attached
    <root_account>                           root has an active access key, used 30 days ago

JUDGEMENT CALL (realistic, not a planted case)
    OrganizationAccountAccessRole            the standard AWS Organizations role: AdministratorAccess,
                                             trusts the management account 111122223333 (no ExternalId)
"""

import base64
import json
import os
import random
import shutil
from datetime import datetime, timedelta, timezone

ACCOUNT = "210987654321"
NOW = datetime(2026, 11, 20, 8, 0, 0, tzinfo=timezone.utc)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "aws-acme")

rng = random.Random(210987654321)

# IAM unique ids / access key ids use upper-case letters and the digits 2-7.
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_seen_ids = set()


def unique_id(prefix, length=17):
    """AWS-style unique id: AIDA/AROA/AGPA/ANPA/AIPA + 17 chars (21 in all), AKIA + 16."""
    while True:
        value = prefix + "".join(rng.choice(ID_ALPHABET) for _ in range(length))
        if value not in _seen_ids:
            _seen_ids.add(value)
            return value


def ago(days, max_jitter_hours=6):
    """A datetime `days` days before NOW, minus a random part of a few hours (never after NOW)."""
    jitter = rng.randint(60, max_jitter_hours * 3600)
    return (NOW - timedelta(days=days, seconds=jitter)).replace(microsecond=0)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fixed(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resources="*", **extra):
    st = {"Effect": "Allow", "Action": actions, "Resource": resources}
    st.update(extra)
    return st


# ---------------------------------------------------------------------------
# Managed policies
# ---------------------------------------------------------------------------

POLICIES = {}  # arn -> record


def aws_policy(name, policy_id, path, created, updated, version, document, previous=None):
    arn = "arn:aws:iam::aws:policy%s%s" % (path, name)
    versions = [{"Document": document, "VersionId": version, "IsDefaultVersion": True,
                 "CreateDate": updated}]
    if previous:
        prev_doc, prev_version, prev_date = previous
        versions.append({"Document": prev_doc, "VersionId": prev_version,
                         "IsDefaultVersion": False, "CreateDate": prev_date})
    POLICIES[arn] = {"PolicyName": name, "PolicyId": policy_id, "Arn": arn, "Path": path,
                     "DefaultVersionId": version, "CreateDate": created, "UpdateDate": updated,
                     "PolicyVersionList": versions}
    return arn


def customer_policy(name, document, created_days, path="/", older_versions=()):
    """older_versions: list of (document, days_ago) for non-default versions, oldest first."""
    arn = "arn:aws:iam::%s:policy%s%s" % (ACCOUNT, path, name)
    created = ago(created_days)
    history = [(d, ago(days)) for d, days in older_versions]
    history = [(d, max(t, created)) for d, t in history]
    if older_versions:
        updated = ago(max(1, older_versions[-1][1] - rng.randint(20, 60)))
    else:
        updated = created
    history.append((document, updated))
    history[0] = (history[0][0], created)
    default_id = "v%d" % len(history)
    versions = []
    for index in range(len(history), 0, -1):  # AWS lists the newest version first
        d, when = history[index - 1]
        versions.append({"Document": d, "VersionId": "v%d" % index,
                         "IsDefaultVersion": index == len(history), "CreateDate": iso(when)})
    POLICIES[arn] = {"PolicyName": name, "PolicyId": unique_id("ANPA"), "Arn": arn, "Path": path,
                     "DefaultVersionId": default_id, "CreateDate": iso(created),
                     "UpdateDate": iso(updated), "PolicyVersionList": versions}
    return arn


ADMIN = aws_policy(
    "AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "/",
    "2015-02-06T18:39:46+00:00", "2015-02-06T18:39:46+00:00", "v1",
    doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))

READ_ONLY_ACTIONS = [
    "access-analyzer:GetAnalyzer", "access-analyzer:List*", "acm:Describe*", "acm:Get*",
    "acm:List*", "apigateway:GET", "application-autoscaling:Describe*", "athena:Get*",
    "athena:List*", "autoscaling:Describe*", "backup:Describe*", "backup:Get*", "backup:List*",
    "cloudformation:Describe*", "cloudformation:Detect*", "cloudformation:Get*",
    "cloudformation:List*", "cloudfront:Describe*", "cloudfront:Get*", "cloudfront:List*",
    "cloudtrail:Describe*", "cloudtrail:Get*", "cloudtrail:List*", "cloudtrail:LookupEvents",
    "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "codebuild:BatchGet*",
    "codebuild:List*", "config:Describe*", "config:Get*", "config:List*", "dynamodb:BatchGet*",
    "dynamodb:Describe*", "dynamodb:Get*", "dynamodb:List*", "dynamodb:Query", "dynamodb:Scan",
    "ec2:Describe*", "ec2:Get*", "ecr:BatchCheck*", "ecr:BatchGet*", "ecr:Describe*", "ecr:Get*",
    "ecr:List*", "ecs:Describe*", "ecs:List*", "eks:Describe*", "eks:List*",
    "elasticache:Describe*", "elasticache:List*", "elasticloadbalancing:Describe*",
    "events:Describe*", "events:List*", "firehose:Describe*", "firehose:List*", "glue:Get*",
    "glue:List*", "guardduty:Get*", "guardduty:List*", "iam:Generate*", "iam:Get*", "iam:List*",
    "iam:Simulate*", "kinesis:Describe*", "kinesis:Get*", "kinesis:List*", "kms:Describe*",
    "kms:Get*", "kms:List*", "lambda:Get*", "lambda:List*", "logs:Describe*",
    "logs:FilterLogEvents", "logs:Get*", "logs:ListTagsForResource", "logs:StartQuery",
    "logs:StopQuery", "logs:TestMetricFilter", "organizations:Describe*", "organizations:List*",
    "rds:Describe*", "rds:List*", "route53:Get*", "route53:List*", "route53:Test*",
    "s3:DescribeJob", "s3:Get*", "s3:List*", "secretsmanager:Describe*",
    "secretsmanager:GetResourcePolicy", "secretsmanager:List*", "ses:Describe*", "ses:Get*",
    "ses:List*", "sns:Check*", "sns:Get*", "sns:List*", "sqs:Get*", "sqs:List*",
    "sqs:Receive*", "ssm:Describe*", "ssm:Get*", "ssm:List*", "states:Describe*",
    "states:GetExecutionHistory", "states:List*", "sts:GetCallerIdentity",
    "sts:GetSessionToken", "tag:Get*", "trustedadvisor:Describe*", "waf:Get*", "waf:List*",
    "wafv2:Describe*", "wafv2:Get*", "wafv2:List*",
]
READ_ONLY = aws_policy(
    "ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "/",
    "2015-02-06T18:39:48+00:00", "2026-09-24T17:05:11+00:00", "v131",
    doc({"Sid": "ReadOnlyActions", "Effect": "Allow", "Action": READ_ONLY_ACTIONS,
         "Resource": "*"}),
    previous=(doc({"Sid": "ReadOnlyActions", "Effect": "Allow",
                   "Action": [a for a in READ_ONLY_ACTIONS if not a.startswith("wafv2:")],
                   "Resource": "*"}), "v130", "2026-07-15T16:40:02+00:00"))

POWER_USER = aws_policy(
    "PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS", "/",
    "2015-02-06T18:39:47+00:00", "2023-07-06T22:04:00+00:00", "v5",
    doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"],
         "Resource": "*"},
        {"Effect": "Allow",
         "Action": ["account:GetAccountInformation", "account:GetPrimaryEmail",
                    "account:ListRegions", "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                    "organizations:DescribeOrganization"],
         "Resource": "*"}))

S3_READ_ONLY = aws_policy(
    "AmazonS3ReadOnlyAccess", "ANPAIZTJ4DXE7G6AGAE6M", "/",
    "2015-02-06T18:40:59+00:00", "2023-08-10T21:31:39+00:00", "v3",
    doc({"Effect": "Allow",
         "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*",
                    "s3-object-lambda:List*"],
         "Resource": "*"}))

LAMBDA_BASIC = aws_policy(
    "AWSLambdaBasicExecutionRole", "ANPAJNCQGXC42545SKXIK", "/service-role/",
    "2015-04-09T15:03:43+00:00", "2015-04-09T15:03:43+00:00", "v1",
    doc({"Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": "*"}))

ECS_TASK_EXEC = aws_policy(
    "AmazonECSTaskExecutionRolePolicy", "ANPAJG4T4G4PV56DE72PY", "/service-role/",
    "2017-11-16T18:48:22+00:00", "2017-11-16T18:48:22+00:00", "v1",
    doc({"Effect": "Allow",
         "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream",
                    "logs:PutLogEvents"],
         "Resource": "*"}))

SSM_CORE = aws_policy(
    "AmazonSSMManagedInstanceCore", "ANPAIXSHM2BNB2D3AXXRU", "/",
    "2019-03-15T17:22:12+00:00", "2019-05-23T16:54:21+00:00", "v2",
    doc({"Effect": "Allow",
         "Action": ["ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance",
                    "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest",
                    "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations",
                    "ssm:ListInstanceAssociations", "ssm:PutInventory",
                    "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult",
                    "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
                    "ssm:UpdateInstanceInformation"],
         "Resource": "*"},
        {"Effect": "Allow",
         "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
         "Resource": "*"},
        {"Effect": "Allow",
         "Action": ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage",
                    "ec2messages:FailMessage", "ec2messages:GetEndpoint",
                    "ec2messages:GetMessages", "ec2messages:SendReply"],
         "Resource": "*"}))

SUPPORT_SLR = aws_policy(
    "AWSSupportServiceRolePolicy", "ANPAJ7W6266ELXF5MISDS", "/aws-service-role/",
    "2018-04-19T18:04:44+00:00", "2026-06-12T19:20:31+00:00", "v41",
    doc({"Sid": "AWSSupportActions", "Effect": "Allow",
         "Action": ["acm:DescribeCertificate", "acm:ListCertificates", "apigateway:GET",
                    "autoscaling:Describe*", "cloudformation:DescribeStacks",
                    "cloudformation:ListStackResources", "cloudfront:ListDistributions",
                    "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "cloudwatch:DescribeAlarms", "cloudwatch:GetMetricStatistics",
                    "dynamodb:DescribeTable", "ec2:Describe*", "ecs:Describe*", "ecs:List*",
                    "eks:DescribeCluster", "elasticloadbalancing:Describe*",
                    "iam:GetAccountSummary", "iam:ListAccountAliases", "iam:ListRoles",
                    "lambda:GetFunction", "lambda:ListFunctions", "rds:Describe*",
                    "route53:GetHostedZone", "route53:ListHostedZones",
                    "s3:GetBucketLocation", "s3:GetBucketPolicyStatus", "s3:ListAllMyBuckets",
                    "sqs:GetQueueAttributes", "sqs:ListQueues"],
         "Resource": "*"}))

AUTOSCALING_SLR = aws_policy(
    "AutoScalingServiceRolePolicy", "ANPAJ5JQ3ZLUDJSF3L5X6", "/aws-service-role/",
    "2018-01-08T23:10:55+00:00", "2024-02-15T18:27:41+00:00", "v10",
    doc({"Sid": "EC2InstanceManagement", "Effect": "Allow",
         "Action": ["ec2:AttachClassicLinkVpc", "ec2:CancelSpotInstanceRequests",
                    "ec2:CreateFleet", "ec2:CreateTags", "ec2:DeleteTags", "ec2:Describe*",
                    "ec2:DetachClassicLinkVpc", "ec2:GetInstanceTypesFromInstanceRequirements",
                    "ec2:GetSecurityGroupsForVpc", "ec2:ModifyInstanceAttribute",
                    "ec2:RequestSpotInstances", "ec2:RunInstances", "ec2:StartInstances",
                    "ec2:StopInstances", "ec2:TerminateInstances"],
         "Resource": "*"},
        {"Sid": "EC2InstanceProfileManagement", "Effect": "Allow", "Action": ["iam:PassRole"],
         "Resource": "*",
         "Condition": {"StringLike": {"iam:PassedToService": "ec2.amazonaws.com*"}}},
        {"Sid": "ELBManagement", "Effect": "Allow",
         "Action": ["elasticloadbalancing:Register*", "elasticloadbalancing:Deregister*",
                    "elasticloadbalancing:Describe*"],
         "Resource": "*"},
        {"Sid": "CWManagement", "Effect": "Allow",
         "Action": ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms",
                    "cloudwatch:GetMetricData", "cloudwatch:PutMetricAlarm"],
         "Resource": "*"},
        {"Sid": "SNSManagement", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"}))

ELB_SLR = aws_policy(
    "AWSElasticLoadBalancingServiceRolePolicy", "ANPAIMHWGGSRHLOQUICJQ", "/aws-service-role/",
    "2017-09-19T22:19:04+00:00", "2024-06-27T16:21:58+00:00", "v11",
    doc({"Effect": "Allow",
         "Action": ["ec2:DescribeAddresses", "ec2:DescribeInstances", "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
                    "ec2:DescribeInternetGateways", "ec2:DescribeAccountAttributes",
                    "ec2:DescribeClassicLinkInstances", "ec2:DescribeVpcClassicLink",
                    "ec2:CreateSecurityGroup", "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute",
                    "ec2:AuthorizeSecurityGroupIngress", "ec2:AssociateAddress",
                    "ec2:DisassociateAddress", "ec2:AttachNetworkInterface",
                    "ec2:DetachNetworkInterface", "ec2:AssignPrivateIpAddresses",
                    "ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses",
                    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery", "logs:ListLogDeliveries"],
         "Resource": "*"}))

TRUSTED_ADVISOR_SLR = aws_policy(
    "AWSTrustedAdvisorServiceRolePolicy", "ANPAJH4QJ2WMHBOB47BUE", "/aws-service-role/",
    "2018-02-22T21:24:25+00:00", "2025-11-03T18:12:09+00:00", "v16",
    doc({"Sid": "TrustedAdvisorServiceRolePermissions", "Effect": "Allow",
         "Action": ["autoscaling:Describe*", "cloudformation:DescribeStacks",
                    "cloudformation:ListStacks", "cloudfront:ListDistributions",
                    "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                    "dynamodb:DescribeTable", "dynamodb:ListTables", "ec2:Describe*",
                    "elasticloadbalancing:Describe*", "iam:GenerateCredentialReport",
                    "iam:GetAccountPasswordPolicy", "iam:GetAccountSummary",
                    "iam:GetCredentialReport", "iam:ListServerCertificates",
                    "kinesis:DescribeStream", "kinesis:ListStreams", "rds:Describe*",
                    "redshift:DescribeClusters", "route53:GetHealthCheck",
                    "route53:ListHealthChecks", "route53:ListHostedZones",
                    "s3:GetBucketAcl", "s3:GetBucketLogging", "s3:GetBucketPolicy",
                    "s3:GetBucketVersioning", "s3:ListAllMyBuckets", "ses:GetSendQuota",
                    "sqs:GetQueueAttributes", "sqs:ListQueues"],
         "Resource": "*"}))

# --- customer managed ------------------------------------------------------

S3 = "arn:aws:s3:::"
REGION = "us-east-1"


def res(service, rest, region=REGION):
    return "arn:aws:%s:%s:%s:%s" % (service, region, ACCOUNT, rest)


BOUNDARY_S3_LOGS = customer_policy(
    "acme-boundary-s3-logs",
    doc({"Sid": "BoundaryS3AndLogsOnly", "Effect": "Allow", "Action": ["s3:*", "logs:*"],
         "Resource": "*"}),
    620, path="/boundaries/")

FORCE_MFA = customer_policy(
    "acme-force-mfa",
    doc({"Sid": "AllowManageOwnMFA", "Effect": "Allow",
         "Action": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                    "iam:ResyncMFADevice", "iam:ChangePassword", "iam:GetUser"],
         "Resource": ["arn:aws:iam::%s:mfa/${aws:username}" % ACCOUNT,
                      "arn:aws:iam::%s:user/${aws:username}" % ACCOUNT]},
        {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
         "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                       "iam:ListMFADevices", "iam:ListVirtualMFADevices",
                       "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"],
         "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}),
    1400)

DEVELOPER_EXTRAS = customer_policy(
    "acme-developer-extras",
    doc({"Sid": "PassAppRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": ["arn:aws:iam::%s:role/app-*" % ACCOUNT,
                      "arn:aws:iam::%s:role/lambda-*" % ACCOUNT,
                      "arn:aws:iam::%s:role/ecs-task-*" % ACCOUNT]},
        {"Sid": "ReadIam", "Effect": "Allow",
         "Action": ["iam:GetRole", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListRoles",
                    "iam:ListPolicies", "iam:ListAttachedRolePolicies"],
         "Resource": "*"}),
    1300)

BILLING_READ = customer_policy(
    "acme-billing-read",
    doc({"Effect": "Allow",
         "Action": ["aws-portal:ViewBilling", "aws-portal:ViewUsage", "ce:Describe*", "ce:Get*",
                    "ce:List*", "budgets:ViewBudget", "cur:DescribeReportDefinitions"],
         "Resource": "*"}),
    1100)

BILLING_EXPORTER = customer_policy(
    "acme-billing-exporter",
    doc({"Sid": "ReadCosts", "Effect": "Allow",
         "Action": ["ce:GetCostAndUsage", "ce:GetCostForecast", "ce:GetDimensionValues"],
         "Resource": "*"},
        {"Sid": "WriteExports", "Effect": "Allow", "Action": ["s3:PutObject"],
         "Resource": S3 + "acme-billing-exports/*"}),
    700, path="/service/")

LOG_SHIPPER = customer_policy(
    "acme-log-shipper",
    doc({"Effect": "Allow", "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
         "Resource": res("firehose", "deliverystream/app-logs")}),
    640, path="/service/")

BACKUP_AGENT = customer_policy(
    "acme-backup-agent",
    doc({"Sid": "ListBackupBucket", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": S3 + "acme-prod-backups"},
        {"Sid": "WriteBackups", "Effect": "Allow",
         "Action": ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
         "Resource": S3 + "acme-prod-backups/*"}),
    900, path="/service/")

METRICS_READER = customer_policy(
    "acme-metrics-reader",
    doc({"Effect": "Allow",
         "Action": ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics",
                    "cloudwatch:ListMetrics", "tag:GetResources"],
         "Resource": "*"}),
    560, path="/service/")

SES_SENDER = customer_policy(
    "acme-ses-sender",
    doc({"Effect": "Allow", "Action": ["ses:SendEmail", "ses:SendRawEmail"],
         "Resource": res("ses", "identity/acme.io"),
         "Condition": {"StringEquals": {"ses:FromAddress": "noreply@acme.io"}}}),
    820, path="/service/")

ORDERS_QUEUE = customer_policy(
    "acme-orders-queue-consumer",
    doc({"Effect": "Allow",
         "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility"],
         "Resource": [res("sqs", "orders-prod"), res("sqs", "orders-prod-dlq")]}),
    480, path="/service/")

ROUTE53_UPDATER = customer_policy(
    "acme-route53-updater",
    doc({"Effect": "Allow",
         "Action": ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
         "Resource": "arn:aws:route53:::hostedzone/Z04718232UQ1BD7V3KXWA"},
        {"Effect": "Allow", "Action": "route53:GetChange",
         "Resource": "arn:aws:route53:::change/*"}),
    1000, path="/service/")

ECR_PUSH = customer_policy(
    "acme-ecr-push",
    doc({"Sid": "Login", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken",
         "Resource": "*"},
        {"Sid": "PushAcmeRepos", "Effect": "Allow",
         "Action": ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload",
                    "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
                    "ecr:BatchGetImage"],
         "Resource": res("ecr", "repository/acme/*")}),
    760, path="/service/")

CDN_INVALIDATE = customer_policy(
    "acme-cdn-invalidate",
    doc({"Effect": "Allow", "Action": ["cloudfront:CreateInvalidation",
                                       "cloudfront:GetInvalidation"],
         "Resource": "arn:aws:cloudfront::%s:distribution/E2QWRUHAPOMQZL" % ACCOUNT}),
    530, path="/service/")

DATALAKE_READ = customer_policy(
    "acme-datalake-read",
    doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [S3 + "acme-datalake-prod", S3 + "acme-datalake-prod/*"]},
        {"Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": res("kms", "key/3f6b1c0e-5a2d-4e8f-9b7a-1c2d3e4f5a6b")}),
    690, path="/service/")

SECRETS_ROTATION = customer_policy(
    "acme-secrets-rotation",
    doc({"Effect": "Allow",
         "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
         "Resource": res("secretsmanager", "secret:prod/*")},
        {"Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"}),
    450, path="/service/")

SOURCEMAPS_UPLOAD = customer_policy(
    "acme-sourcemaps-upload",
    doc({"Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectTagging"],
         "Resource": S3 + "acme-sourcemaps/*"}),
    410, path="/service/")

REPORTS_WRITE = customer_policy(
    "acme-reports-write",
    doc({"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": S3 + "acme-reports/*"},
        {"Effect": "Allow",
         "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution",
                    "athena:GetQueryResults"],
         "Resource": res("athena", "workgroup/reporting")}),
    980, path="/service/")

VENDOR_SFTP = customer_policy(
    "acme-vendor-sftp-drop",
    doc({"Effect": "Allow", "Action": ["s3:PutObject", "s3:ListBucket"],
         "Resource": [S3 + "acme-vendor-drop", S3 + "acme-vendor-drop/*"]}),
    600, path="/service/")

WEB_APP_S3 = customer_policy(
    "acme-web-app-runtime",
    doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": S3 + "acme-web-assets/*"},
        {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
         "Resource": res("ssm", "parameter/prod/web-app/*")}),
    870)

BATCH_WORKER = customer_policy(
    "acme-batch-worker",
    doc({"Effect": "Allow",
         "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
         "Resource": res("sqs", "batch-jobs")},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": S3 + "acme-batch-work/*"}),
    840)

# Three versions; only v3 (the default) is in force. v1 was s3:* on everything.
DEPLOY_WEB_APP = customer_policy(
    "acme-deploy-web-app",
    doc({"Sid": "SyncAssets", "Effect": "Allow",
         "Action": ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
         "Resource": [S3 + "acme-web-assets", S3 + "acme-web-assets/*"]},
        {"Sid": "RollOut", "Effect": "Allow",
         "Action": ["ecs:UpdateService", "ecs:DescribeServices", "ecs:RegisterTaskDefinition"],
         "Resource": "*"},
        {"Sid": "PassTaskRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": "arn:aws:iam::%s:role/ecs-task-*" % ACCOUNT}),
    520,
    older_versions=[
        (doc({"Effect": "Allow", "Action": ["s3:*", "ecs:*"], "Resource": "*"}), 520),
        (doc({"Effect": "Allow", "Action": ["s3:*", "ecs:UpdateService"],
              "Resource": "*"}), 300),
    ])

TERRAFORM_STATE = customer_policy(
    "acme-terraform-state",
    doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": [S3 + "acme-terraform-state", S3 + "acme-terraform-state/*"]},
        {"Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
         "Resource": res("dynamodb", "table/terraform-locks")}),
    950)

PAYMENTS_API = customer_policy(
    "acme-payments-api",
    doc({"Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "dynamodb:Query"],
         "Resource": [res("dynamodb", "table/payments"),
                      res("dynamodb", "table/payments/index/*")]},
        {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": res("kms", "key/9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6")}),
    380)

CLOUDHEALTH = customer_policy(
    "acme-cloudhealth-collector",
    doc({"Effect": "Allow",
         "Action": ["ce:Get*", "ec2:Describe*", "rds:Describe*", "elasticache:Describe*",
                    "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
                    "s3:GetBucketLocation", "s3:ListAllMyBuckets", "cur:DescribeReportDefinitions"],
         "Resource": "*"}),
    1050)

ORDERS_API_TASK = customer_policy(
    "acme-orders-api-task",
    doc({"Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
         "Resource": res("dynamodb", "table/orders")},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": res("sqs", "orders-prod")}),
    600)

CODEBUILD_WEB = customer_policy(
    "acme-codebuild-web-app",
    doc({"Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": res("logs", "log-group:/aws/codebuild/web-app*")},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": S3 + "acme-codebuild-artifacts/*"}),
    700, path="/service-role/")


# ---------------------------------------------------------------------------
# Trust policies
# ---------------------------------------------------------------------------

GITHUB = "token.actions.githubusercontent.com"
GITHUB_PROVIDER = "arn:aws:iam::%s:oidc-provider/%s" % (ACCOUNT, GITHUB)
EKS_ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/5C4A2B9E8F1D3A7B6C0E2F4A8D9B1C3E"
EKS_PROVIDER = "arn:aws:iam::%s:oidc-provider/%s" % (ACCOUNT, EKS_ISSUER)
SSO_PROVIDER = "arn:aws:iam::%s:saml-provider/AWSSSO_8d1e4f27c9b3a560_DO_NOT_DELETE" % ACCOUNT


def trust_service(service):
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def trust_github(condition):
    return doc({"Effect": "Allow", "Principal": {"Federated": GITHUB_PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})


def trust_eks(condition):
    return doc({"Effect": "Allow", "Principal": {"Federated": EKS_PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})


def trust_sso():
    return doc({"Effect": "Allow", "Principal": {"Federated": SSO_PROVIDER},
                "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                "Condition": {"StringEquals": {
                    "SAML:aud": "https://signin.aws.amazon.com/saml"}}})


# ---------------------------------------------------------------------------
# Identities
# ---------------------------------------------------------------------------

def tags(owner=None, env=None, **more):
    out = []
    if owner:
        out.append({"Key": "owner", "Value": owner})
    if env:
        out.append({"Key": "env", "Value": env})
    for key, value in more.items():
        out.append({"Key": key.replace("_", "-"), "Value": value})
    return out


def key(created_days, used_days=None, service="s3", region="us-east-1", status="Active"):
    return {"created": created_days, "used": used_days, "service": service, "region": region,
            "status": status}


def password(changed_days, used_days=None):
    return {"changed": changed_days, "used": used_days}


USERS = []  # specs
ROLES = []
GROUPS = []


def user(name, created_days, case, *, groups=(), managed=(), inline=(), tag_list=(),
         boundary=None, pw=None, mfa=False, keys=(), path="/"):
    USERS.append({"name": name, "created": created_days, "case": case, "groups": list(groups),
                  "managed": list(managed), "inline": list(inline), "tags": list(tag_list),
                  "boundary": boundary, "password": pw, "mfa": mfa, "keys": list(keys),
                  "path": path})


def role(name, created_days, case, trust, *, managed=(), inline=(), tag_list=(), boundary=None,
         last_used=None, region="us-east-1", path="/", instance_profile=False):
    ROLES.append({"name": name, "created": created_days, "case": case, "trust": trust,
                  "managed": list(managed), "inline": list(inline), "tags": list(tag_list),
                  "boundary": boundary, "last_used": last_used, "region": region, "path": path,
                  "instance_profile": instance_profile})


def group(name, created_days, managed=(), inline=(), path="/"):
    GROUPS.append({"name": name, "created": created_days, "managed": list(managed),
                   "inline": list(inline), "path": path})


group("Admins", 2100, managed=[ADMIN])
group("Developers", 2050, managed=[POWER_USER, DEVELOPER_EXTRAS])
group("ReadOnly", 2000, managed=[READ_ONLY])
group("Billing", 1500, managed=[BILLING_READ])
group("ForceMFA", 1400, managed=[FORCE_MFA])

# --- humans ----------------------------------------------------------------
HUMAN = "human: console password + MFA"
user("alice.nguyen", 1900, HUMAN + ", admin", groups=["Admins", "ForceMFA"],
     pw=password(85, 0), mfa=True, tag_list=tags(team="platform"))
user("bob.martinez", 1750, HUMAN + ", admin", groups=["Admins", "ForceMFA"],
     pw=password(140, 2), mfa=True, tag_list=tags(team="platform"))
user("liam.walsh", 980, HUMAN + ", admin", groups=["Admins", "ForceMFA"],
     pw=password(60, 5), mfa=True, tag_list=tags(team="security"))
user("carol.smith", 1320, HUMAN + ", developer with a recent CLI key",
     groups=["Developers", "ForceMFA"], pw=password(200, 1), mfa=True,
     keys=[key(34, 1, service="ecs")], tag_list=tags(team="payments"))
user("david.kim", 1210, HUMAN + ", developer", groups=["Developers", "ForceMFA"],
     pw=password(95, 3), mfa=True, tag_list=tags(team="payments"))
user("emma.johansson", 870, HUMAN + ", developer", groups=["Developers", "ForceMFA"],
     pw=password(70, 0), mfa=True, tag_list=tags(team="web"))
user("farid.haddad", 640, HUMAN + ", developer", groups=["Developers", "ForceMFA"],
     pw=password(41, 8), mfa=True, tag_list=tags(team="web"))
user("isabel.rossi", 415, HUMAN + ", developer", groups=["Developers", "ForceMFA"],
     pw=password(120, 14), mfa=True, tag_list=tags(team="data"))
user("jun.tanaka", 300, HUMAN + ", developer", groups=["Developers", "ForceMFA"],
     pw=password(300, 1), mfa=True, tag_list=tags(team="data"))
user("grace.liu", 1100, HUMAN + ", read-only", groups=["ReadOnly", "ForceMFA"],
     pw=password(180, 21), mfa=True)
user("henry.okafor", 760, HUMAN + ", read-only + billing", groups=["ReadOnly", "Billing",
                                                                   "ForceMFA"],
     pw=password(250, 6), mfa=True, tag_list=tags(team="finance"))
user("kate.obrien", 530, HUMAN + ", read-only", groups=["ReadOnly", "ForceMFA"],
     pw=password(90, 33), mfa=True)
user("maria.garcia", 3, HUMAN + ", new joiner, password never used (no_information)",
     groups=["Developers", "ForceMFA"], pw=password(3, None), mfa=True,
     tag_list=tags(team="web"))

# --- healthy NHI users -----------------------------------------------------
HEALTHY_USER = "healthy NHI user: no password, one key < 60 days old used recently, least privilege, owner+env"
user("svc-billing-exporter", 700, HEALTHY_USER, managed=[BILLING_EXPORTER],
     keys=[key(22, 0, service="ce")], tag_list=tags("finops@acme.io", "prod"))
user("svc-log-shipper", 640, HEALTHY_USER, managed=[LOG_SHIPPER],
     keys=[key(51, 0, service="firehose")], tag_list=tags("team-observability", "prod"))
user("svc-backup-agent", 900, HEALTHY_USER, managed=[BACKUP_AGENT],
     keys=[key(17, 1, service="s3")], tag_list=tags("sre@acme.io", "prod"))
user("svc-metrics-collector", 560, HEALTHY_USER, managed=[METRICS_READER],
     keys=[key(9, 0, service="monitoring")], tag_list=tags("team-observability", "prod"))
user("svc-ses-mailer", 820, HEALTHY_USER, managed=[SES_SENDER],
     keys=[key(38, 0, service="ses")], tag_list=tags("growth@acme.io", "prod"))
user("svc-orders-consumer", 480, HEALTHY_USER, managed=[ORDERS_QUEUE],
     keys=[key(27, 0, service="sqs")], tag_list=tags("orders@acme.io", "prod"))
user("svc-dns-updater", 1000, HEALTHY_USER, managed=[ROUTE53_UPDATER],
     keys=[key(44, 2, service="route53", region="us-east-1")],
     tag_list=tags("sre@acme.io", "prod"))
user("svc-ecr-pusher", 760, HEALTHY_USER, managed=[ECR_PUSH],
     keys=[key(12, 0, service="ecr")], tag_list=tags("platform@acme.io", "prod"))
user("svc-cdn-purger", 530, HEALTHY_USER, managed=[CDN_INVALIDATE],
     keys=[key(30, 1, service="cloudfront")], tag_list=tags("team-web", "prod"))
user("svc-snowflake-loader", 690, HEALTHY_USER, managed=[DATALAKE_READ],
     keys=[key(19, 0, service="s3", region="us-east-1")],
     tag_list=tags("data-eng@acme.io", "prod"))
user("svc-secrets-rotator", 450, HEALTHY_USER, managed=[SECRETS_ROTATION],
     keys=[key(6, 0, service="secretsmanager")], tag_list=tags("security@acme.io", "prod"))
user("sentry-sourcemaps-uploader", 410, HEALTHY_USER, managed=[SOURCEMAPS_UPLOAD],
     keys=[key(48, 3, service="s3")], tag_list=tags("team-web", "staging"))
user("svc-report-generator", 980,
     "healthy NHI user with an old Inactive key in slot 1 (inactive keys are not rotation problems)",
     managed=[REPORTS_WRITE],
     keys=[key(520, 110, service="s3", status="Inactive"), key(20, 0, service="athena")],
     tag_list=tags("analytics@acme.io", "prod"))
user("svc-data-pipeline", 620,
     "healthy: AdministratorAccess attached BUT permissions boundary s3:* + logs:* (not admin)",
     managed=[ADMIN], boundary=BOUNDARY_S3_LOGS,
     keys=[key(25, 0, service="s3")], tag_list=tags("data-eng@acme.io", "prod"))
user("svc-artifact-reader", 350,
     "healthy: inline Allow * on * plus Deny NotAction s3:GetObject (effectively read-only)",
     inline=[("artifact-read-only", doc(
         {"Sid": "Broad", "Effect": "Allow", "Action": "*", "Resource": "*"},
         {"Sid": "OnlyGetObject", "Effect": "Deny", "NotAction": ["s3:GetObject"],
          "Resource": "*"}))],
     keys=[key(14, 0, service="s3")], tag_list=tags("platform@acme.io", "prod"))

# --- risky NHI users -------------------------------------------------------
user("ci-deploy", 900, "risky: active key 430 days old, never rotated, still used",
     managed=[ECR_PUSH, DEPLOY_WEB_APP], keys=[key(430, 0, service="ecs")],
     tag_list=tags("platform@acme.io", "prod"))
user("svc-tableau-export", 260, "risky: key created 200 days ago, never used",
     managed=[DATALAKE_READ], keys=[key(200, None)],
     tag_list=tags("analytics@acme.io", "prod"))
user("svc-payments-sync", 800, "risky: two active keys (rotation left half done)",
     managed=[PAYMENTS_API],
     keys=[key(190, 11, service="dynamodb"), key(12, 0, service="dynamodb")],
     tag_list=tags("payments@acme.io", "prod"))
user("terraform-runner", 1150, "risky: AdministratorAccess attached directly",
     managed=[ADMIN, TERRAFORM_STATE], keys=[key(45, 0, service="iam")],
     tag_list=tags("platform@acme.io", "prod"))
user("deploy-bot", 720, "risky: admin via membership of group Admins",
     groups=["Admins"], keys=[key(58, 1, service="cloudformation")],
     tag_list=tags("team-web", "prod"))
user("svc-migration-tool", 400, "risky: inline Allow * on *; env tag but no owner",
     inline=[("full-access-temp", doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))],
     keys=[key(33, 4, service="rds")], tag_list=tags(None, "prod"))
user("jenkins-deploy", 1600,
     "risky: NHI with console password, no MFA, and an active key used by automation",
     managed=[ECR_PUSH, DEPLOY_WEB_APP], pw=password(800, 210), mfa=False,
     keys=[key(88, 0, service="ecr")], tag_list=tags("platform@acme.io", "prod"))
user("svc-old-crawler", 1300, "risky: unused, key last used 150 days ago; no tags at all",
     managed=[S3_READ_ONLY], keys=[key(330, 150, service="s3")])
user("svc-vendor-sftp", 600, "risky: otherwise healthy but no tags (missing owner)",
     managed=[VENDOR_SFTP], keys=[key(29, 1, service="s3")])

# --- roles -----------------------------------------------------------------
EC2 = "ec2.amazonaws.com"
LAMBDA = "lambda.amazonaws.com"
ECS = "ecs-tasks.amazonaws.com"
HEALTHY_SERVICE = "healthy: service role trusted by %s, used recently"

role("app-web-ec2", 870, HEALTHY_SERVICE % EC2, trust_service(EC2),
     managed=[SSM_CORE, WEB_APP_S3], tag_list=tags("team-web", "prod"), last_used=0,
     instance_profile=True)
role("batch-worker-ec2", 840, HEALTHY_SERVICE % EC2, trust_service(EC2),
     managed=[SSM_CORE, BATCH_WORKER], tag_list=tags("data-eng@acme.io", "prod"),
     last_used=0, instance_profile=True)
role("bastion-ec2", 1200, HEALTHY_SERVICE % EC2, trust_service(EC2), managed=[SSM_CORE],
     tag_list=tags("sre@acme.io", "prod"), last_used=1, instance_profile=True)
role("lambda-invoice-processor", 610, HEALTHY_SERVICE % LAMBDA, trust_service(LAMBDA),
     managed=[LAMBDA_BASIC],
     inline=[("invoices-table", doc(allow(["dynamodb:GetItem", "dynamodb:PutItem",
                                           "dynamodb:UpdateItem"],
                                          res("dynamodb", "table/invoices"))))],
     tag_list=tags("finops@acme.io", "prod"), last_used=0)
role("lambda-thumbnail-generator", 580, HEALTHY_SERVICE % LAMBDA, trust_service(LAMBDA),
     managed=[LAMBDA_BASIC],
     inline=[("media-bucket", doc(allow(["s3:GetObject", "s3:PutObject"],
                                        S3 + "acme-media/*")))],
     tag_list=tags("team-web", "prod"), last_used=0)
role("lambda-slack-notifier", 330, HEALTHY_SERVICE % LAMBDA, trust_service(LAMBDA),
     managed=[LAMBDA_BASIC],
     inline=[("read-webhook-secret", doc(allow("secretsmanager:GetSecretValue",
                                               res("secretsmanager",
                                                   "secret:prod/slack-webhook-*"))))],
     tag_list=tags("sre@acme.io", "prod"), last_used=2)
role("lambda-audit-log-forwarder", 260, HEALTHY_SERVICE % LAMBDA, trust_service(LAMBDA),
     managed=[LAMBDA_BASIC, LOG_SHIPPER], tag_list=tags("security@acme.io", "prod"),
     last_used=0)
role("lambda-image-resizer-staging", 150, HEALTHY_SERVICE % LAMBDA, trust_service(LAMBDA),
     managed=[LAMBDA_BASIC], tag_list=tags("team-web", "staging"), last_used=4)
role("ecs-task-orders-api", 600, HEALTHY_SERVICE % ECS, trust_service(ECS),
     managed=[ORDERS_API_TASK], tag_list=tags("orders@acme.io", "prod"), last_used=0)
role("ecs-task-checkout", 540, HEALTHY_SERVICE % ECS, trust_service(ECS),
     managed=[ORDERS_API_TASK],
     inline=[("checkout-payments", doc(allow("sqs:SendMessage", res("sqs", "payments-in"))))],
     tag_list=tags("payments@acme.io", "prod"), last_used=0)
role("ecs-task-web-frontend", 500, HEALTHY_SERVICE % ECS, trust_service(ECS),
     managed=[WEB_APP_S3], tag_list=tags("team-web", "prod"), last_used=0)
role("ecsTaskExecutionRole", 1250, HEALTHY_SERVICE % ECS, trust_service(ECS),
     managed=[ECS_TASK_EXEC], tag_list=tags("platform@acme.io", "prod"), last_used=0)
role("codebuild-web-app", 700, HEALTHY_SERVICE % "codebuild.amazonaws.com",
     trust_service("codebuild.amazonaws.com"), managed=[CODEBUILD_WEB, ECR_PUSH],
     tag_list=tags("team-web", "prod"), last_used=1, path="/service-role/")
role("sfn-order-workflow", 450, HEALTHY_SERVICE % "states.amazonaws.com",
     trust_service("states.amazonaws.com"),
     inline=[("invoke-order-lambdas", doc(allow("lambda:InvokeFunction",
                                                res("lambda", "function:orders-*"))))],
     tag_list=tags("orders@acme.io", "prod"), last_used=0)
role("firehose-app-logs-delivery", 640, HEALTHY_SERVICE % "firehose.amazonaws.com",
     trust_service("firehose.amazonaws.com"),
     inline=[("deliver-to-s3", doc(allow(["s3:PutObject", "s3:GetBucketLocation",
                                          "s3:ListBucket"],
                                         [S3 + "acme-app-logs", S3 + "acme-app-logs/*"])))],
     tag_list=tags("team-observability", "prod"), last_used=0)
role("glue-datalake-crawler", 690, HEALTHY_SERVICE % "glue.amazonaws.com",
     trust_service("glue.amazonaws.com"), managed=[DATALAKE_READ],
     tag_list=tags("data-eng@acme.io", "prod"), last_used=1, path="/service-role/")
role("github-actions-web-app-deploy", 520,
     "healthy: GitHub OIDC, aud + sub pinned to repo:acme/web-app:ref:refs/heads/main",
     trust_github({"StringEquals": {
         GITHUB + ":aud": "sts.amazonaws.com",
         GITHUB + ":sub": "repo:acme/web-app:ref:refs/heads/main"}}),
     managed=[DEPLOY_WEB_APP], tag_list=tags("team-web", "prod"), last_used=0)
role("github-actions-infra-plan", 430,
     "healthy: GitHub OIDC, aud + StringLike sub repo:acme/infra:*",
     trust_github({"StringEquals": {GITHUB + ":aud": "sts.amazonaws.com"},
                   "StringLike": {GITHUB + ":sub": "repo:acme/infra:*"}}),
     managed=[READ_ONLY, TERRAFORM_STATE], tag_list=tags("platform@acme.io", "prod"),
     last_used=0)
role("eks-payments-api", 380,
     "healthy: EKS IRSA, StringEquals :sub system:serviceaccount:payments:payments-api + :aud",
     trust_eks({"StringEquals": {
         EKS_ISSUER + ":sub": "system:serviceaccount:payments:payments-api",
         EKS_ISSUER + ":aud": "sts.amazonaws.com"}}),
     managed=[PAYMENTS_API], tag_list=tags("payments@acme.io", "prod"), last_used=0)
role("partner-cloudhealth-readonly", 1050,
     "healthy: cross-account, known partner 444455556666 with sts:ExternalId",
     doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
          "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"sts:ExternalId": "acme-7f3c9e2a41b8"}}}),
     managed=[CLOUDHEALTH], tag_list=tags("finops@acme.io", "prod", vendor="cloudhealth"),
     last_used=0)
role("org-audit-readonly", 900,
     "healthy: Principal AWS * restricted by aws:PrincipalOrgID o-a1b2c3d4e5",
     doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
     managed=[READ_ONLY], tag_list=tags("security@acme.io", "prod"), last_used=3)
role("OrganizationAccountAccessRole", 2200,
     "judgement call: standard Organizations admin role, trusts management account "
     "111122223333 without ExternalId",
     doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
          "Action": "sts:AssumeRole"}),
     managed=[ADMIN], last_used=41)

SSO_PATH = "/aws-reserved/sso.amazonaws.com/"
role("AWSReservedSSO_AdministratorAccess_3f2a9c1b7e4d5a60", 1000,
     "human: IAM Identity Center (SSO) role", trust_sso(), managed=[ADMIN],
     last_used=0, path=SSO_PATH)
role("AWSReservedSSO_ReadOnlyAccess_81c7d2e09f4b36a5", 1000,
     "human: IAM Identity Center (SSO) role", trust_sso(), managed=[READ_ONLY],
     last_used=1, path=SSO_PATH)
role("AWSReservedSSO_DeveloperAccess_c05e6b9a2d1f8743", 990,
     "human: IAM Identity Center (SSO) role", trust_sso(),
     managed=[POWER_USER, DEVELOPER_EXTRAS], last_used=0, path=SSO_PATH)
role("AWSReservedSSO_BillingAccess_5b9d03a7e1c24f86", 700,
     "human: IAM Identity Center (SSO) role", trust_sso(), managed=[BILLING_READ],
     last_used=18, path=SSO_PATH)

SLR = "healthy: service-linked role"
role("AWSServiceRoleForSupport", 2200, SLR, trust_service("support.amazonaws.com"),
     managed=[SUPPORT_SLR], last_used=0, path="/aws-service-role/support.amazonaws.com/")
role("AWSServiceRoleForAutoScaling", 1250, SLR, trust_service("autoscaling.amazonaws.com"),
     managed=[AUTOSCALING_SLR], last_used=0,
     path="/aws-service-role/autoscaling.amazonaws.com/")
role("AWSServiceRoleForElasticLoadBalancing", 1240, SLR,
     trust_service("elasticloadbalancing.amazonaws.com"), managed=[ELB_SLR], last_used=0,
     path="/aws-service-role/elasticloadbalancing.amazonaws.com/")
role("AWSServiceRoleForTrustedAdvisor", 2200, SLR, trust_service("trustedadvisor.amazonaws.com"),
     managed=[TRUSTED_ADVISOR_SLR], last_used=1,
     path="/aws-service-role/trustedadvisor.amazonaws.com/")

# --- risky roles -----------------------------------------------------------
role("legacy-reporting-role", 700, "risky: RoleLastUsed 200 days ago", trust_service(EC2),
     managed=[REPORTS_WRITE], tag_list=tags("analytics@acme.io", "prod"), last_used=200,
     instance_profile=True)
role("tmp-debug-role", 365, "risky: never used (RoleLastUsed {}), created a year ago; no tags",
     doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
          "Action": "sts:AssumeRole"}),
     managed=[READ_ONLY], last_used=None)
role("data-share-public", 510, "risky: trusts Principal * with no condition; no tags",
     doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}),
     managed=[S3_READ_ONLY], last_used=6)
role("contractor-access", 450,
     "risky: trusts unknown account 999988887777 (root), no ExternalId; env tag, no owner",
     doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
          "Action": "sts:AssumeRole"}),
     managed=[POWER_USER], tag_list=tags(None, "prod"), last_used=9)
role("github-actions-deploy-legacy", 800, "risky: GitHub OIDC with only the aud condition",
     trust_github({"StringEquals": {GITHUB + ":aud": "sts.amazonaws.com"}}),
     managed=[ECR_PUSH], tag_list=tags("platform@acme.io", "prod"), last_used=5)
role("github-actions-shared", 470, "risky: GitHub OIDC with StringLike sub repo:*",
     trust_github({"StringEquals": {GITHUB + ":aud": "sts.amazonaws.com"},
                   "StringLike": {GITHUB + ":sub": "repo:*"}}),
     managed=[POWER_USER], tag_list=tags("platform@acme.io", "dev"), last_used=2)
role("eks-orders-worker", 340, "risky: EKS IRSA with only the aud condition",
     trust_eks({"StringEquals": {EKS_ISSUER + ":aud": "sts.amazonaws.com"}}),
     managed=[ORDERS_QUEUE], tag_list=tags("orders@acme.io", "prod"), last_used=0)
role("lambda-ops-automation", 560, "risky: service role with AdministratorAccess attached",
     trust_service(LAMBDA), managed=[ADMIN, LAMBDA_BASIC], tag_list=tags("sre@acme.io", "prod"),
     last_used=1)


# ---------------------------------------------------------------------------
# Build the outputs
# ---------------------------------------------------------------------------

def user_arn(spec):
    return "arn:aws:iam::%s:user%s%s" % (ACCOUNT, spec["path"], spec["name"])


def role_arn(spec):
    return "arn:aws:iam::%s:role%s%s" % (ACCOUNT, spec["path"], spec["name"])


def attached(arns):
    return [{"PolicyName": POLICIES[a]["PolicyName"], "PolicyArn": a} for a in arns]


def boundary_block(arn):
    return {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}


def build():
    attachment_count = {arn: 0 for arn in POLICIES}
    boundary_count = {arn: 0 for arn in POLICIES}
    group_names = {g["name"] for g in GROUPS}

    # Users: resolve every date once, in a fixed order, so the report matches.
    users_out, report_rows, key_files, last_used_files = [], [], {}, {}
    for spec in sorted(USERS, key=lambda s: s["name"]):
        created = ago(spec["created"])
        spec["_created"] = created
        for g in spec["groups"]:
            assert g in group_names, g
        for arn in spec["managed"]:
            attachment_count[arn] += 1
        if spec["boundary"]:
            boundary_count[spec["boundary"]] += 1
        item = {"Path": spec["path"], "UserName": spec["name"], "UserId": unique_id("AIDA"),
                "Arn": user_arn(spec), "CreateDate": iso(created)}
        if spec["inline"]:
            item["UserPolicyList"] = [{"PolicyName": n, "PolicyDocument": d}
                                      for n, d in spec["inline"]]
        item["GroupList"] = list(spec["groups"])
        item["AttachedManagedPolicies"] = attached(spec["managed"])
        if spec["boundary"]:
            item["PermissionsBoundary"] = boundary_block(spec["boundary"])
        if spec["tags"]:
            item["Tags"] = spec["tags"]
        users_out.append(item)

        # Access keys, oldest first (slot 1 is the older key).
        keys = []
        for k in sorted(spec["keys"], key=lambda k: -k["created"]):
            k_created = max(ago(k["created"]), created + timedelta(minutes=rng.randint(5, 90)))
            k_used = None
            if k["used"] is not None:
                k_used = ago(k["used"], max_jitter_hours=5).replace(second=0)
                k_used = max(k_used, k_created + timedelta(minutes=3))
                assert k_used < NOW
            keys.append({"id": unique_id("AKIA", 16), "status": k["status"],
                         "created": k_created, "used": k_used, "service": k["service"],
                         "region": k["region"]})
        if keys:
            key_files[spec["name"]] = {"AccessKeyMetadata": [
                {"UserName": spec["name"], "AccessKeyId": k["id"], "Status": k["status"],
                 "CreateDate": iso(k["created"])} for k in keys]}
            for k in keys:
                last = {}
                if k["used"]:
                    last = {"LastUsedDate": iso(k["used"]), "ServiceName": k["service"],
                            "Region": k["region"]}
                else:
                    last = {"ServiceName": "N/A", "Region": "N/A"}
                last_used_files[k["id"]] = {"UserName": spec["name"], "AccessKeyLastUsed": last}

        pw = spec["password"]
        if pw:
            changed = max(ago(pw["changed"]), created + timedelta(minutes=2))
            if pw["used"] is None:
                pw_used = "no_information"
            else:
                pw_used = iso(max(ago(pw["used"]), changed + timedelta(minutes=1)))
            pw_cols = ["true", pw_used, iso(changed), "N/A"]
        else:
            pw_cols = ["false", "N/A", "N/A", "N/A"]
        row = [spec["name"], user_arn(spec), iso(created)] + pw_cols
        row.append("true" if spec["mfa"] else "false")
        for slot in range(2):
            if slot < len(keys):
                k = keys[slot]
                row += ["true" if k["status"] == "Active" else "false", iso(k["created"])]
                if k["used"]:
                    row += [iso(k["used"]), k["region"], k["service"]]
                else:
                    row += ["N/A", "N/A", "N/A"]
            else:
                row += ["false", "N/A", "N/A", "N/A", "N/A"]
        row += ["false", "N/A", "false", "N/A"]
        report_rows.append(row)

    groups_out = []
    for spec in sorted(GROUPS, key=lambda s: s["name"]):
        for arn in spec["managed"]:
            attachment_count[arn] += 1
        groups_out.append({
            "Path": spec["path"], "GroupName": spec["name"], "GroupId": unique_id("AGPA"),
            "Arn": "arn:aws:iam::%s:group%s%s" % (ACCOUNT, spec["path"], spec["name"]),
            "CreateDate": iso(ago(spec["created"])),
            "GroupPolicyList": [{"PolicyName": n, "PolicyDocument": d}
                                for n, d in spec["inline"]],
            "AttachedManagedPolicies": attached(spec["managed"])})

    roles_out = []
    for spec in sorted(ROLES, key=lambda s: s["name"]):
        created = ago(spec["created"])
        for arn in spec["managed"]:
            attachment_count[arn] += 1
        if spec["boundary"]:
            boundary_count[spec["boundary"]] += 1
        core = {"Path": spec["path"], "RoleName": spec["name"], "RoleId": unique_id("AROA"),
                "Arn": role_arn(spec), "CreateDate": iso(created),
                "AssumeRolePolicyDocument": spec["trust"]}
        item = dict(core)
        profiles = []
        if spec["instance_profile"]:
            profiles.append({
                "Path": "/", "InstanceProfileName": spec["name"],
                "InstanceProfileId": unique_id("AIPA"),
                "Arn": "arn:aws:iam::%s:instance-profile/%s" % (ACCOUNT, spec["name"]),
                "CreateDate": core["CreateDate"], "Roles": [core]})
        item["InstanceProfileList"] = profiles
        item["RolePolicyList"] = [{"PolicyName": n, "PolicyDocument": d}
                                  for n, d in spec["inline"]]
        item["AttachedManagedPolicies"] = attached(spec["managed"])
        if spec["boundary"]:
            item["PermissionsBoundary"] = boundary_block(spec["boundary"])
        if spec["tags"]:
            item["Tags"] = spec["tags"]
        if spec["last_used"] is None:
            item["RoleLastUsed"] = {}
        else:
            used = max(ago(spec["last_used"], max_jitter_hours=7),
                       created + timedelta(hours=1))
            item["RoleLastUsed"] = {"LastUsedDate": iso(used), "Region": spec["region"]}
        roles_out.append(item)

    policies_out = []
    for arn in sorted(POLICIES, key=lambda a: POLICIES[a]["PolicyName"]):
        rec = POLICIES[arn]
        if attachment_count[arn] == 0 and boundary_count[arn] == 0:
            raise SystemExit("policy %s is neither attached nor used as a boundary" % arn)
        policies_out.append({
            "PolicyName": rec["PolicyName"], "PolicyId": rec["PolicyId"], "Arn": arn,
            "Path": rec["Path"], "DefaultVersionId": rec["DefaultVersionId"],
            "AttachmentCount": attachment_count[arn],
            "PermissionsBoundaryUsageCount": boundary_count[arn],
            "IsAttachable": True, "CreateDate": rec["CreateDate"],
            "UpdateDate": rec["UpdateDate"], "PolicyVersionList": rec["PolicyVersionList"]})

    details = {"UserDetailList": users_out, "GroupDetailList": groups_out,
               "RoleDetailList": roles_out, "Policies": policies_out, "IsTruncated": False}

    # Root: active access key created at account setup, last used 30 days ago.
    root_created = fixed("2019-05-14T16:03:27+00:00")
    root_key_used = ago(30, max_jitter_hours=4).replace(second=0)
    root_row = ["<root_account>", "arn:aws:iam::%s:root" % ACCOUNT, iso(root_created),
                "not_supported", iso(ago(12)), "not_supported", "not_supported", "true",
                "true", "2019-05-14T16:20:51+00:00", iso(root_key_used), "us-east-1", "s3",
                "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]
    return details, [root_row] + report_rows, key_files, last_used_files


HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,"
          "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,"
          "access_key_1_last_rotated,access_key_1_last_used_date,"
          "access_key_1_last_used_region,access_key_1_last_used_service,"
          "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
          "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")


def write_json(path, obj):
    # The AWS CLI prints `--output json` with json.dumps(indent=4, ensure_ascii=False).
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=4, ensure_ascii=False)
        f.write("\n")


def main():
    details, rows, key_files, last_used_files = build()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "access-keys"))
    os.makedirs(os.path.join(OUT, "access-key-last-used"))

    write_json(os.path.join(OUT, "authorization-details.json"), details)

    csv_text = "\n".join([HEADER] + [",".join(r) for r in rows])
    assert all(len(r) == 22 for r in rows)
    write_json(os.path.join(OUT, "credential-report.json"), {
        "Content": base64.b64encode(csv_text.encode("utf-8")).decode("ascii"),
        "ReportFormat": "text/csv",
        "GeneratedTime": iso(NOW)})

    for name, body in key_files.items():
        write_json(os.path.join(OUT, "access-keys", name + ".json"), body)
    for key_id, body in last_used_files.items():
        write_json(os.path.join(OUT, "access-key-last-used", key_id + ".json"), body)

    n_users = len(details["UserDetailList"])
    n_roles = len(details["RoleDetailList"])
    print("wrote %s: %d users, %d roles (%d identities), %d groups, %d policies, "
          "%d access-key files, %d last-used files"
          % (os.path.relpath(OUT), n_users, n_roles, n_users + n_roles,
             len(details["GroupDetailList"]), len(details["Policies"]), len(key_files),
             len(last_used_files)))


if __name__ == "__main__":
    main()

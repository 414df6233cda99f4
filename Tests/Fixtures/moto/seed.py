#!/usr/bin/env python3
"""Seed a moto server with a small, realistic IAM estate through the real API (boto3).

    seed.py ENDPOINT [--users N --roles N]   # prints a JSON summary on stdout

Synthetic values only. With --users/--roles it creates that many extra plain users (one key
each) and service roles, for the collection benchmark.
"""
import argparse
import json
import sys

import boto3

p = argparse.ArgumentParser()
p.add_argument("endpoint")
p.add_argument("--users", type=int, default=0)
p.add_argument("--roles", type=int, default=0)
p.add_argument("--other-account", help="also create a user in this account, through an assumed role")
p.add_argument("--organization", action="store_true",
               help="make the account an organization's management account, with a member account in OU prod whose SCP denies iam:*")
args = p.parse_args()

session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
iam = session.client("iam", endpoint_url=args.endpoint)


def doc(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


out = {"keys": {}}
# A healthy service user: one key, least privilege, owner tag.
iam.create_user(UserName="svc-reports", Path="/svc/", Tags=[{"Key": "owner", "Value": "data@example.com"}, {"Key": "env", "Value": "prod"}])
iam.put_user_policy(UserName="svc-reports", PolicyName="read-reports",
                    PolicyDocument=doc([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::reports/*"}]))
out["keys"]["svc-reports"] = iam.create_access_key(UserName="svc-reports")["AccessKey"]["AccessKeyId"]

# A risky deploy user: admin through a group, two active keys, a console password, no owner.
iam.create_group(GroupName="admins")
iam.create_policy(PolicyName="full-admin", PolicyDocument=doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))
iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::123456789012:policy/full-admin")
iam.create_user(UserName="deploy-bot", Tags=[{"Key": "env", "Value": "prod"}])
iam.add_user_to_group(GroupName="admins", UserName="deploy-bot")
out["keys"]["deploy-bot"] = iam.create_access_key(UserName="deploy-bot")["AccessKey"]["AccessKeyId"]
iam.create_access_key(UserName="deploy-bot")
iam.create_login_profile(UserName="deploy-bot", Password="Sup3r-Secret-Example!")

# Roles: a GitHub OIDC role without a sub condition, a public trust, and a healthy Lambda role.
iam.create_role(RoleName="gha-deploy", Tags=[{"Key": "owner", "Value": "platform"}], AssumeRolePolicyDocument=doc([{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]))
iam.create_role(RoleName="public-share", Tags=[{"Key": "owner", "Value": "data"}],
                AssumeRolePolicyDocument=doc([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]))
iam.create_role(RoleName="lambda-resizer", Tags=[{"Key": "owner", "Value": "media"}],
                AssumeRolePolicyDocument=doc([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
iam.create_instance_profile(InstanceProfileName="lambda-resizer-profile")
iam.add_role_to_instance_profile(InstanceProfileName="lambda-resizer-profile", RoleName="lambda-resizer")
iam.create_account_alias(AccountAlias="roster-moto")

# An auditor that may list but not read authorization details (for the fallback path).
iam.create_user(UserName="auditor-limited", Tags=[{"Key": "owner", "Value": "security@example.com"}])
iam.put_user_policy(UserName="auditor-limited", PolicyName="list-only", PolicyDocument=doc([{
    "Effect": "Allow", "Resource": "*",
    "Action": ["iam:List*", "iam:GetAccessKeyLastUsed", "iam:GenerateCredentialReport", "iam:GetCredentialReport", "sts:GetCallerIdentity"]}]))
limited = iam.create_access_key(UserName="auditor-limited")["AccessKey"]
out["limited"] = {"id": limited["AccessKeyId"], "secret": limited["SecretAccessKey"]}

for i in range(args.users):
    name = f"bench-user-{i:05d}"
    iam.create_user(UserName=name, Tags=[{"Key": "owner", "Value": f"team-{i % 40}"}])
    iam.create_access_key(UserName=name)
for i in range(args.roles):
    iam.create_role(RoleName=f"bench-role-{i:05d}", AssumeRolePolicyDocument=doc(
        [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]))

if args.other_account:
    sts = session.client("sts", endpoint_url=args.endpoint)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{args.other_account}:role/RosterAudit", RoleSessionName="seed")["Credentials"]
    other = boto3.client("iam", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                         aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
    other.create_user(UserName="partner-sync", Tags=[{"Key": "owner", "Value": "partners@example.com"}])
    other.create_access_key(UserName="partner-sync")

if args.organization:
    org = session.client("organizations", endpoint_url=args.endpoint)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="prod")["OrganizationalUnit"]["Id"]
    member = org.create_account(Email="prod@example.com", AccountName="prod")["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
    scp = org.create_policy(Name="deny-iam", Description="no IAM changes in prod", Type="SERVICE_CONTROL_POLICY",
                            Content=doc([{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=scp, TargetId=ou)
    sts = session.client("sts", endpoint_url=args.endpoint)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
    prod = boto3.client("iam", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
    prod.create_user(UserName="prod-automation", Tags=[{"Key": "owner", "Value": "platform@example.com"}])
    prod.put_user_policy(UserName="prod-automation", PolicyName="admin", PolicyDocument=doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))
    out["member"] = member
    out["ou"] = ou

json.dump(out, sys.stdout)

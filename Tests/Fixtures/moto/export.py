#!/usr/bin/env python3
"""Export a moto account with the AWS CLI, exactly as a user would for `roster import aws`.

    export.py ENDPOINT DIR
"""
import json
import os
import subprocess
import sys

endpoint, out = sys.argv[1], sys.argv[2]
env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")


def aws(*args):
    return subprocess.run([sys.executable, "-m", "awscli", "iam", *args, "--endpoint-url", endpoint, "--output", "json"],
                          env=env, check=True, capture_output=True, text=True).stdout


os.makedirs(os.path.join(out, "access-keys"), exist_ok=True)
os.makedirs(os.path.join(out, "access-key-last-used"), exist_ok=True)
with open(os.path.join(out, "authorization-details.json"), "w") as f:
    f.write(aws("get-account-authorization-details"))
aws("generate-credential-report")
with open(os.path.join(out, "credential-report.json"), "w") as f:
    f.write(aws("get-credential-report"))
users = json.loads(aws("list-users"))["Users"]
for user in users:
    keys = aws("list-access-keys", "--user-name", user["UserName"])
    with open(os.path.join(out, "access-keys", user["UserName"] + ".json"), "w") as f:
        f.write(keys)
    for key in json.loads(keys)["AccessKeyMetadata"]:
        with open(os.path.join(out, "access-key-last-used", key["AccessKeyId"] + ".json"), "w") as f:
            f.write(aws("get-access-key-last-used", "--access-key-id", key["AccessKeyId"]))

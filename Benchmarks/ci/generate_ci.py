#!/usr/bin/env python3
"""Generates a large synthetic CI estate for the GitHub and GitLab connectors' throughput.

    python3 Benchmarks/ci/generate_ci.py OUT [REPOS]

OUT/github/<repo>/ gets a .roster-repo, a CODEOWNERS, four workflows (OIDC deploy, static keys,
pull_request_target with a head checkout, a matrix CI) and a secrets list; OUT/gitlab/<project>/
a .gitlab-ci.yml with a dozen jobs and a variables list. Default 2,000 repositories (~40 MB).
Every secret is synthetic.
"""
import json, os, sys

out = sys.argv[1]
repos = int(sys.argv[2]) if len(sys.argv) > 2 else 2000

DEPLOY = """name: Deploy {n}
on:
  push:
    branches: [main, "release/**"]
  workflow_dispatch:
permissions:
  contents: read
  id-token: write
jobs:
{jobs}"""
DEPLOY_JOB = """  deploy-{i}:
    runs-on: ubuntu-latest
    environment: prod-{i}
    steps:
      - uses: actions/checkout@v4
      - name: Configure AWS credentials
        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::210987654321:role/deploy-{n}-{i}
          aws-region: us-east-1
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: projects/482100000001/locations/global/workloadIdentityPools/github/providers/p{i}
          service_account: deploy-{i}@acme-prod-4821.iam.gserviceaccount.com
      - run: |
          terraform init -input=false
          terraform apply -input=false -auto-approve -var token=${{{{ secrets.TOKEN_{i} }}}}
        env:
          DD_API_KEY: ${{{{ secrets.DATADOG_API_KEY }}}}
          SLACK: ${{{{ secrets['SLACK_WEBHOOK'] }}}}
"""
LEGACY = """name: legacy
on:
  schedule:
    - cron: "17 3 * * *"
permissions: write-all
jobs:
  backup:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
      - run: ./backup.sh
"""
PR = """on: pull_request_target
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
"""
CI = """name: CI
on: [push, pull_request]
permissions: { contents: read }
jobs:
""" + "".join(f"""  test-{i}:
    runs-on: ${{{{ matrix.os }}}}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
        node: [18, 20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: {{ node-version: "${{{{ matrix.node }}}}" }}
      - run: npm ci
      - run: npm test -- --shard={i}/8
""" for i in range(8))

GITLAB = "variables:\n  ROLE_ARN: arn:aws:iam::210987654321:role/gitlab-{n}\n" + "".join(f"""
job-{i}:
  stage: test
  environment: review/{i}
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  script:
    - aws sts assume-role-with-web-identity --role-arn $ROLE_ARN --role-session-name s --web-identity-token $AWS_TOKEN
    - ./run.sh --token "$API_TOKEN_{i}" --other "${{{{OTHER_{i}}}}}"
""" for i in range(12))

total = 0
def write(path, text):
    global total
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    total += len(text.encode())

for r in range(repos):
    n = f"svc-{r:05d}"
    root = f"{out}/github/{n}"
    write(f"{root}/.roster-repo", f"acme/{n}\n")
    write(f"{root}/.github/CODEOWNERS", "* @acme/devs\n/.github/workflows/ @acme/platform\n")
    write(f"{root}/.github/workflows/deploy.yml", DEPLOY.format(n=n, jobs="".join(DEPLOY_JOB.format(n=n, i=i) for i in range(6))))
    write(f"{root}/.github/workflows/legacy.yml", LEGACY)
    write(f"{root}/.github/workflows/pr.yml", PR)
    write(f"{root}/.github/workflows/ci.yml", CI)
    write(f"{root}/exports/secrets.json", json.dumps({"total_count": 8, "secrets": [
        {"name": s, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
        for s in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN", "DATADOG_API_KEY", "SLACK_WEBHOOK", "TOKEN_0", "TOKEN_1", "TOKEN_2"]]}))
    if r % 4 == 0:
        groot = f"{out}/gitlab/{n}"
        write(f"{groot}/.roster-repo", f"acme/platform/{n}\n")
        write(f"{groot}/.gitlab-ci.yml", GITLAB.format(n=n))
        write(f"{groot}/exports/variables.json", json.dumps([
            {"variable_type": "env_var", "key": f"API_TOKEN_{i}", "value": "synthetic-value-%d" % i, "protected": i % 2 == 0, "masked": True,
             "hidden": False, "raw": False, "environment_scope": "*", "description": None} for i in range(12)]))
print(f"{repos} repositories, {total / 1e6:.1f} MB in {out}")

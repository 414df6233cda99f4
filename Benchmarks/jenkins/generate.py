#!/usr/bin/env python3
"""Generate a large synthetic Jenkins credentials.xml for benchmarking the Jenkins connector.

    python3 Benchmarks/jenkins/generate.py --credentials 150000 --out /tmp/bench-jenkins/ci-bench

Writes <out>/credentials.xml with credentials of every class the connector maps, spread over a
few domains, with encrypted-looking ({AQAAABAAAA…}) secrets, as Jenkins writes them. Standard
library only; deterministic for a given --seed.
"""

import argparse
import base64
import os
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=150000)
    parser.add_argument("--domains", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def secret(n):
        payload = b"\x01" + (16).to_bytes(4, "big") + n.to_bytes(4, "big") + rng.randbytes(16 + n)
        return "{" + base64.b64encode(payload).decode() + "}"

    def key_id():
        return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    os.makedirs(args.out, exist_ok=True)
    per_domain = args.credentials // args.domains
    with open(os.path.join(args.out, "credentials.xml"), "w") as out:
        out.write("<?xml version='1.1' encoding='UTF-8'?>\n")
        out.write('<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">\n')
        out.write('  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">\n')
        n = 0
        for d in range(args.domains):
            out.write("    <entry>\n      <com.cloudbees.plugins.credentials.domains.Domain>\n")
            if d:
                out.write(f"        <name>domain-{d}</name>\n")
            out.write("        <specifications/>\n      </com.cloudbees.plugins.credentials.domains.Domain>\n")
            out.write("      <java.util.concurrent.CopyOnWriteArrayList>\n")
            for _ in range(per_domain):
                n += 1
                kind = n % 6
                team = rng.choice(["platform", "payments", "data", "web", "mobile", ""])
                description = f"credential {n} (owner: {team}-team)" if team else ""
                head = f"          <scope>{rng.choice(['GLOBAL', 'GLOBAL', 'SYSTEM'])}</scope>\n          <id>cred-{n}</id>\n          <description>{description}</description>\n"
                if kind == 0:
                    out.write(f"        <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n{head}"
                              f"          <username>svc-{n}</username>\n          <password>{secret(32)}</password>\n"
                              "        </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n")
                elif kind == 1:
                    out.write(f'        <com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl plugin="aws-credentials@231.v08a_59f17d742">\n{head}'
                              f"          <accessKey>{key_id()}</accessKey>\n          <secretKey>{secret(48)}</secretKey>\n"
                              "          <iamRoleArn></iamRoleArn>\n          <iamMfaSerialNumber></iamMfaSerialNumber>\n"
                              "        </com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl>\n")
                elif kind == 2:
                    out.write(f'        <com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey plugin="ssh-credentials@355.v9b_e5b_cde5003">\n{head}'
                              "          <username>jenkins</username>\n"
                              '          <privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource">\n'
                              f"            <privateKey>{secret(1680)}</privateKey>\n          </privateKeySource>\n"
                              "        </com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>\n")
                elif kind == 3:
                    out.write(f'        <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl plugin="plain-credentials@183.va_de8f1dd5a_2b_">\n{head}'
                              f"          <secret>{secret(64)}</secret>\n"
                              "        </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n")
                elif kind == 4:
                    out.write(f'        <org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl plugin="plain-credentials@183.va_de8f1dd5a_2b_">\n{head}'
                              f"          <fileName>kubeconfig-{n}.yaml</fileName>\n"
                              "          <secretBytes>{" + base64.b64encode(rng.randbytes(900)).decode() + "}</secretBytes>\n"
                              "        </org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>\n")
                else:
                    out.write(f'        <com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl plugin="aws-credentials@231.v08a_59f17d742">\n{head}'
                              f"          <accessKey></accessKey>\n          <secretKey>{secret(0)}</secretKey>\n"
                              f"          <iamRoleArn>arn:aws:iam::210987654321:role/jenkins-{n}</iamRoleArn>\n"
                              "        </com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl>\n")
            out.write("      </java.util.concurrent.CopyOnWriteArrayList>\n    </entry>\n")
        out.write("  </domainCredentialsMap>\n</com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n")


if __name__ == "__main__":
    main()

import RosterModel

/// Credentials of the infrastructure itself: Kubernetes (kubeconfigs, ServiceAccount and EKS
/// tokens), container registries (Docker `config.json`, Docker Hub tokens), JSON Web Tokens and
/// database connection URLs that carry a password.
extension SecretRules {
    public static let infra: [SecretRule] = kubernetes + containers + jsonWebTokens + databaseURLs

    // MARK: Kubernetes

    static let kubernetes: [SecretRule] = [
        SecretRule(
            id: "kubernetes.service-account-token.legacy",
            title: "Kubernetes ServiceAccount token (non-expiring)",
            provider: "kubernetes",
            // Secret-based ServiceAccount tokens put `iss: kubernetes/serviceaccount` first in their
            // claims, so their payload starts with the same base64; they never expire.
            keywords: ["eyjpc3mioijrdwjlcm5ldgvzl3nlcnzpy2vhy2nvdw50"],
            pattern:
                #"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50I[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{40,})(?![A-Za-z0-9_-])"#,
            check: .jwt,
            remediation:
                "Delete the ServiceAccount token Secret (a new token is not minted unless requested), and have clients use short-lived tokens from the TokenRequest API or workload identity.",
            examples: [
                "    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjUyTmdkZ3BsRFJWODlJNWtxNlo4MV9UQ2YzNVhaN05aSFN4ZFBic2F6WUgifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJjaSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VjcmV0Lm5hbWUiOiJkZXBsb3llci10b2tlbi14N2sycSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50Lm5hbWUiOiJkZXBsb3llciIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjNmNmMyYThlLTlkNDEtNGI3YS04ZTJmLTUxYzBkOWE3YjZlMyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpjaTpkZXBsb3llciJ9.WLyig8MqzTQ06Mwhin5myBtpAZ5XU4PmOjGVeRY9XYbZ8LKWwOHYk9F2N9kdrHKarW6SaqQjK0FquJ9pfaBLoGEHKz61OB6x-zb1ORyAjo2Bv_YmU4pWds0cnvIMr_-X3IBY2Ueukgoze4Ok_Yh5odbZrxy6nmv9VphfqH0RoYP6zSgyHZDqP_HdgnSClNrfyhSO-pxxHdmchPw1Q1z66LHOZcpiXkzTioAw3BsZs5BQqVyVaOoZhH4bDyXRz_KmumcL2S3n6XBqRd171mLJ6iNDgghVmpaEjd3aiTWem1LoZ83rZnu3OXR7b0vFSDaA_JUjN-of32bCTARYgWn9nA",
                #"kubectl --server https://10.0.0.1:6443 --token "eyJhbGciOiJSUzI1NiIsImtpZCI6IjUyTmdkZ3BsRFJWODlJNWtxNlo4MV9UQ2YzNVhaN05aSFN4ZFBic2F6WUgifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJjaSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VjcmV0Lm5hbWUiOiJkZXBsb3llci10b2tlbi14N2sycSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50Lm5hbWUiOiJkZXBsb3llciIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjNmNmMyYThlLTlkNDEtNGI3YS04ZTJmLTUxYzBkOWE3YjZlMyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpjaTpkZXBsb3llciJ9.WLyig8MqzTQ06Mwhin5myBtpAZ5XU4PmOjGVeRY9XYbZ8LKWwOHYk9F2N9kdrHKarW6SaqQjK0FquJ9pfaBLoGEHKz61OB6x-zb1ORyAjo2Bv_YmU4pWds0cnvIMr_-X3IBY2Ueukgoze4Ok_Yh5odbZrxy6nmv9VphfqH0RoYP6zSgyHZDqP_HdgnSClNrfyhSO-pxxHdmchPw1Q1z66LHOZcpiXkzTioAw3BsZs5BQqVyVaOoZhH4bDyXRz_KmumcL2S3n6XBqRd171mLJ6iNDgghVmpaEjd3aiTWem1LoZ83rZnu3OXR7b0vFSDaA_JUjN-of32bCTARYgWn9nA" get pods"#,
            ],
            negatives: [
                "    ref: eyJhbGciOiJSUzI1NiIsImtpZCI6IjUyTmdkZ3BsRFJWODlJNWtxNlo4MV9UQ2YzNVhaN05aSFN4ZFBic2F6WUgifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJjaSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VjcmV0Lm5hbWUiOiJkZXBsb3llci10b2tlbi14N2sycSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50Lm5hbWUiOiJkZXBsb3llciIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjNmNmMyYThlLTlkNDEtNGI3YS04ZTJmLTUxYzBkOWE3YjZlMyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpjaTpkZXBsb3llciJ9.ol5R49T1bkH3",
                "token: eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.<signature>",
            ]
        ),
        SecretRule(
            id: "kubernetes.kubeconfig.user-token",
            title: "Kubernetes bearer token in a kubeconfig user",
            provider: "kubernetes",
            keywords: ["token:"],
            // Only under a kubeconfig `user:` entry; JWTs, EKS, OpenShift and Google tokens have their own rules.
            pattern:
                #"\buser:[ \t]*\r?\n(?:[ \t]+[A-Za-z-]+:.*\r?\n){0,6}?[ \t]+token:[ \t]*["']?(?!eyJ|k8s-aws-v1\.|sha256~|ya29\.)([A-Za-z0-9._~+/=-]{20,})["']?[ \t]*$"#,
            minEntropy: 3.5,
            check: .mixedCharacters,
            remediation:
                "Revoke the token where it was issued (delete its ServiceAccount Secret or the static token entry), and switch the kubeconfig to an exec credential plugin.",
            examples: [
                "users:\n- name: ci-deployer\n  user:\n    token: CMGPYTZuHVvat77J9OwPsgZt7BpYQ2OQBilCFXuF0DRkxhhl\n"
            ],
            negatives: [
                "users:\n- name: ci-deployer\n  user:\n    token: ${KUBE_TOKEN}\n",
                "users:\n- name: ci-deployer\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
            ]
        ).requiring(.followedBy(20, .token)),
        SecretRule(
            id: "kubernetes.kubeconfig.client-key",
            title: "Kubernetes client private key in a kubeconfig",
            provider: "kubernetes",
            severity: .critical,
            keywords: ["client-key-data"],
            // The value is base64 of a PEM block: it must start with the encoding of `-----BEGIN`.
            // No decoding check: an RSA key's value is longer than the scanner's 2 KB line window,
            // and a cut value need not decode.
            pattern: #"client-key-data["']?[ \t]*:[ \t]*["']?(LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2})"#,
            minEntropy: 4.5,
            remediation:
                "Revoke the client certificate (rotate the CA that signed it if it is an admin credential that cannot be revoked alone), and use an exec credential plugin or OIDC for people and workloads.",
            examples: [
                "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpRZERGZ3JqK0VHSDlPNWl4dVgvbVdrQ1ZBOHkyekYzR09rSlBSNWlramd1Zzc2RkN4Wk5xZzZSWW16NkVPRjhBTXUxaXRPL1MxM1I0Ck8xVkVmWHJXeGI4amdmM0lXaVowQXdZTVZjQTFndjhSYXdIcGt5ZkYzSU1KVDEwTXlzZEt2VTNDMWxabWdlcndsYzJtL2p1bTdUd0QKUDcyQmcvNWxndExWNUk2cXJBY0xDN2NROEFjQmV5NTR5SDVRR3crZjE2cWduOWYxWEtLcm02NE9FcWk4MlhuOTF4VVhOOStMWUVPNgpTM0ppeThCUmc1WUdOREQ5ZzdzVEMxWXdnN2xnZ2NnaW9OcTZmUEZiOW9JUUZteEFSei8wbkpab2tBMmVxZENrcGwyMks1UThodzdKCmlhSWp3dFJLRU5PREhTcURBK3NaR2czMDFVTStNcWl3Mm5hMzRxcXRsVmIybWtPUDZpN04wNk42NkhxSmEzR1ZGLys3Mk85QmR4a2kKcnJTL2tia3ZsWTl5dDMycytvd3EKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0K",
                #"{"name":"admin","user":{"client-certificate-data":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t","client-key-data":"LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpRZERGZ3JqK0VHSDlPNWl4dVgvbVdrQ1ZBOHkyekYzR09rSlBSNWlramd1Zzc2RkN4Wk5xZzZSWW16NkVPRjhBTXUxaXRPL1MxM1I0Ck8xVkVmWHJXeGI4amdmM0lXaVowQXdZTVZjQTFndjhSYXdIcGt5ZkYzSU1KVDEwTXlzZEt2VTNDMWxabWdlcndsYzJtL2p1bTdUd0QKUDcyQmcvNWxndExWNUk2cXJBY0xDN2NROEFjQmV5NTR5SDVRR3crZjE2cWduOWYxWEtLcm02NE9FcWk4MlhuOTF4VVhOOStMWUVPNgpTM0ppeThCUmc1WUdOREQ5ZzdzVEMxWXdnN2xnZ2NnaW9OcTZmUEZiOW9JUUZteEFSei8wbkpab2tBMmVxZENrcGwyMks1UThodzdKCmlhSWp3dFJLRU5PREhTcURBK3NaR2czMDFVTStNcWl3Mm5hMzRxcXRsVmIybWtPUDZpN04wNk42NkhxSmEzR1ZGLys3Mk85QmR4a2kKcnJTL2tia3ZsWTl5dDMycytvd3EKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0K"}}"#,
            ],
            negatives: [
                "    client-certificate-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpRZERGZ3JqK0VHSDlPNWl4dVgvbVdrQ1ZBOHkyekYzR09rSlBSNWlramd1Zzc2RkN4Wk5xZzZSWW16NkVPRjhBTXUxaXRPL1MxM1I0Ck8xVkVmWHJXeGI4amdmM0lXaVowQXdZTVZjQTFndjhSYXdIcGt5ZkYzSU1KVDEwTXlzZEt2VTNDMWxabWdlcndsYzJtL2p1bTdUd0QKUDcyQmcvNWxndExWNUk2cXJBY0xDN2NROEFjQmV5NTR5SDVRR3crZjE2cWduOWYxWEtLcm02NE9FcWk4MlhuOTF4VVhOOStMWUVPNgpTM0ppeThCUmc1WUdOREQ5ZzdzVEMxWXdnN2xnZ2NnaW9OcTZmUEZiOW9JUUZteEFSei8wbkpab2tBMmVxZENrcGwyMks1UThodzdKCmlhSWp3dFJLRU5PREhTcURBK3NaR2czMDFVTStNcWl3Mm5hMzRxcXRsVmIybWtPUDZpN04wNk42NkhxSmEzR1ZGLys3Mk85QmR4a2kKcnJTL2tia3ZsWTl5dDMycytvd3EKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0K",
                "    client-key-data: REDACTED",
            ]
        ),
        SecretRule(
            id: "kubernetes.bootstrap-token",
            title: "Kubernetes bootstrap token",
            provider: "kubernetes",
            keywords: ["--token", "token:"],
            // `abcdef.0123456789abcdef` and `07401b.f395accd246ae52d` are the documentation's examples.
            pattern:
                #"(?:--token[= ]+|\btoken:[ \t]*)["']?(?!abcdef\.0123456789abcdef|07401b\.f395accd246ae52d)([a-z0-9]{6}\.[a-z0-9]{16})(?![a-z0-9.])"#,
            check: .mixedCharacters,
            remediation: "Delete the token (kubeadm token delete), and create join tokens with a short TTL only when a node joins.",
            examples: [
                "kubeadm join 10.0.0.10:6443 --token 51xq16.gty00bw2uf49tiki --discovery-token-ca-cert-hash sha256:6b41a76df5b5900b44d12a9b5a391ad65152fcdcbc836b42830bca7398d44908",
                "    token: 51xq16.gty00bw2uf49tiki",
            ],
            negatives: [
                "kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef",
                "kubeadm join --token <token>",
            ]
        ).requiring(.followedBy(6, .alphanumeric)),
        SecretRule(
            id: "aws.eks.token",
            title: "Amazon EKS bearer token",
            provider: "aws",
            severity: .medium,
            keywords: ["k8s-aws-v1."],
            pattern: #"(?<![A-Za-z0-9_.-])(k8s-aws-v1\.[A-Za-z0-9_-]{100,})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation:
                "The token is a presigned STS request valid for minutes; revoke the sessions of the IAM identity that signed it if it is still valid, and keep kubeconfigs on the aws eks get-token exec plugin.",
            examples: [
                #"{"kind":"ExecCredential","status":{"expirationTimestamp":"2024-12-04T10:29:00Z","token":"k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BU0lBUkxSSjZFM0NDVTNKTURQRiUyRjIwMjQxMjA0JTJGdXMtZWFzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNDEyMDRUMTAxNTAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9NTBkMTQ3M2MzODdkNzk1NjU0ZmE2NWIzOWYxZDNhM2NjMjllY2QwNGRjYjQzNGNhNjQyZmJjMDZmMzQzMmU0NQ"}}"#
            ],
            negatives: ["ref: k8s-aws-v1.84sl1i0XSslTAgt1lWAyOger8Htq2U"]
        ),
        SecretRule(
            id: "openshift.oauth-token",
            title: "OpenShift OAuth access token",
            provider: "openshift",
            severity: .medium,
            keywords: ["sha256~"],
            pattern: #"(?<![A-Za-z0-9_-])(sha256~[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])"#,
            minEntropy: 4.0,
            remediation: "Delete the token (oc delete oauthaccesstoken), and give automation a ServiceAccount with a bound token.",
            examples: ["oc login --token=sha256~MJMBaMDSxRtVGi3HVO-yZfphTVVYi88dMqa8e9nptHC --server=https://api.ocp.corp.io:6443"],
            negatives: ["oc login --token=sha256~<token>", "digest: sha256~84sl1i0XSslTAgt1lWAyOger8Htq2U"]
        ),
    ]

    // MARK: Containers

    static let containers: [SecretRule] = [
        SecretRule(
            id: "docker.config.auth",
            title: "Container registry credentials in a Docker config.json",
            provider: "docker",
            keywords: [#""auth""#, #"\"auth\""#],
            // base64 of `user:password`; a value ending in the encoding of `:` has an empty password.
            // Also inside a JSON string (`\"auth\":\"…\"`), as in a manifest's stringData.
            pattern: #"\\?"auth\\?"\s*:\s*\\?"([A-Za-z0-9+/]{8,}={0,2})(?<!Og==)(?<![DTjz]o=)(?<![AEIMQUYcgkosw048]6)\\?""#,
            minEntropy: 3.0,
            check: .base64(minBytes: 6),
            remediation:
                "Revoke the registry password or token, log out (docker logout), and use a credential helper (credsStore) so config.json holds no secrets.",
            examples: [
                #"{"auths":{"registry.corp.io":{"auth":"Y2ktYm90OmZkWmlrWUJJNUhNRzIzajlQZmV6"}}}"#,
                #"      "auth": "Y2ktYm90OmZkWmlrWUJJNUhNRzIzajlQZmV6","#,
                #"  .dockerconfigjson: "{\"auths\":{\"registry.corp.io\":{\"auth\":\"Y2ktYm90OmZkWmlrWUJJNUhNRzIzajlQZmV6\"}}}""#,
            ],
            negatives: [
                #"{"auths":{"registry.corp.io":{"auth":"Y2ktYm90Og=="}}}"#,
                #"{"auths":{"registry.corp.io":{"auth":""}}}"#,
            ]
        ),
        SecretRule(
            id: "docker.config.base64",
            title: "Base64-encoded Docker config.json (Kubernetes image pull secret)",
            provider: "docker",
            keywords: ["eyjhdxrocyi6"],
            // `{"auths":` in base64, the value of a `.dockerconfigjson` Secret key.
            pattern: #"(?<![A-Za-z0-9+/])(eyJhdXRocyI6[A-Za-z0-9+/]{40,}={0,2})(?![A-Za-z0-9+/=])"#,
            minEntropy: 4.0,
            check: .base64(minBytes: 40),
            remediation:
                "Revoke the registry credentials it holds, and create the pull secret from a secrets manager (External Secrets, sealed secrets) rather than a committed manifest.",
            examples: [
                "  .dockerconfigjson: eyJhdXRocyI6IHsicmVnaXN0cnkuY29ycC5pbyI6IHsidXNlcm5hbWUiOiAiY2kiLCAicGFzc3dvcmQiOiAiZlJVQlJMdVFiVk1OMlBtQTRueXIwQlJLIiwgImF1dGgiOiAiWTJrNmEwTXdOM0ZqUkZoelIwNVpPVE0zV25aNGRXSklhVGxUIn19fQ=="
            ],
            negatives: ["  .dockerconfigjson: eyJhdXRocyI6e319"]
        ),
        SecretRule(
            id: "docker.hub.pat",
            title: "Docker Hub personal access token",
            provider: "docker",
            keywords: ["dckr_pat_"],
            pattern: #"(?<![A-Za-z0-9_-])(dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation:
                "Delete the token under Account settings → Personal access tokens, and give CI a token with read-only or repository-scoped access.",
            examples: [
                "echo dckr_pat_X8WsGMEI3fMZP7RL1N8K4g88Ka_ | docker login -u ci-bot --password-stdin",
                "DOCKERHUB_TOKEN=dckr_pat_X8WsGMEI3fMZP7RL1N8K4g88Ka_",
            ],
            negatives: ["ref: dckr_pat_qE1fyTAUq9MtEaJlXbSq", "DOCKERHUB_TOKEN=dckr_pat_<token>"]
        ),
        SecretRule(
            id: "docker.hub.organization-token",
            title: "Docker Hub organization access token",
            provider: "docker",
            keywords: ["dckr_oat_"],
            pattern: #"(?<![A-Za-z0-9_-])(dckr_oat_[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])"#,
            minEntropy: 3.5,
            remediation: "Delete the token in the organization's Access tokens settings, and issue one limited to the repositories it needs.",
            examples: ["DOCKERHUB_ORG_TOKEN=dckr_oat_Ln02wWqdgGbGYymE5KcUeUGDTWj6wgWr"],
            negatives: ["ref: dckr_oat_qE1fyTAUq9MtEaJlXbSq"]
        ),
    ]

    // MARK: JSON Web Tokens

    static let jsonWebTokens: [SecretRule] = [
        SecretRule(
            id: "jwt",
            title: "JSON Web Token",
            provider: "jwt",
            severity: .medium,
            keywords: ["eyj"],
            // Three base64url parts, header and claims JSON objects, a signature; legacy Kubernetes
            // ServiceAccount tokens are left to their own rule. Its own provider, not `generic`:
            // a JWT assigned to `id_token` is a JWT, not a generic secret.
            pattern:
                #"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.(?!eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50I)eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])"#,
            check: .jwt,
            remediation:
                "Find the issuer from the token's claims: revoke the session or signing key if the token is long-lived, and stop storing bearer tokens in files.",
            examples: [
                #"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTczMzMwMDAwMCwiZXhwIjoxNzY0ODM2MDAwLCJzY29wZSI6Imludm9pY2VzOndyaXRlIn0.7s2t3p_GttKPS93TogmCg5Z6X3MiUNCNSjMEEKEYsvc"#,
                #"{"id_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTczMzMwMDAwMCwiZXhwIjoxNzY0ODM2MDAwLCJzY29wZSI6Imludm9pY2VzOndyaXRlIn0.7s2t3p_GttKPS93TogmCg5Z6X3MiUNCNSjMEEKEYsvc"}"#,
            ],
            negatives: [
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
                "data: eyJOEynUqCvGa9lPJOBM3PBurV9kN7jEK.eyJxS1i9ECDlDRHFMMtICNDXgEc965RDmhwFayB48u1.dUmi4Yh76JB8I7W3ahiLVmi9oXXqbwTd9cXmcmo8Mnn",
            ]
        ).requiring(.followedBy(12, .base64url))
    ]

    // MARK: Database URLs

    /// A URL rule for one database family: `scheme://user:password@host`, the password in group 2.
    ///
    /// The password must not be a variable (`$`, `${`, `%(`, `{`), a mask, a word like `password`,
    /// or the user name repeated (`postgres:postgres@`, `guest:guest@`: local defaults).
    static func databaseURL(
        id: String,
        title: String,
        provider: String,
        schemes: String,
        keywords: [String],
        examples: [String],
        negatives: [String]
    ) -> SecretRule {
        SecretRule(
            id: id,
            title: title,
            provider: provider,
            keywords: keywords,
            pattern: #"(?i)(?<![A-Za-z0-9+.-])(?:"# + schemes
                + #")://([^:/?#@\s"'<>]*):(?!\1@)(?![$%{<*\[])(?!(?:password|passwd|pass|pwd|secret|x+|\*+)@)([^@/\s"'<>]{3,200})@(?=[A-Za-z0-9\[_-])"#,
            secretGroup: 2,
            minEntropy: 2.5,
            remediation:
                "Rotate the database user's password, and have the application read its connection string from a secrets manager (or use IAM / managed-identity authentication).",
            examples: examples,
            negatives: negatives
        )
    }

    static let databaseURLs: [SecretRule] = [
        databaseURL(
            id: "postgres.connection-url",
            title: "PostgreSQL connection URL with a password",
            provider: "postgres",
            schemes: #"postgres|postgresql(?:\+(?:psycopg2|psycopg|asyncpg|pg8000))?"#,
            keywords: [
                "postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+psycopg://", "postgresql+asyncpg://", "postgresql+pg8000://",
            ],
            examples: [
                "DATABASE_URL=postgres://billing:HupTXj2ykNZ3ndSN6X@db.prod.internal:5432/billing?sslmode=require",
                #"SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://app:HupTXj2ykNZ3ndSN6X@10.2.0.15/app""#,
            ],
            negatives: [
                "DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev",
                "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
                "DATABASE_URL=postgres://app:password@db:5432/app",
                "DATABASE_URL=postgres://db.prod.internal:5432/billing",
            ]
        ),
        databaseURL(
            id: "mysql.connection-url",
            title: "MySQL / MariaDB connection URL with a password",
            provider: "mysql",
            schemes: #"mysql(?:\+(?:pymysql|mysqldb|aiomysql|mysqlconnector|asyncmy))?|mariadb"#,
            keywords: [
                "mysql://", "mysql+pymysql://", "mysql+mysqldb://", "mysql+aiomysql://", "mysql+mysqlconnector://", "mysql+asyncmy://", "mariadb://",
            ],
            examples: ["DATABASE_URL=mysql://shop:HupTXj2ykNZ3ndSN6X@mysql.prod.internal:3306/shop"],
            negatives: ["DATABASE_URL=mysql://root:root@127.0.0.1:3306/test", "DATABASE_URL=mysql://shop:$MYSQL_PASSWORD@mysql:3306/shop"]
        ),
        databaseURL(
            id: "mongodb.connection-url",
            title: "MongoDB connection URL with a password",
            provider: "mongodb",
            schemes: #"mongodb(?:\+srv)?"#,
            keywords: ["mongodb://", "mongodb+srv://"],
            examples: [
                #"MONGO_URI="mongodb+srv://orders-svc:HupTXj2ykNZ3ndSN6X@cluster0.ab1cd.mongodb.net/orders?retryWrites=true&w=majority""#,
                "mongodb://admin:HupTXj2ykNZ3ndSN6X@mongo-0.mongo:27017,mongo-1.mongo:27017/admin?replicaSet=rs0",
            ],
            negatives: ["mongodb+srv://<username>:<password>@cluster0.ab1cd.mongodb.net/", "mongodb://mongo-0.mongo:27017/orders"]
        ),
        databaseURL(
            id: "redis.connection-url",
            title: "Redis connection URL with a password",
            provider: "redis",
            schemes: "rediss?",
            keywords: ["redis://", "rediss://"],
            examples: [
                "REDIS_URL=rediss://:HupTXj2ykNZ3ndSN6X@cache.prod.internal:6380/0",
                "CELERY_BROKER_URL=redis://default:HupTXj2ykNZ3ndSN6X@redis:6379/1",
            ],
            negatives: ["REDIS_URL=redis://localhost:6379/0", "REDIS_URL=redis://:{REDIS_PASSWORD}@redis:6379"]
        ),
        databaseURL(
            id: "amqp.connection-url",
            title: "AMQP (RabbitMQ) connection URL with a password",
            provider: "amqp",
            schemes: "amqps?",
            keywords: ["amqp://", "amqps://"],
            examples: ["AMQP_URL=amqps://orders:HupTXj2ykNZ3ndSN6X@b-1a2b3c.mq.us-east-1.amazonaws.com:5671/%2f"],
            negatives: ["AMQP_URL=amqp://guest:guest@localhost:5672/", "AMQP_URL=amqp://orders:***@rabbit:5672/"]
        ),
        databaseURL(
            id: "mssql.connection-url",
            title: "SQL Server connection URL with a password",
            provider: "mssql",
            schemes: "mssql|sqlserver",
            keywords: ["mssql://", "sqlserver://"],
            examples: ["DATABASE_URL=sqlserver://sa_app:HupTXj2ykNZ3ndSN6X@sql.prod.internal:1433/ledger"],
            negatives: ["DATABASE_URL=sqlserver://sa:<YourStrong@Passw0rd>@localhost:1433"]
        ),
        SecretRule(
            id: "jdbc.connection-password",
            title: "JDBC URL with a password parameter",
            provider: "jdbc",
            keywords: ["jdbc:"],
            pattern:
                #"(?i)\bjdbc:(?:postgresql|mysql|mariadb|sqlserver|oracle:thin|db2|redshift|snowflake)[:@/][^\s"'<>]*?[?&;](?:password|pwd)=(?![$%{<*\[])(?!(?:password|secret|changeme)(?:[&;\s"']|$))([^&;\s"'<>]{3,200})"#,
            minEntropy: 2.5,
            remediation: "Rotate the database user's password, and have the application read it from a secrets manager instead of the JDBC URL.",
            examples: [
                "spring.datasource.url=jdbc:postgresql://db.prod.internal:5432/ledger?user=ledger&password=HupTXj2ykNZ3ndSN6X&ssl=true",
                #"<property name="url" value="jdbc:sqlserver://sql.prod.internal:1433;databaseName=ledger;user=ledger;password=HupTXj2ykNZ3ndSN6X;encrypt=true"/>"#,
            ],
            negatives: [
                "spring.datasource.url=jdbc:postgresql://db:5432/ledger?user=ledger&password=${DB_PASSWORD}",
                "jdbc:mysql://db:3306/shop?useSSL=true",
            ]
        ),
    ]
}

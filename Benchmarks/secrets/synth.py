"""Format-valid synthetic secrets and hard negatives, drawn from a seeded random.Random.

Every secret has the issuer's length, alphabet, prefix and (where the format has one) checksum,
so a scanner that checks structure accepts it; none is a real credential and none is a vendor's
documented example (those are hard negatives). Shared by gen_tree.py and gen_history.py.
"""
import base64
import json
import zlib

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
BASE62 = DIGITS + UPPER + LOWER  # GitHub's checksum alphabet order: 0-9A-Za-z
ALNUM = UPPER + LOWER + DIGITS
HEX = "0123456789abcdef"
B32 = UPPER + "234567"
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"


def pick(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def base62_crc32(text):
    """CRC32 of text, in base62 (0-9A-Za-z), left-padded with '0' to 6 characters."""
    n = zlib.crc32(text.encode())
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(6, "0")


def checksummed(rng, prefix):
    """GitHub's token shape (also npm's): prefix + 30 random base62 + 6-char base62 CRC32 of the random part."""
    body = pick(rng, ALNUM, 30)
    return prefix + body + base62_crc32(body)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem_body(rng, der_prefix, total):
    raw = der_prefix + rng.randbytes(total - len(der_prefix))
    text = base64.b64encode(raw).decode()
    return [text[i:i + 64] for i in range(0, len(text), 64)]


def pem(label, lines):
    return [f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]


def rsa_private_key(rng):
    # 30 82 04 a4 02 01 00 02 82 01 01 00: the DER start of every 2048-bit PKCS#1 key ("MIIEpAIBAAKCAQEA").
    return pem("RSA PRIVATE KEY", pem_body(rng, bytes.fromhex("308204a4020100028201010000"), 1192))


def pkcs8_private_key(rng):
    return pem("PRIVATE KEY", pem_body(rng, bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7"), 1217))


def ec_private_key(rng):
    return pem("EC PRIVATE KEY", pem_body(rng, bytes.fromhex("307702010104"), 121))


def openssh_private_key(rng):
    head = b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x33\x00\x00\x00\x0bssh-ed25519"
    raw = head + rng.randbytes(400 - len(head))
    text = base64.b64encode(raw).decode()
    return pem("OPENSSH PRIVATE KEY", [text[i:i + 70] for i in range(0, len(text), 70)])


def jwt(rng):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = {"sub": pick(rng, DIGITS, 10), "name": pick(rng, LOWER, 8), "iat": 1700000000 + rng.randrange(10**7)}
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    return f"{header}.{body}.{b64url(rng.randbytes(32))}"


def password(rng, n=20):
    # Mixed classes so a scanner's entropy filter sees what a generated password looks like.
    chars = [rng.choice(UPPER), rng.choice(LOWER), rng.choice(DIGITS), rng.choice("!#%^*-_=+")]
    chars += [rng.choice(ALNUM + "!#%^*-_") for _ in range(n - 4)]
    rng.shuffle(chars)
    return "".join(chars)


def gcp_service_account(rng, project):
    key = pkcs8_private_key(rng)
    email = f"{pick(rng, LOWER, 8)}-deployer@{project}.iam.gserviceaccount.com"
    return [
        "{",
        '  "type": "service_account",',
        f'  "project_id": "{project}",',
        f'  "private_key_id": "{pick(rng, HEX, 40)}",',
        '  "private_key": "' + "\\n".join(key) + '\\n",',
        f'  "client_email": "{email}",',
        f'  "client_id": "1{pick(rng, DIGITS, 20)}",',
        '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",',
        '  "token_uri": "https://oauth2.googleapis.com/token",',
        '  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",',
        f'  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/{email.replace("@", "%40")}",',
        '  "universe_domain": "googleapis.com"',
        "}",
    ]


# Single-value secrets: kind -> (variable name, value generator). The kind names follow the
# `provider.kind` rule ids of the contract; a rule may be named differently, so scoring matches
# on location and reports kinds only to show which formats were missed.
SINGLE = {
    "github.pat.classic": ("GITHUB_TOKEN", lambda r: checksummed(r, "ghp_")),
    "github.oauth": ("GH_OAUTH_TOKEN", lambda r: checksummed(r, "gho_")),
    "github.app-user": ("GITHUB_USER_TOKEN", lambda r: checksummed(r, "ghu_")),
    "github.app-server": ("GITHUB_APP_TOKEN", lambda r: checksummed(r, "ghs_")),
    "github.app-refresh": ("GITHUB_REFRESH_TOKEN", lambda r: checksummed(r, "ghr_")),
    "github.pat.fine-grained": ("GH_PAT", lambda r: "github_pat_" + pick(r, ALNUM, 22) + "_" + pick(r, ALNUM, 59)),
    "slack.bot-token": ("SLACK_BOT_TOKEN", lambda r: f"xoxb-{pick(r, DIGITS, 12)}-{pick(r, DIGITS, 13)}-{pick(r, ALNUM, 24)}"),
    "slack.user-token": ("SLACK_USER_TOKEN",
                         lambda r: f"xoxp-{pick(r, DIGITS, 12)}-{pick(r, DIGITS, 12)}-{pick(r, DIGITS, 13)}-{pick(r, HEX, 32)}"),
    "slack.webhook": ("SLACK_WEBHOOK_URL",
                      lambda r: f"https://hooks.slack.com/services/T{pick(r, UPPER + DIGITS, 10)}/B{pick(r, UPPER + DIGITS, 10)}/{pick(r, ALNUM, 24)}"),
    "stripe.secret-key": ("STRIPE_SECRET_KEY", lambda r: "sk_live_" + pick(r, ALNUM, 99)),
    "stripe.restricted-key": ("STRIPE_RESTRICTED_KEY", lambda r: "rk_live_" + pick(r, ALNUM, 24)),
    "gcp.api-key": ("GOOGLE_API_KEY", lambda r: "AIza" + pick(r, ALNUM + "-_", 35)),
    "postgres.url": ("DATABASE_URL",
                     lambda r: f"postgres://app_{pick(r, LOWER, 5)}:{pick(r, ALNUM, 24)}@db-{pick(r, LOWER, 6)}.internal:5432/orders"),
    "mysql.url": ("MYSQL_URL", lambda r: f"mysql://svc_{pick(r, LOWER, 4)}:{pick(r, ALNUM, 20)}@mysql.{pick(r, LOWER, 5)}.svc:3306/billing"),
    "mongodb.url": ("MONGO_URI",
                    lambda r: f"mongodb+srv://etl:{pick(r, ALNUM, 22)}@cluster0.{pick(r, LOWER + DIGITS, 5)}.mongodb.net/events"),
    "jwt": ("SESSION_JWT", jwt),
    "gitlab.pat": ("GITLAB_TOKEN", lambda r: "glpat-" + pick(r, ALNUM + "-_", 20)),
    "sendgrid.api-key": ("SENDGRID_API_KEY", lambda r: "SG." + pick(r, B64URL, 22) + "." + pick(r, B64URL, 43)),
    "npm.token": ("NPM_TOKEN", lambda r: checksummed(r, "npm_")),
    "twilio.api-key": ("TWILIO_API_KEY", lambda r: "SK" + pick(r, HEX, 32)),
    "openai.api-key": ("OPENAI_API_KEY", lambda r: "sk-" + pick(r, ALNUM, 20) + "T3BlbkFJ" + pick(r, ALNUM, 20)),
    "anthropic.api-key": ("ANTHROPIC_API_KEY", lambda r: "sk-ant-api03-" + pick(r, B64URL, 93) + "AA"),
    "shopify.access-token": ("SHOPIFY_ACCESS_TOKEN", lambda r: "shpat_" + pick(r, HEX, 32)),
    "vault.token": ("VAULT_TOKEN", lambda r: "hvs.CAESI" + pick(r, B64URL, 86)),
    "discord.webhook": ("DISCORD_WEBHOOK",
                        lambda r: f"https://discord.com/api/webhooks/1{pick(r, DIGITS, 18)}/{pick(r, B64URL, 68)}"),
    "telegram.bot-token": ("TELEGRAM_BOT_TOKEN", lambda r: f"{r.randrange(10**9, 7 * 10**9)}:AA{pick(r, B64URL, 33)}"),
    "pypi.token": ("PYPI_TOKEN", lambda r: "pypi-AgEIcHlwaS5vcmc" + pick(r, B64URL, 70)),
    "docker.pat": ("DOCKERHUB_TOKEN", lambda r: "dckr_pat_" + pick(r, B64URL, 27)),
    "digitalocean.token": ("DIGITALOCEAN_TOKEN", lambda r: "dop_v1_" + pick(r, HEX, 64)),
    "huggingface.token": ("HF_TOKEN", lambda r: "hf_" + pick(r, UPPER + LOWER, 34)),
    "linear.api-key": ("LINEAR_API_KEY", lambda r: "lin_api_" + pick(r, ALNUM, 40)),
    "newrelic.api-key": ("NEW_RELIC_API_KEY", lambda r: "NRAK-" + pick(r, UPPER + DIGITS, 27)),
    "square.access-token": ("SQUARE_ACCESS_TOKEN", lambda r: "sq0atp-" + pick(r, B64URL, 22)),
    "azure.ad-client-secret": ("AZURE_CLIENT_SECRET", lambda r: pick(r, ALNUM, 3) + "8Q~" + pick(r, ALNUM + "_-.~", 34)),
    "azure.storage-connection-string": ("AZURE_STORAGE_CONNECTION_STRING",
                                        lambda r: f"DefaultEndpointsProtocol=https;AccountName=st{pick(r, LOWER + DIGITS, 10)};"
                                                  f"AccountKey={base64.b64encode(r.randbytes(64)).decode()};EndpointSuffix=core.windows.net"),
    "datadog.api-key": ("DD_API_KEY", lambda r: pick(r, HEX, 32)),
    "generic.password": ("db_password", password),
}

# Multi-line secrets: kind -> generator of lines.
MULTI = {
    "pem.rsa-private-key": rsa_private_key,
    "pem.pkcs8-private-key": pkcs8_private_key,
    "pem.ec-private-key": ec_private_key,
    "pem.openssh-private-key": openssh_private_key,
}


def aws_pair(rng):
    """An access key id and its secret on the next line, as in ~/.aws/credentials."""
    return [f"aws_access_key_id = AKIA{pick(rng, B32, 16)}", f"aws_secret_access_key = {pick(rng, B64, 40)}"]


def sha512_integrity(rng):
    return "sha512-" + base64.b64encode(rng.randbytes(64)).decode()


# Hard negatives: things a scanner must not report. kind -> (variable name, value generator).
NEGATIVE = {
    "aws.doc-example-key-id": ("AWS_ACCESS_KEY_ID", lambda r: "AKIAIOSFODNN7EXAMPLE"),
    "aws.doc-example-secret": ("AWS_SECRET_ACCESS_KEY", lambda r: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    "aws.placeholder-key-id": ("AWS_ACCESS_KEY_ID", lambda r: "AKIAXXXXXXXXXXXXXXXX"),
    "placeholder.your-token-here": ("GITHUB_TOKEN", lambda r: "your-token-here"),
    "placeholder.xxx": ("API_KEY", lambda r: "x" * r.choice([8, 16, 32])),
    "placeholder.paste": ("SLACK_TOKEN", lambda r: "<paste token>"),
    "placeholder.env-reference": ("API_KEY", lambda r: "${API_KEY}"),
    "placeholder.changeme": ("password", lambda r: "changeme"),
    "placeholder.github-expression": ("GH_TOKEN", lambda r: "${{ secrets.GITHUB_TOKEN }}"),
    "stripe.publishable-key": ("STRIPE_PUBLISHABLE_KEY", lambda r: "pk_live_" + pick(r, ALNUM, 99)),
    "hash.sha1": ("checksum_sha1", lambda r: pick(r, HEX, 40)),
    "hash.sha256": ("sha256", lambda r: pick(r, HEX, 64)),
    "hash.sha512": ("sha512sum", lambda r: pick(r, HEX, 128)),
    "hash.integrity": ("integrity", sha512_integrity),
    "uuid": ("request_id", lambda r: f"{pick(r, HEX, 8)}-{pick(r, HEX, 4)}-4{pick(r, HEX, 3)}-a{pick(r, HEX, 3)}-{pick(r, HEX, 12)}"),
    "git.commit": ("commit", lambda r: pick(r, HEX, 40)),
    "data-uri.image": ("logo", lambda r: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + base64.b64encode(r.randbytes(180)).decode()),
    "fixture.fake": ("fake_token", lambda r: "fake-" + pick(r, HEX, 24)),
    "fixture.dummy": ("api_key", lambda r: "dummy_" + pick(r, LOWER, 6) + "_key"),
    "fixture.example": ("client_secret", lambda r: "example-secret-" + pick(r, LOWER, 8)),
    "github.bad-checksum": ("GITHUB_TOKEN", lambda r: "ghp_" + pick(r, ALNUM, 30) + "000000"),
    "slack.placeholder": ("SLACK_BOT_TOKEN", lambda r: "xoxb-your-bot-token"),
    "postgres.env-password": ("DATABASE_URL", lambda r: "postgres://app:${POSTGRES_PASSWORD}@db:5432/app"),
}

# Negatives that are whole lines (code, not a value in quotes).
NEGATIVE_LINES = {
    "code.env-lookup": lambda r: 'password = os.environ["DB_PASSWORD"]',
    "code.function-call": lambda r: "token = get_token()",
    "code.getenv": lambda r: 'secret := os.Getenv("CLIENT_SECRET")',
    "ssh.public-key": lambda r: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + base64.b64encode(r.randbytes(256)).decode() + " deploy@ci",
}


def certificate(rng):
    return pem("CERTIFICATE", pem_body(rng, bytes.fromhex("308203"), 800))


def public_key(rng):
    return pem("PUBLIC KEY", pem_body(rng, bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00"), 294))


NEGATIVE_MULTI = {"pem.certificate": certificate, "pem.public-key": public_key}

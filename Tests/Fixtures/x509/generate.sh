#!/usr/bin/env bash
# Generates the X.509 test fixtures (Tests/Fixtures/x509) and the example estate's certificate
# folders (examples/estate/x509) with openssl, with fixed validity dates so tests can judge
# expiry "as of" 2026-11-20T08:00:00Z.
#
# Every key is generated into a temporary directory and deleted with it: only certificates are
# written to the repository. The "private key beside the certificate" cases use placeholder files
# that carry PEM armour around text that is not a key, since Roster never reads a key's content.
#
# Usage (from the repository root): Tests/Fixtures/x509/generate.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/newcerts"
touch "$work/index.txt"
echo 1000 > "$work/serial"

cat > "$work/ca.cnf" <<EOF
[ ca ]
default_ca = acme
[ acme ]
database = $work/index.txt
new_certs_dir = $work/newcerts
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
email_in_dn = yes
[ any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ issuing_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ self_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = \${ENV::SAN}
EOF
export SAN="DNS:unused.invalid"

# key NAME ALGORITHM: a fresh key in the temporary directory.
key() {
    case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$work/$1.key" 2>/dev/null ;;
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" ;;
    esac
}

# issue NAME SUBJECT EXTENSIONS START END ISSUER|self [DIGEST]: a certificate signed by ISSUER (or by itself).
issue() {
    local name=$1 subject=$2 extensions=$3 start=$4 end=$5 issuer=$6 digest=${7:-sha256}
    openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
    if [ "$issuer" = self ]; then
        openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$work/$name.key" -in "$work/$name.csr" -extensions "$extensions" \
            -startdate "$start" -enddate "$end" -md "$digest" -notext -out "$work/$name.pem" 2>/dev/null
    else
        openssl ca -batch -config "$work/ca.cnf" -cert "$work/$issuer.pem" -keyfile "$work/$issuer.key" -in "$work/$name.csr" \
            -extensions "$extensions" -startdate "$start" -enddate "$end" -md "$digest" -notext -out "$work/$name.pem" 2>/dev/null
    fi
}

# A private key placeholder: PEM armour Roster recognises, around text that is not a key.
placeholder_key() {
    printf -- '-----BEGIN %s-----\nUGxhY2Vob2xkZXIsIG5vdCBhIGtleQ==\n-----END %s-----\n' "$2" "$2" > "$1"
}

# The CAs: a root (self-signed, healthy) and an issuing CA under it.
key root rsa2048
issue root "/O=Acme/CN=Acme Root CA" root_ca 20240101000000Z 20360101000000Z self
key issuing rsa2048
issue issuing "/O=Acme/CN=Acme Issuing CA 1" issuing_ca 20240101000000Z 20340101000000Z root

# --- Test fixtures: every case the detectors judge, judged as of 2026-11-20 ---------------------
fixtures=$root/Tests/Fixtures/x509
rm -rf "$fixtures/production" "$fixtures/staging" "$fixtures/broken" "$fixtures/lb-east" "$fixtures/lb-west" "$fixtures/impostor"
mkdir -p "$fixtures/production" "$fixtures/staging" "$fixtures/broken" "$fixtures/lb-east" "$fixtures/lb-west" "$fixtures/impostor"

key payments rsa2048
issue payments "/O=Acme/OU=payments-team/CN=payments-api" client 20260601000000Z 20270601000000Z issuing
key expired rsa2048
issue expired "/O=Acme/OU=billing-team/CN=billing-exporter" client 20250101000000Z 20260101000000Z issuing
key expiring rsa2048
issue expiring "/O=Acme/OU=orders-team/CN=orders-consumer" client 20251210000000Z 20261210000000Z issuing
key later rsa2048
issue later "/O=Acme/OU=orders-team/CN=orders-producer" client 20260119000000Z 20270119000000Z issuing
key legacy rsa1024
issue legacy "/O=Acme/OU=reporting-team/CN=legacy-reporting" client 20260101000000Z 20270101000000Z issuing
key sha1 rsa2048
issue sha1 "/O=Acme/OU=data-team/CN=etl-loader" client 20260101000000Z 20270101000000Z issuing sha1
key selfclient ec
issue selfclient "/O=Acme/CN=vendor-sftp-client" self_client 20260101000000Z 20360101000000Z self
key shared rsa2048
issue shared "/O=Acme/OU=platform-team/CN=deploy-agent" client 20260301000000Z 20270301000000Z issuing
key stgorders ec
issue stgorders "/O=Acme/OU=orders-team/CN=orders-producer-staging" client 20260601000000Z 20270601000000Z issuing
key edge rsa2048
SAN="DNS:edge.acme.io" issue edge "/O=Acme/OU=network-team/CN=edge.acme.io" server 20260701000000Z 20270701000000Z issuing
key api ec
SAN="DNS:api.acme.io,DNS:api.internal.acme.io,IP:10.0.4.12" issue api "/O=Acme/OU=platform-team/CN=api.acme.io" server 20260901000000Z 20270901000000Z issuing

cp "$work/root.pem" "$fixtures/production/root-ca.pem"
cp "$work/issuing.pem" "$fixtures/production/issuing-ca.crt"
cp "$work/payments.pem" "$fixtures/production/payments-api.pem"
placeholder_key "$fixtures/production/payments-api-key.pem" "PRIVATE KEY"
cp "$work/expired.pem" "$fixtures/production/billing-exporter.crt"
cp "$work/expiring.pem" "$fixtures/production/orders-consumer.pem"
cp "$work/later.pem" "$fixtures/production/orders-producer.pem"
cp "$work/legacy.pem" "$fixtures/production/legacy-reporting.pem"
cp "$work/sha1.pem" "$fixtures/production/etl-loader.cer"
cp "$work/selfclient.pem" "$fixtures/production/vendor-sftp-client.pem"
cp "$work/shared.pem" "$fixtures/production/deploy-agent.pem"
openssl x509 -in "$work/api.pem" -outform DER -out "$fixtures/production/api-server.der"
# A bundle: leaf, issuing CA, root, as servers are configured with.
cat "$work/api.pem" "$work/issuing.pem" "$work/root.pem" > "$fixtures/production/api-chain.pem"

cp "$work/root.pem" "$fixtures/staging/root-ca.pem"
cp "$work/shared.pem" "$fixtures/staging/deploy-agent.crt"
# A certificate and an encrypted key in one PEM file.
{ cat "$work/stgorders.pem"; printf -- '-----BEGIN ENCRYPTED PRIVATE KEY-----\nUGxhY2Vob2xkZXIsIG5vdCBhIGtleQ==\n-----END ENCRYPTED PRIVATE KEY-----\n'; } \
    > "$fixtures/staging/orders-producer-bundle.pem"

# Two load balancers' folders (names that say no environment) sharing one server certificate.
cp "$work/edge.pem" "$fixtures/lb-east/edge.pem"
cp "$work/edge.pem" "$fixtures/lb-west/edge.crt"

# A client certificate whose subject is its issuer's name but which the issuing CA signed: self-issued, not self-signed.
key impostor rsa2048
issue impostor "/O=Acme/CN=Acme Issuing CA 1" client 20260101000000Z 20270101000000Z issuing
cp "$work/impostor.pem" "$fixtures/impostor/issuing-ca-lookalike.pem"

# Damaged files, for the bad-input tests (not a folder tests import whole).
head -c 600 "$work/payments.pem" > "$fixtures/broken/truncated.pem"
sed '3s/./!/' "$work/payments.pem" > "$fixtures/broken/bad-base64.pem"
openssl x509 -in "$work/payments.pem" -outform DER | head -c 300 > "$fixtures/broken/truncated.der"

# --- The example estate: acme's production and staging mTLS folders -----------------------------
example=$root/examples/estate/x509
rm -rf "$example/production" "$example/staging"
mkdir -p "$example/production" "$example/staging"

key ex_payments rsa2048
issue ex_payments "/O=Acme/OU=payments-team/CN=payments-api" client 20260601000000Z 20300601000000Z issuing
key ex_web ec
SAN="DNS:www.acme.io,DNS:acme.io" issue ex_web "/O=Acme/OU=web-team/CN=www.acme.io" server 20260901000000Z 20300901000000Z issuing
key ex_expired rsa2048
issue ex_expired "/O=Acme/OU=billing-team/CN=billing-exporter" client 20240301000000Z 20250301000000Z issuing
key ex_legacy rsa1024
issue ex_legacy "/O=Acme/OU=reporting-team/CN=legacy-reporting" client 20260101000000Z 20300101000000Z issuing
key ex_vendor rsa2048
issue ex_vendor "/O=Acme/CN=vendor-sftp-client" self_client 20260101000000Z 20360101000000Z self
key ex_deploy rsa2048
issue ex_deploy "/O=Acme/OU=platform-team/CN=deploy-agent" client 20260301000000Z 20300301000000Z issuing
key ex_stg_orders ec
issue ex_stg_orders "/O=Acme/OU=orders-team/CN=orders-consumer-staging" client 20260601000000Z 20300601000000Z issuing

cat "$work/root.pem" > "$example/production/acme-root-ca.pem"
cat "$work/issuing.pem" > "$example/production/acme-issuing-ca.pem"
cp "$work/ex_payments.pem" "$example/production/payments-api-client.pem"
{ cat "$work/ex_web.pem" "$work/issuing.pem"; } > "$example/production/www-fullchain.pem"
cp "$work/ex_expired.pem" "$example/production/billing-exporter-client.crt"
cp "$work/ex_legacy.pem" "$example/production/legacy-reporting-client.pem"
cp "$work/ex_vendor.pem" "$example/production/vendor-sftp-client.pem"
cp "$work/ex_deploy.pem" "$example/production/deploy-agent-client.pem"

cat "$work/root.pem" > "$example/staging/acme-root-ca.pem"
cat "$work/issuing.pem" > "$example/staging/acme-issuing-ca.pem"
cp "$work/ex_deploy.pem" "$example/staging/deploy-agent-client.pem"
openssl x509 -in "$work/ex_stg_orders.pem" -outform DER -out "$example/staging/orders-consumer-staging.der"
placeholder_key "$example/staging/orders-consumer-staging.key" "EC PRIVATE KEY"

echo "wrote $fixtures and $example"

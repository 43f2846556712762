#!/usr/bin/env bash
# Web identity federation with the real aws CLI, as the README shows it: the built-in test
# issuer mints a GitHub-shaped token (curl, SigV4-signed by the root with --aws-sigv4), an
# IAM OIDC provider trusts the issuer, a role trusts one repo and branch; then
# assume-role-with-web-identity gets a session that can act, and other tokens are refused.
source "$(dirname "$0")/lib.sh"
passed=0

ISSUER="$AWS_ENDPOINT_URL/_iamlocal/oidc/github"
PROVIDER_KEY="${ISSUER#http://}"
mint() { # mint JSON-BODY → the token
  curl -sf --aws-sigv4 "aws:amz:us-east-1:sts" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H 'content-type: application/json' -d "$1" "$ISSUER/token" | jq -r .token
}

curl -sf "$ISSUER/.well-known/openid-configuration" | jq -e --arg iss "$ISSUER" '.issuer == $iss' >/dev/null || fail "discovery"; passed=$((passed+1))
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "$ISSUER/token")" = 403 ] || fail "unsigned mint"; passed=$((passed+1))

PROVIDER_ARN=$(aws iam create-open-id-connect-provider --url "$ISSUER" --client-id-list sts.amazonaws.com --query OpenIDConnectProviderArn --output text)
[ "$PROVIDER_ARN" = "arn:aws:iam::000000000000:oidc-provider/$PROVIDER_KEY" ] || fail "provider arn $PROVIDER_ARN"; passed=$((passed+1))

cat >"$DATA_DIR/trust.json" <<JSON
{ "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Principal": { "Federated": "$PROVIDER_ARN" },
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": { "StringEquals": { "$PROVIDER_KEY:aud": "sts.amazonaws.com" },
                   "StringLike": { "$PROVIDER_KEY:sub": "repo:acme/app:ref:refs/heads/main" } } }] }
JSON
aws iam create-role --role-name gha-deploy --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
aws iam put-role-policy --role-name gha-deploy --policy-name read --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}'

TOKEN=$(mint '{"profile":"github","claims":{"repository":"acme/app","ref":"refs/heads/main"}}')
read -r KEY SECRET SESSION SUBJECT < <(aws sts assume-role-with-web-identity --role-arn arn:aws:iam::000000000000:role/gha-deploy \
  --role-session-name gha --web-identity-token "$TOKEN" \
  --query '[Credentials.AccessKeyId,Credentials.SecretAccessKey,Credentials.SessionToken,SubjectFromWebIdentityToken]' --output text)
[[ $KEY == ASIA* ]] || fail "session key $KEY"; passed=$((passed+1))
[ "$SUBJECT" = "repo:acme/app:ref:refs/heads/main" ] || fail "subject $SUBJECT"; passed=$((passed+1))

as_session() { AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$SESSION "$@"; }
[ "$(as_session aws sts get-caller-identity --query Arn --output text)" = "arn:aws:sts::000000000000:assumed-role/gha-deploy/gha" ] || fail "caller"; passed=$((passed+1))
as_session aws iam list-roles --query 'Roles[].RoleName' --output text | grep -q gha-deploy || fail "session list-roles"; passed=$((passed+1))
expect_error AccessDenied as_session aws iam list-users; passed=$((passed+1))

OTHER=$(mint '{"profile":"github","claims":{"repository":"acme/app","ref":"refs/heads/feature"}}')
expect_error "Not authorized to perform sts:AssumeRoleWithWebIdentity" aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::000000000000:role/gha-deploy --role-session-name gha --web-identity-token "$OTHER"; passed=$((passed+1))
EXPIRED=$(mint '{"profile":"github","claims":{"repository":"acme/app"},"expiresIn":-1}')
expect_error ExpiredTokenException aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::000000000000:role/gha-deploy --role-session-name gha --web-identity-token "$EXPIRED"; passed=$((passed+1))
echo "federation aws CLI: $passed passed, 0 failed"

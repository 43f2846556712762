#!/usr/bin/env bash
# Services iamlocal does not serve, asked with the real aws CLI and boto3: each answers in
# its own protocol with an error that names it, never S3's XML ("Unknown").
source "$(dirname "$0")/lib.sh"
passed=0

# expect_named SERVICE-ID command… : fails with NotImplemented naming the service.
expect_named() {
  local id=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected NotImplemented from: $*"; fi
  grep -q "NotImplemented" <<<"$out" && grep -q "does not serve $id" <<<"$out" || fail "expected NotImplemented naming $id from: $* — got: $out"
}

expect_named CloudFormation aws cloudformation list-stacks; passed=$((passed+1))   # query
expect_named SFN aws stepfunctions list-state-machines; passed=$((passed+1))  # json-1.0
expect_named KMS aws kms list-keys; passed=$((passed+1))                            # json-1.1
expect_named Lambda aws lambda list-functions; passed=$((passed+1))                 # rest-json
expect_named "Route 53" aws route53 list-hosted-zones; passed=$((passed+1))         # rest-xml

python3 - <<'PY' || fail "boto3 reads the error"
import boto3, botocore.exceptions
try:
    boto3.client('sns').list_topics()
    raise SystemExit('no error')
except botocore.exceptions.ClientError as e:
    err = e.response['Error']
    assert err['Code'] == 'NotImplemented', err
    assert 'does not serve SNS' in err['Message'], err
PY
passed=$((passed+1))

# The services it does serve still answer.
[ "$(aws sts get-caller-identity --query Account --output text)" = 000000000000 ] || fail "sts"; passed=$((passed+1))
echo "unserved services aws CLI + boto3: $passed passed, 0 failed"

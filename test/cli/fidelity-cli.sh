#!/usr/bin/env bash
# Answers as AWS gives them, asked with the real aws CLI and boto3: an AWS managed policy's
# older version, empty Tags where AWS shows them, and error texts recorded from AWS
# (LocalStack's snapshot files; see test/server/aws-error-messages.test.ts for the table).
source "$(dirname "$0")/lib.sh"
passed=0

# expect_message TEXT command… : the command must fail and print AWS's exact message.
expect_message() {
  local text=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected an error from: $*"; fi
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' from: $* — got: $out"
}

# The issue's command: AmazonS3FullAccess v1 (s3:* alone), not its default v2.
doc=$(aws iam get-policy-version --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess --version-id v1 \
  --query 'PolicyVersion.[IsDefaultVersion,Document.Statement[0].Action]' --output text)
[ "$doc" = "False	s3:*" ] || fail "AmazonS3FullAccess v1: $doc"; passed=$((passed+1))
versions=$(aws iam list-policy-versions --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess \
  --query 'Versions[].[VersionId,IsDefaultVersion]' --output text | tr '\t\n' ': ')
[ "$versions" = "v2:True v1:False " ] || fail "AmazonS3FullAccess versions: $versions"; passed=$((passed+1))

# GetPolicy answers Tags: [] for an untagged policy; CreatePolicy has neither Tags nor Description.
aws iam create-policy --policy-name plain --description "not echoed" \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}' \
  --query 'Policy.[Description,Tags]' --output text | grep -qx "None	None" || fail "create-policy members"; passed=$((passed+1))
[ "$(aws iam get-policy --policy-arn arn:aws:iam::000000000000:policy/plain --query 'length(Policy.Tags)')" = 0 ] || fail "get-policy Tags"
passed=$((passed+1))

expect_message "The account policy with name PasswordPolicy cannot be found." aws iam delete-account-password-policy; passed=$((passed+1))
expect_message "Invalid Marker." aws iam list-users --starting-token bm90LWEtbWFya2Vy --max-items 1; passed=$((passed+1))

python3 - <<'PY' || fail "boto3 reads RemoveUserFromGroup's order of checks"
import boto3, botocore.exceptions
try:
    boto3.client('iam').remove_user_from_group(GroupName='non-existent-group', UserName='any-user')
    raise SystemExit('no error')
except botocore.exceptions.ClientError as e:
    err = e.response['Error']
    assert err['Code'] == 'NoSuchEntity', err
    assert err['Message'] == 'The user with name any-user cannot be found.', err
PY
passed=$((passed+1))
echo "AWS fidelity aws CLI + boto3: $passed passed, 0 failed"

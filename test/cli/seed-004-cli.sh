#!/usr/bin/env bash
# Seed 004 with the real aws CLI: create a user and a customer managed policy's worth of
# permissions, make access keys, see a user with no policy denied, then allowed.
source "$(dirname "$0")/lib.sh"
passed=0

acct=$(aws sts get-caller-identity --query Account --output text)
[ "$acct" = 000000000000 ] || fail "account was $acct"; passed=$((passed+1))

aws iam create-user --user-name edXProjectUser >/dev/null
[ "$(aws iam get-user --user-name edXProjectUser --query User.UserName --output text)" = edXProjectUser ] || fail "get-user"; passed=$((passed+1))

read -r KEY SECRET < <(aws iam create-access-key --user-name edXProjectUser --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
[[ $KEY == AKIA* ]] || fail "access key id $KEY"; passed=$((passed+1))

[ "$(as_user "$KEY" "$SECRET" aws sts get-caller-identity --query Arn --output text)" = "arn:aws:iam::000000000000:user/edXProjectUser" ] || fail "caller arn"; passed=$((passed+1))
expect_error AccessDenied as_user "$KEY" "$SECRET" aws iam list-users; passed=$((passed+1))

cat >"$DATA_DIR/policy.json" <<'JSON'
{ "Version": "2012-10-17",
  "Statement": [{ "Sid": "Sid1", "Effect": "Allow", "Action": ["iam:*", "ec2:*", "s3:*", "sts:*"], "Resource": "*" }] }
JSON
aws iam put-user-policy --user-name edXProjectUser --policy-name edXProjectPolicy --policy-document "file://$DATA_DIR/policy.json"
as_user "$KEY" "$SECRET" aws iam list-users --query 'Users[].UserName' --output text | grep -q edXProjectUser || fail "allowed list-users"; passed=$((passed+1))

expect_error MalformedPolicyDocument aws iam put-user-policy --user-name edXProjectUser --policy-name broken --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}'; passed=$((passed+1))
expect_error SignatureDoesNotMatch as_user "$KEY" "wrong${SECRET:5}" aws iam list-users; passed=$((passed+1))
expect_error NoSuchEntity aws iam get-user --user-name nobody; passed=$((passed+1))

# The tutorial ends by removing the access keys.
aws iam delete-access-key --user-name edXProjectUser --access-key-id "$KEY"
expect_error InvalidClientTokenId as_user "$KEY" "$SECRET" aws sts get-caller-identity; passed=$((passed+1))
echo "seed-004 aws CLI: $passed passed, 0 failed"

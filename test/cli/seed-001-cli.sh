#!/usr/bin/env bash
# Seed 001 with the real aws CLI: admin and engineer groups with the tutorial's managed
# policies, aws:RequestedRegion conditions and ${aws:username} self-service statements.
source "$(dirname "$0")/lib.sh"
FIXTURES="$ROOT_DIR/test/policy/fixtures"
passed=0
ok() { passed=$((passed+1)); }

# The tutorial's two policies (copied from its text into test fixtures): admin_access as
# written, engineer_access as written (with trailing commas) and with the commas fixed.
cp "$FIXTURES/seed001-admin_access.json" "$DATA_DIR/admin_access.json"
cp "$FIXTURES/seed001-engineer_access.broken.json" "$DATA_DIR/engineer_access_broken.json"
cp "$FIXTURES/seed001-engineer_access.json" "$DATA_DIR/engineer_access.json"

# Root sets up the admin group (step 2 of the tutorial).
aws iam create-group --group-name admin >/dev/null
admin_arn=$(aws iam create-policy --policy-name admin_access --policy-document "file://$DATA_DIR/admin_access.json" --query Policy.Arn --output text)
[ "$admin_arn" = "arn:aws:iam::000000000000:policy/admin_access" ] || fail "policy arn $admin_arn"; ok
aws iam attach-group-policy --group-name admin --policy-arn "$admin_arn"
aws iam create-user --user-name admin_erika >/dev/null
aws iam create-login-profile --user-name admin_erika --password 'Str0ng!Passw0rd#1' >/dev/null
aws iam add-user-to-group --group-name admin --user-name admin_erika
[ "$(aws iam get-group --group-name admin --query 'Users[0].UserName' --output text)" = admin_erika ] || fail "group member"; ok
read -r AK AS < <(aws iam create-access-key --user-name admin_erika --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)

# The admin: IAM only through us-east-1 (UseConsole) or ap-southeast-2 (everything there).
as_user "$AK" "$AS" aws iam create-user --user-name made-in-us-east-1 --region us-east-1 >/dev/null || fail "admin create-user in us-east-1"; ok
# IAM is global (always us-east-1), so the admin's us-east-1 statement covers IAM from any shell.
as_user "$AK" "$AS" aws iam create-user --user-name made-in-eu --region eu-west-1 >/dev/null || fail "admin create-user from an eu-west-1 shell"; ok
as_user "$AK" "$AS" aws iam create-user --user-name made-in-sydney --region ap-southeast-2 >/dev/null || fail "admin create-user in ap-southeast-2"; ok

# The admin builds the engineer group (step 4). The policy as printed has trailing commas.
expect_error MalformedPolicyDocument as_user "$AK" "$AS" aws iam create-policy --policy-name engineer_access --policy-document "file://$DATA_DIR/engineer_access_broken.json" --region us-east-1; ok
as_user "$AK" "$AS" aws iam create-group --group-name engineer --region us-east-1 >/dev/null
eng_arn=$(as_user "$AK" "$AS" aws iam create-policy --policy-name engineer_access --policy-document "file://$DATA_DIR/engineer_access.json" --region us-east-1 --query Policy.Arn --output text)
as_user "$AK" "$AS" aws iam attach-group-policy --group-name engineer --policy-arn "$eng_arn" --region us-east-1
as_user "$AK" "$AS" aws iam create-user --user-name engineer_erika --region us-east-1 >/dev/null
as_user "$AK" "$AS" aws iam add-user-to-group --group-name engineer --user-name engineer_erika --region us-east-1
read -r EK ES < <(as_user "$AK" "$AS" aws iam create-access-key --user-name engineer_erika --region us-east-1 --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
[[ $EK == AKIA* ]] || fail "engineer key"; ok

# The engineer manages only its own credentials, and only through us-east-1.
[ "$(as_user "$EK" "$ES" aws iam get-user --region us-east-1 --query User.UserName --output text)" = engineer_erika ] || fail "engineer get-user self"; ok
as_user "$EK" "$ES" aws iam list-access-keys --region us-east-1 --query 'AccessKeyMetadata[].AccessKeyId' --output text | grep -q "$EK" || fail "engineer lists own keys"; ok
read -r EK2 _ < <(as_user "$EK" "$ES" aws iam create-access-key --region us-east-1 --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
[[ $EK2 == AKIA* ]] || fail "engineer creates own second key"; ok
as_user "$EK" "$ES" aws iam delete-access-key --access-key-id "$EK2" --region us-east-1 || fail "engineer deletes own key"; ok
expect_error AccessDenied as_user "$EK" "$ES" aws iam create-access-key --user-name admin_erika --region us-east-1; ok
expect_error AccessDenied as_user "$EK" "$ES" aws iam list-access-keys --user-name admin_erika --region us-east-1; ok
as_user "$EK" "$ES" aws iam list-access-keys --region ap-southeast-2 --query 'AccessKeyMetadata[].AccessKeyId' --output text | grep -q "$EK" || fail "engineer self-service from an ap-southeast-2 shell"; ok
expect_error AccessDenied as_user "$EK" "$ES" aws iam create-user --user-name sneaky --region us-east-1; ok
as_user "$EK" "$ES" aws iam list-policies --scope Local --region us-east-1 --query 'Policies[].PolicyName' --output text | grep -q engineer_access || fail "engineer list-policies"; ok
echo "seed-001 aws CLI: $passed passed, 0 failed"

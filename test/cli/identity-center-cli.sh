#!/usr/bin/env bash
# IAM Identity Center with the real aws CLI: an organization and a member account; an
# Identity Center instance, a user in a group, a permission set assigned to the group on
# the member account. The user signs in (iamlocal sso-login), and `aws sso
# get-role-credentials` gives keys of the provisioned AWSReservedSSO_ role whose policies
# decide; an SSO profile (sso_start_url…) reads the cached token as `aws sso login` leaves it.
# The member account's administrator sees the role as AWS makes it (path, SAML provider trust,
# AwsSSOInlinePolicy) and may not change it; ProvisionPermissionSet brings edits (a customer
# managed policy reference, a boundary) to it; the last assignment's deletion removes it.
source "$(dirname "$0")/lib.sh"
passed=0
ok() { passed=$((passed+1)); }
export HOME="$DATA_DIR/home"
mkdir -p "$HOME"

aws organizations create-organization --feature-set ALL >/dev/null
request=$(aws organizations create-account --account-name workload --email workload@example.com --query CreateAccountStatus.Id --output text)
member=$(aws organizations describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.AccountId --output text)

instance=$(aws sso-admin create-instance --name corp --query InstanceArn --output text)
[[ "$instance" =~ ^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$ ]] || fail "instance arn $instance"; ok
store=$(aws sso-admin list-instances --query 'Instances[0].IdentityStoreId' --output text)
[[ "$store" =~ ^d-[0-9a-f]{10}$ ]] || fail "identity store $store"; ok

alice=$(aws identitystore create-user --identity-store-id "$store" --user-name alice --display-name "Alice Liddell" \
  --name GivenName=Alice,FamilyName=Liddell --query UserId --output text)
group=$(aws identitystore create-group --identity-store-id "$store" --display-name Developers --query GroupId --output text)
aws identitystore create-group-membership --identity-store-id "$store" --group-id "$group" --member-id UserId="$alice" >/dev/null
[ "$(aws identitystore list-users --identity-store-id "$store" --filters AttributePath=UserName,AttributeValue=alice --query 'Users[0].UserId' --output text)" = "$alice" ] || fail "list-users filter"; ok
[ "$(aws identitystore list-group-memberships --identity-store-id "$store" --group-id "$group" --query 'GroupMemberships[0].MemberId.UserId' --output text)" = "$alice" ] || fail "membership"; ok
expect_error ConflictException aws identitystore create-user --identity-store-id "$store" --user-name alice --display-name again --name GivenName=A,FamilyName=L; ok
expect_error ValidationException aws identitystore create-user --identity-store-id "$store" --user-name nameless --display-name Nameless; ok
expect_error ResourceNotFoundException aws identitystore describe-user --identity-store-id "$store" --user-id 00000000-0000-0000-0000-000000000000; ok

ps=$(aws sso-admin create-permission-set --instance-arn "$instance" --name S3Reader --session-duration PT2H --query PermissionSet.PermissionSetArn --output text)
aws sso-admin attach-managed-policy-to-permission-set --instance-arn "$instance" --permission-set-arn "$ps" --managed-policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
aws sso-admin put-inline-policy-to-permission-set --instance-arn "$instance" --permission-set-arn "$ps" \
  --inline-policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}'
[ "$(aws sso-admin list-managed-policies-in-permission-set --instance-arn "$instance" --permission-set-arn "$ps" --query 'AttachedManagedPolicies[0].Name' --output text)" = AmazonS3ReadOnlyAccess ] || fail "managed policy"; ok
expect_error ConflictException aws sso-admin create-permission-set --instance-arn "$instance" --name S3Reader; ok

req=$(aws sso-admin create-account-assignment --instance-arn "$instance" --target-id "$member" --target-type AWS_ACCOUNT \
  --permission-set-arn "$ps" --principal-type GROUP --principal-id "$group" --query AccountAssignmentCreationStatus.RequestId --output text)
[ "$(aws sso-admin describe-account-assignment-creation-status --instance-arn "$instance" --account-assignment-creation-request-id "$req" \
  --query AccountAssignmentCreationStatus.Status --output text)" = SUCCEEDED ] || fail "assignment status"; ok
[ "$(aws sso-admin list-account-assignments --instance-arn "$instance" --account-id "$member" --permission-set-arn "$ps" --query 'AccountAssignments[0].PrincipalId' --output text)" = "$group" ] || fail "list-account-assignments"; ok

# The provisioned role, as the member account's administrator sees it (through OrganizationAccountAccessRole).
aws iam create-user --user-name org-admin >/dev/null
aws iam attach-user-policy --user-name org-admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
read -r admin_key admin_secret <<<"$(aws iam create-access-key --user-name org-admin --query '[AccessKey.AccessKeyId,AccessKey.SecretAccessKey]' --output text)"
read -r mkey msecret msession <<<"$(as_user "$admin_key" "$admin_secret" aws sts assume-role --role-arn "arn:aws:iam::$member:role/OrganizationAccountAccessRole" \
  --role-session-name admin --query '[Credentials.AccessKeyId,Credentials.SecretAccessKey,Credentials.SessionToken]' --output text)"
as_member() { AWS_ACCESS_KEY_ID=$mkey AWS_SECRET_ACCESS_KEY=$msecret AWS_SESSION_TOKEN=$msession "$@"; }
role=$(as_member aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/ --query 'Roles[0].RoleName' --output text)
[[ "$role" =~ ^AWSReservedSSO_S3Reader_[0-9a-f]{16}$ ]] || fail "provisioned role $role"; ok
[ "$(as_member aws iam get-role --role-name "$role" --query '[Role.Path,Role.MaxSessionDuration]' --output text)" = "$(printf '/aws-reserved/sso.amazonaws.com/\t7200')" ] || fail "role path / max session"; ok
provider=$(as_member aws iam get-role --role-name "$role" --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Federated' --output text)
[[ "$provider" =~ ^arn:aws:iam::$member:saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$ ]] || fail "trust federated $provider"; ok
[ "$(as_member aws iam get-role --role-name "$role" --query 'Role.AssumeRolePolicyDocument.Statement[0].[Action[0],Action[1],Condition.StringEquals."SAML:aud"]' --output text)" \
  = "$(printf 'sts:AssumeRoleWithSAML\tsts:TagSession\thttps://signin.aws.amazon.com/saml')" ] || fail "trust actions"; ok
as_member aws iam get-saml-provider --saml-provider-arn "$provider" >/dev/null || fail "saml provider"; ok
as_member aws iam get-role-policy --role-name "$role" --policy-name AwsSSOInlinePolicy >/dev/null || fail "inline policy on role"; ok
as_member expect_error UnmodifiableEntity aws iam delete-role --role-name "$role"; ok
as_member expect_error UnmodifiableEntity aws iam attach-role-policy --role-name "$role" --policy-arn arn:aws:iam::aws:policy/AdministratorAccess; ok

# The user's password (not an AWS API: root-signed admin endpoint), then the sign-in.
curl -sf -X POST "$AWS_ENDPOINT_URL/_iamlocal/sso/password" --aws-sigv4 "aws:amz:us-east-1:sts" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  -H 'content-type: application/json' -d '{"userName":"alice","password":"correct horse battery"}' >/dev/null || fail "set password"
token=$(node "$ROOT_DIR/dist/iamlocal.js" sso-login --user alice --password "correct horse battery" --print-token)
[ -n "$token" ] || fail "sso-login token"; ok
ls "$HOME/.aws/sso/cache/"*.json >/dev/null || fail "token cache file"; ok

[ "$(aws sso list-accounts --access-token "$token" --query 'accountList[0].accountId' --output text)" = "$member" ] || fail "portal list-accounts"; ok
[ "$(aws sso list-account-roles --access-token "$token" --account-id "$member" --query 'roleList[0].roleName' --output text)" = S3Reader ] || fail "portal list-account-roles"; ok
read -r key secret session <<<"$(aws sso get-role-credentials --access-token "$token" --account-id "$member" --role-name S3Reader \
  --query '[roleCredentials.accessKeyId,roleCredentials.secretAccessKey,roleCredentials.sessionToken]' --output text)"
[[ "$key" =~ ^ASIA ]] || fail "role credentials $key"; ok
arn=$(AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$session aws sts get-caller-identity --query Arn --output text)
[[ "$arn" =~ ^arn:aws:sts::$member:assumed-role/AWSReservedSSO_S3Reader_[0-9a-f]{16}/alice$ ]] || fail "caller $arn"; ok
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$session aws s3api list-buckets >/dev/null || fail "s3 read allowed"; ok
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$session expect_error AccessDenied aws s3api create-bucket --bucket not-allowed; ok
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$session expect_error AccessDenied aws iam list-users; ok
expect_error UnauthorizedException aws sso get-role-credentials --access-token not-a-token --account-id "$member" --role-name S3Reader; ok

# An SSO profile, as `aws configure sso` writes it: the CLI reads the cached token and calls GetRoleCredentials itself.
start_url=$(python3 -c "import json,glob; print(json.load(open(glob.glob('$HOME/.aws/sso/cache/*.json')[0]))['startUrl'])")
cat >"$HOME/config" <<INI
[profile dev]
sso_start_url = $start_url
sso_region = us-east-1
sso_account_id = $member
sso_role_name = S3Reader
region = us-east-1
INI
profile_arn=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE="$HOME/config" aws sts get-caller-identity --profile dev --query Arn --output text)
[[ "$profile_arn" =~ assumed-role/AWSReservedSSO_S3Reader_[0-9a-f]{16}/alice$ ]] || fail "sso profile $profile_arn"; ok

# A change to the permission set reaches the role only when it is provisioned again: a customer
# managed policy reference (absent from the member account: FAILED, then created: SUCCEEDED) and a boundary.
aws sso-admin attach-customer-managed-policy-reference-to-permission-set --instance-arn "$instance" --permission-set-arn "$ps" \
  --customer-managed-policy-reference Name=TeamS3,Path=/teams/
aws sso-admin put-permissions-boundary-to-permission-set --instance-arn "$instance" --permission-set-arn "$ps" \
  --permissions-boundary ManagedPolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess
[ "$(aws sso-admin list-permission-sets-provisioned-to-account --instance-arn "$instance" --account-id "$member" \
  --provisioning-status LATEST_PERMISSION_SET_NOT_PROVISIONED --query 'PermissionSets[0]' --output text)" = "$ps" ] || fail "outdated set"; ok
provision() {
  local id
  id=$(aws sso-admin provision-permission-set --instance-arn "$instance" --permission-set-arn "$ps" --target-type ALL_PROVISIONED_ACCOUNTS \
    --query PermissionSetProvisioningStatus.RequestId --output text)
  aws sso-admin describe-permission-set-provisioning-status --instance-arn "$instance" --provision-permission-set-request-id "$id" \
    --query '[PermissionSetProvisioningStatus.Status,PermissionSetProvisioningStatus.FailureReason]' --output text
}
[[ "$(provision)" =~ ^FAILED.*arn:aws:iam::$member:policy/teams/TeamS3 ]] || fail "provisioning without the policy"; ok
as_member aws iam create-policy --policy-name TeamS3 --path /teams/ \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateBucket","Resource":"*"}]}' >/dev/null
[[ "$(provision)" =~ ^SUCCEEDED ]] || fail "provisioning"; ok
[ "$(as_member aws iam list-attached-role-policies --role-name "$role" --query 'sort(AttachedPolicies[].PolicyName)' --output text)" = "$(printf 'AmazonS3ReadOnlyAccess\tTeamS3')" ] || fail "attached after provisioning"; ok
[ "$(as_member aws iam get-role --role-name "$role" --query Role.PermissionsBoundary.PermissionsBoundaryArn --output text)" = arn:aws:iam::aws:policy/ReadOnlyAccess ] || fail "boundary"; ok
[ "$(aws sso-admin list-permission-sets-provisioned-to-account --instance-arn "$instance" --account-id "$member" \
  --provisioning-status LATEST_PERMISSION_SET_NOT_PROVISIONED --query 'length(PermissionSets)' --output text)" = 0 ] || fail "still outdated"; ok
# TeamS3 allows CreateBucket, the ReadOnlyAccess boundary does not: still refused, the boundary says why.
read -r key secret session <<<"$(aws sso get-role-credentials --access-token "$token" --account-id "$member" --role-name S3Reader \
  --query '[roleCredentials.accessKeyId,roleCredentials.secretAccessKey,roleCredentials.sessionToken]' --output text)"
out=$(AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$session aws s3api create-bucket --bucket bounded-bucket 2>&1) && fail "create-bucket under the boundary"
grep -q "permissions boundary" <<<"$out" || fail "boundary refusal: $out"; ok

# The role goes with the last assignment.
aws sso-admin delete-account-assignment --instance-arn "$instance" --target-id "$member" --target-type AWS_ACCOUNT \
  --permission-set-arn "$ps" --principal-type GROUP --principal-id "$group" >/dev/null
expect_error ForbiddenException aws sso get-role-credentials --access-token "$token" --account-id "$member" --role-name S3Reader; ok
as_member expect_error NoSuchEntity aws iam get-role --role-name "$role"; ok

echo "$passed passed, 0 failed"

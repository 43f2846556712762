#!/usr/bin/env bash
# Organizations with the real aws CLI: an organization, a member account made by
# create-account, an OU whose SCP denies leaving two regions and deleting roles. The
# member account's administrator (its OrganizationAccountAccessRole, assumed from the
# management account) is refused, with the SCP named in the server's log; the management
# account is not.
source "$(dirname "$0")/lib.sh"
passed=0
ok() { passed=$((passed+1)); }

org_id=$(aws organizations create-organization --feature-set ALL --query Organization.Id --output text)
[[ "$org_id" =~ ^o-[a-z0-9]{10}$ ]] || fail "organization id $org_id"; ok
root_id=$(aws organizations list-roots --query 'Roots[0].Id' --output text)
[[ "$root_id" =~ ^r-[0-9a-z]{4}$ ]] || fail "root id $root_id"; ok
expect_error AlreadyInOrganizationException aws organizations create-organization; ok

request=$(aws organizations create-account --account-name workload --email workload@example.com --query CreateAccountStatus.Id --output text)
[ "$(aws organizations describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.State --output text)" = SUCCEEDED ] || fail "create-account status"; ok
member=$(aws organizations describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.AccountId --output text)
[ "$(aws organizations list-accounts --query 'length(Accounts)' --output text)" = 2 ] || fail "two accounts"; ok

aws organizations enable-policy-type --root-id "$root_id" --policy-type SERVICE_CONTROL_POLICY >/dev/null
[ "$(aws organizations list-policies-for-target --target-id "$member" --filter SERVICE_CONTROL_POLICY --query 'Policies[0].Name' --output text)" = FullAWSAccess ] || fail "FullAWSAccess on the account"; ok
ou_id=$(aws organizations create-organizational-unit --parent-id "$root_id" --name Workloads --query OrganizationalUnit.Id --output text)
aws organizations move-account --account-id "$member" --source-parent-id "$root_id" --destination-parent-id "$ou_id"
[ "$(aws organizations list-parents --child-id "$member" --query 'Parents[0].Id' --output text)" = "$ou_id" ] || fail "moved"; ok

cat >"$DATA_DIR/scp.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyOutsideAllowedRegions",
      "Effect": "Deny",
      "NotAction": ["iam:*", "sts:*", "organizations:*"],
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}
    },
    {"Sid": "DenyRoleDeletion", "Effect": "Deny", "Action": "iam:DeleteRole", "Resource": "*"}
  ]
}
JSON
policy_id=$(aws organizations create-policy --name Guardrails --description "regions and roles" --type SERVICE_CONTROL_POLICY --content "file://$DATA_DIR/scp.json" --query Policy.PolicySummary.Id --output text)
aws organizations attach-policy --policy-id "$policy_id" --target-id "$ou_id"
expect_error DuplicatePolicyAttachmentException aws organizations attach-policy --policy-id "$policy_id" --target-id "$ou_id"; ok
echo '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}' >"$DATA_DIR/bad.json"
expect_error MalformedPolicyDocumentException aws organizations create-policy --name bad --description d --type SERVICE_CONTROL_POLICY --content "file://$DATA_DIR/bad.json"; ok

# A management-account administrator assumes the member's OrganizationAccountAccessRole.
aws iam create-user --user-name org-admin >/dev/null
aws iam attach-user-policy --user-name org-admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
read -r admin_key admin_secret < <(aws iam create-access-key --user-name org-admin --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
read -r m_key m_secret m_token < <(as_user "$admin_key" "$admin_secret" aws sts assume-role --role-arn "arn:aws:iam::$member:role/OrganizationAccountAccessRole" --role-session-name admin --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
as_member() { AWS_ACCESS_KEY_ID=$m_key AWS_SECRET_ACCESS_KEY=$m_secret AWS_SESSION_TOKEN=$m_token "$@"; }
[ "$(as_member aws sts get-caller-identity --query Account --output text)" = "$member" ] || fail "member session"; ok

echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >"$DATA_DIR/trust.json"
as_member aws iam create-role --role-name app --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
out=$(as_member aws iam delete-role --role-name app 2>&1) && fail "member deleted a role"
grep -q "with an explicit deny in a service control policy" <<<"$out" || fail "denial text: $out"; ok
grep -q "iam:DeleteRole.*DenyRoleDeletion.*Guardrails ($policy_id, attached to OU $ou_id \"Workloads\")" "$DATA_DIR/server.log" || fail "the log names the SCP and its OU"; ok
expect_error AccessDenied as_member aws s3api create-bucket --bucket "sydney-$member" --region ap-southeast-2 --create-bucket-configuration LocationConstraint=ap-southeast-2; ok
as_member aws s3api create-bucket --bucket "dublin-$member" --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null; ok

# The management account is not bound by SCPs.
as_user "$admin_key" "$admin_secret" aws iam create-role --role-name mgmt --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
as_user "$admin_key" "$admin_secret" aws iam delete-role --role-name mgmt; ok
aws s3api create-bucket --bucket mgmt-sydney --region ap-southeast-2 --create-bucket-configuration LocationConstraint=ap-southeast-2 >/dev/null; ok

# The org condition keys in a bucket policy: the member reads, an outsider does not.
aws s3api create-bucket --bucket org-shared >/dev/null
echo shared | aws s3 cp - s3://org-shared/data >/dev/null
cat >"$DATA_DIR/bucket.json" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::org-shared/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"$org_id"}}}]}
JSON
aws s3api put-bucket-policy --bucket org-shared --policy "file://$DATA_DIR/bucket.json"
[ "$(as_member aws s3 cp s3://org-shared/data -)" = shared ] || fail "member reads by aws:PrincipalOrgID"; ok
outsider=$(curl -sf -X POST "$AWS_ENDPOINT_URL/_iamlocal/accounts" --aws-sigv4 "aws:amz:us-east-1:sts" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H 'content-type: application/json' -d '{"accountId":"999999999999"}')
o_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rootAccessKeyId"])' "$outsider")
o_secret=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rootSecretAccessKey"])' "$outsider")
expect_error 403 as_user "$o_key" "$o_secret" aws s3 cp s3://org-shared/data -; ok

# The declarative copy: export, apply it back (nothing to change), then a change applied.
node "$ROOT_DIR/dist/iamlocal.js" export --out "$DATA_DIR/state.json" 2>/dev/null
python3 - "$DATA_DIR/state.json" "$policy_id" <<'PY' || fail "export content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["organization"]["attachments"]["Guardrails"] == ["/Workloads"], s["organization"]["attachments"]
assert s["organization"]["accounts"] == [{"name": "workload", "email": "workload@example.com", "parent": "/Workloads"}]
assert [u["name"] for u in s["users"]] == ["org-admin"]
PY
ok
out=$(node "$ROOT_DIR/dist/iamlocal.js" apply "$DATA_DIR/state.json" 2>/dev/null)
grep -q "nothing to change" <<<"$out" || fail "apply of an unchanged export: $out"; ok
python3 - "$DATA_DIR/state.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["groups"].append({"name": "auditors", "path": "/", "managedPolicies": ["arn:aws:iam::aws:policy/SecurityAudit"], "inlinePolicies": {}})
json.dump(s, open(sys.argv[1], "w"))
PY
out=$(node "$ROOT_DIR/dist/iamlocal.js" apply "$DATA_DIR/state.json" 2>/dev/null)
grep -q "+ group auditors" <<<"$out" || fail "apply of a change: $out"
[ "$(aws iam list-attached-group-policies --group-name auditors --query 'AttachedPolicies[0].PolicyName' --output text)" = SecurityAudit ] || fail "applied group"; ok

echo "organizations-cli: $passed passed, 0 failed"

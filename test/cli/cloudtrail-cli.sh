#!/usr/bin/env bash
# CloudTrail and Access Analyzer with the real aws CLI (and boto3): the event history with a
# denied call, a trail delivering gzipped log files to a bucket whose policy lets CloudTrail
# write, refused for one whose policy does not, ValidatePolicy matching
# `iamlocal policy validate`, and a policy generated from a role session's recorded activity
# that allows exactly what it did.
export IAMLOCAL_CLOUDTRAIL_DELIVERY_SECONDS=1
source "$(dirname "$0")/lib.sh"
passed=0
ok() { passed=$((passed+1)); }
ACCOUNT=000000000000

# A denied call is in the event history, with AWS's error.
aws iam create-user --user-name alice >/dev/null
read -r AK SK < <(aws iam create-access-key --user-name alice --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
expect_error AccessDenied as_user "$AK" "$SK" aws iam get-user --user-name bob; ok
event=$(aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=alice --query 'Events[?EventName==`GetUser`] | [0].CloudTrailEvent' --output text)
python3 - "$event" <<'PY' || fail "the denied GetUser record"
import json, sys
r = json.loads(sys.argv[1])
assert r["errorCode"] == "AccessDenied", r
assert r["userIdentity"]["type"] == "IAMUser" and r["userIdentity"]["userName"] == "alice", r["userIdentity"]
assert r["requestParameters"] == {"userName": "bob"}, r["requestParameters"]
assert r["eventSource"] == "iam.amazonaws.com" and r["readOnly"] is True and r["responseElements"] is None
assert "aws-cli/" in r["userAgent"], r["userAgent"]
PY
ok
[ "$(aws cloudtrail lookup-events --max-results 1 --lookup-attributes AttributeKey=EventName,AttributeValue=CreateAccessKey --query 'Events[0].Resources[0].ResourceName' --output text)" = alice ] || fail "lookup by event name"; ok

# A trail refused for a bucket CloudTrail may not write to.
aws s3api create-bucket --bucket no-policy-bucket >/dev/null
expect_error InsufficientS3BucketPolicyException aws cloudtrail create-trail --name main --s3-bucket-name no-policy-bucket; ok
expect_error S3BucketDoesNotExistException aws cloudtrail create-trail --name main --s3-bucket-name missing-bucket-xyz; ok

# The bucket policy the CloudTrail console writes.
aws s3api create-bucket --bucket trail-bucket >/dev/null
cat >"$DATA_DIR/bucket-policy.json" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
     "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::trail-bucket",
     "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:$ACCOUNT:trail/main"}}},
    {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail-bucket/AWSLogs/$ACCOUNT/*",
     "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:$ACCOUNT:trail/main"}}}
  ]
}
JSON
aws s3api put-bucket-policy --bucket trail-bucket --policy "file://$DATA_DIR/bucket-policy.json"
arn=$(aws cloudtrail create-trail --name main --s3-bucket-name trail-bucket --is-multi-region-trail --query TrailARN --output text)
[ "$arn" = "arn:aws:cloudtrail:us-east-1:$ACCOUNT:trail/main" ] || fail "trail arn $arn"; ok
aws cloudtrail start-logging --name main
[ "$(aws cloudtrail get-trail-status --name main --query IsLogging --output text)" = True ] || fail "logging"; ok
aws iam create-user --user-name logged-by-trail >/dev/null

# Files arrive every second or so; boto3 polls for the one holding the CreateUser call.
python3 - "$ACCOUNT" <<'PY' || fail "the delivered log files"
import boto3, gzip, json, re, sys, time
account = sys.argv[1]
s3 = boto3.client("s3")
prefix = f"AWSLogs/{account}/CloudTrail/us-east-1/"
for _ in range(60):
    for o in s3.list_objects_v2(Bucket="trail-bucket", Prefix=prefix).get("Contents", []):
        key = o["Key"]
        assert re.fullmatch(prefix + r"\d{4}/\d{2}/\d{2}/" + account + r"_CloudTrail_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz", key), key
        records = json.loads(gzip.decompress(s3.get_object(Bucket="trail-bucket", Key=key)["Body"].read()))["Records"]
        if any(r["eventName"] == "CreateUser" and r["requestParameters"]["userName"] == "logged-by-trail" for r in records):
            sys.exit(0)
    time.sleep(0.5)
sys.exit("no delivered file holds the CreateUser call")
PY
ok
aws cloudtrail stop-logging --name main
[ "$(aws cloudtrail describe-trails --query 'trailList[0].S3BucketName' --output text)" = trail-bucket ] || fail "describe-trails"; ok

# Access Analyzer's ValidatePolicy gives what `iamlocal policy validate` gives.
cat >"$DATA_DIR/policy.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjekt"], "Resource": "arn:aws:s3:::bucket/*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}
JSON
aws accessanalyzer validate-policy --policy-type IDENTITY_POLICY --policy-document "file://$DATA_DIR/policy.json" --query findings >"$DATA_DIR/api.json"
node "$ROOT_DIR/dist/iamlocal.js" policy validate "$DATA_DIR/policy.json" --kind identity --json >"$DATA_DIR/cli.json" || true
python3 - "$DATA_DIR/api.json" "$DATA_DIR/cli.json" <<'PY' || fail "validate-policy findings differ from iamlocal policy validate"
import json, sys
api = json.load(open(sys.argv[1]))
cli = [{k: v for k, v in f.items() if k != "hint"} for f in json.load(open(sys.argv[2]))[0]["findings"]]
assert api == cli and len(api) >= 2, (api, cli)
assert {f["issueCode"] for f in api} >= {"INVALID_ACTION", "PASS_ROLE_WITH_STAR_IN_RESOURCE"}, [f["issueCode"] for f in api]
PY
ok

# boto3: a custom policy check.
python3 - <<'PY' || fail "boto3 check_no_new_access"
import boto3, json
aa = boto3.client("accessanalyzer")
old = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})
new = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::b/*"}]})
out = aa.check_no_new_access(newPolicyDocument=new, existingPolicyDocument=old, policyType="IDENTITY_POLICY")
assert out["result"] == "FAIL" and out["reasons"][0]["statementIndex"] == 0, out
assert aa.check_no_new_access(newPolicyDocument=old, existingPolicyDocument=new, policyType="IDENTITY_POLICY")["result"] == "PASS"
PY
ok

# Policy generation with the aws CLI: a role session does some work; the policy generated
# from its recorded activity, on a role of its own, allows the same calls and nothing more.
cat >"$DATA_DIR/trust.json" <<JSON
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:root"}, "Action": "sts:AssumeRole"}]}
JSON
aws iam create-user --user-name gen-target >/dev/null
aws iam create-role --role-name busy --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
aws iam put-role-policy --role-name busy --policy-name broad \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:*"],"Resource":"*"}]}'
aws s3api create-bucket --bucket gen-bucket >/dev/null
# Roles are assumed by a user (a root user may not assume roles).
aws iam create-user --user-name gen-caller >/dev/null
aws iam put-user-policy --user-name gen-caller --policy-name assume \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}'
read -r CK CS < <(aws iam create-access-key --user-name gen-caller --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
# as_role ROLE command… : run a command in a fresh session of the role.
as_role() {
  local role=$1; shift
  local k s t
  read -r k s t < <(as_user "$CK" "$CS" aws sts assume-role --role-arn "arn:aws:iam::$ACCOUNT:role/$role" --role-session-name work \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s AWS_SESSION_TOKEN=$t "$@"
}
replay() {
  local role=$1
  as_role "$role" aws iam get-user --user-name gen-target >/dev/null &&
    as_role "$role" aws iam list-users >/dev/null &&
    as_role "$role" aws iam tag-user --user-name gen-target --tags Key=seen,Value=yes &&
    as_role "$role" aws s3api get-bucket-location --bucket gen-bucket >/dev/null
}
replay busy || fail "the busy role's own calls"
job=$(aws accessanalyzer start-policy-generation \
  --policy-generation-details "principalArn=arn:aws:iam::$ACCOUNT:role/busy" \
  --cloud-trail-details "trails=[{cloudTrailArn=arn:aws:cloudtrail:us-east-1:$ACCOUNT:trail/main,allRegions=true}],accessRole=arn:aws:iam::$ACCOUNT:role/busy,startTime=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
  --query jobId --output text)
[ "$(aws accessanalyzer get-generated-policy --job-id "$job" --query jobDetails.status --output text)" = SUCCEEDED ] || fail "generation job"
aws accessanalyzer get-generated-policy --job-id "$job" --query 'generatedPolicyResult.generatedPolicies[0].policy' --output text >"$DATA_DIR/generated.json"
python3 - "$DATA_DIR/generated.json" <<'PY' || fail "the generated policy's actions"
import json, sys
p = json.load(open(sys.argv[1]))
actions = sorted(a for s in p["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))
assert actions == ["iam:GetUser", "iam:ListUsers", "iam:TagUser", "s3:GetBucketLocation"], actions
PY
ok
aws iam create-role --role-name least --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
aws iam put-role-policy --role-name least --policy-name generated --policy-document "file://$DATA_DIR/generated.json"
replay least || fail "replayed under the generated policy"; ok
expect_error AccessDenied as_role least aws iam list-roles; ok
expect_error AccessDenied as_role least aws iam get-user --user-name alice; ok

echo "cloudtrail-cli: $passed passed, 0 failed"

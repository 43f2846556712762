#!/usr/bin/env bash
# CloudTrail and Access Analyzer with the real aws CLI (and boto3): the event history with a
# denied call, a trail delivering gzipped log files to a bucket whose policy lets CloudTrail
# write, refused for one whose policy does not, and ValidatePolicy matching
# `iamlocal policy validate`.
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

echo "cloudtrail-cli: $passed passed, 0 failed"

#!/usr/bin/env bash
# Seed 001's S3 steps with the real aws CLI (aws s3 mb/cp/ls/sync/presign/rm/rb and s3api),
# then the same with boto3: an admin limited to ap-southeast-2 makes two versioned,
# SSE-S3, public-access-blocked buckets; the engineer group's policy lets its user put,
# get and delete objects there and nothing else; an analyst reads one bucket; a bucket
# policy refuses unencrypted uploads; another account reads through a bucket policy;
# presigned GET and PUT, and an expired one refused.
source "$(dirname "$0")/lib.sh"
FIXTURES="$ROOT_DIR/test/policy/fixtures"
passed=0
ok() { passed=$((passed+1)); }
R=ap-southeast-2
LZ=erika-landing-zone
AN=erika-analysis

# aws CLI v1 presigns S3 URLs with SigV2 unless told otherwise; iamlocal speaks SigV4 only.
printf '[default]\ns3 =\n    signature_version = s3v4\n' >"$DATA_DIR/aws-config"
export AWS_CONFIG_FILE="$DATA_DIR/aws-config"

# Root sets up the three groups (steps 2 and 4 of the tutorial).
member() { # group user policy-name policy-file → "KEY SECRET"
  aws iam create-group --group-name "$1" >/dev/null
  local arn; arn=$(aws iam create-policy --policy-name "$3" --policy-document "file://$4" --query Policy.Arn --output text)
  aws iam attach-group-policy --group-name "$1" --policy-arn "$arn"
  aws iam create-user --user-name "$2" >/dev/null
  aws iam add-user-to-group --group-name "$1" --user-name "$2"
  aws iam create-access-key --user-name "$2" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text
}
cat >"$DATA_DIR/analyst.json" <<EOF
{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::$AN"},
 {"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::$AN/*"},
 {"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}
EOF
read -r AK AS < <(member admin admin_erika admin_access "$FIXTURES/seed001-admin_access.json")
read -r EK ES < <(member engineer engineer_erika engineer_access "$FIXTURES/seed001-engineer_access.json")
read -r NK NS < <(member analyst analyst_erika analyst_access "$DATA_DIR/analyst.json")
admin() { as_user "$AK" "$AS" "$@"; }
engineer() { as_user "$EK" "$ES" "$@"; }
analyst() { as_user "$NK" "$NS" "$@"; }

# Step 3: the admin makes the buckets in ap-southeast-2 — and cannot from us-east-1.
expect_error AccessDenied admin aws s3 mb "s3://$LZ" --region us-east-1; ok
for b in $LZ $AN erika-elsewhere; do
  admin aws s3 mb "s3://$b" --region $R >/dev/null || fail "mb $b"
  admin aws s3api put-bucket-versioning --bucket "$b" --versioning-configuration Status=Enabled --region $R
  admin aws s3api put-bucket-encryption --bucket "$b" --region $R \
    --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
done
[ "$(admin aws s3api get-bucket-location --bucket $LZ --region $R --query LocationConstraint --output text)" = $R ] || fail "location"; ok
[ "$(admin aws s3api get-bucket-versioning --bucket $AN --region $R --query Status --output text)" = Enabled ] || fail "versioning"; ok
[ "$(admin aws s3api get-public-access-block --bucket $AN --region $R --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text)" = "True	True	True	True" ] || fail "public access block"; ok
[ "$(admin aws s3api get-bucket-encryption --bucket $LZ --region $R --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text)" = AES256 ] || fail "encryption"; ok
admin aws s3 ls --region $R | grep "$LZ" >/dev/null || fail "admin ls"; ok

# The engineer: cp, ls, sync (a tree), a multipart upload, rm — in both buckets, from ap-southeast-2.
printf 'a,b\n1,2\n' >"$DATA_DIR/data.csv"
mkdir -p "$DATA_DIR/tree/2024/jan" "$DATA_DIR/tree/2024/feb"
echo jan >"$DATA_DIR/tree/2024/jan/x.csv"; echo feb >"$DATA_DIR/tree/2024/feb/y.csv"; echo top >"$DATA_DIR/tree/readme.txt"
head -c 12000000 /dev/urandom >"$DATA_DIR/big.bin"
for b in $LZ $AN; do
  engineer aws s3 cp "$DATA_DIR/data.csv" "s3://$b/raw/data.csv" --sse AES256 --region $R >/dev/null || fail "engineer cp to $b"; ok
  engineer aws s3 ls "s3://$b/raw/" --region $R | grep data.csv >/dev/null || fail "engineer ls $b"; ok
  [ "$(engineer aws s3 cp "s3://$b/raw/data.csv" - --region $R)" = "$(cat "$DATA_DIR/data.csv")" ] || fail "engineer get from $b"; ok
  engineer aws s3 sync "$DATA_DIR/tree" "s3://$b/tree" --sse AES256 --region $R >/dev/null || fail "sync to $b"
  [ "$(engineer aws s3 ls "s3://$b/tree/" --recursive --region $R | wc -l)" -eq 3 ] || fail "sync listed in $b"; ok
  engineer aws s3 cp "$DATA_DIR/big.bin" "s3://$b/big.bin" --sse AES256 --region $R >/dev/null || fail "multipart cp to $b"
  engineer aws s3 cp "s3://$b/big.bin" "$DATA_DIR/big.back" --region $R >/dev/null
  cmp -s "$DATA_DIR/big.bin" "$DATA_DIR/big.back" || fail "multipart round trip in $b"; ok
  engineer aws s3 rm "s3://$b/tree" --recursive --region $R >/dev/null || fail "rm --recursive in $b"
  [ -z "$(engineer aws s3 ls "s3://$b/tree/" --recursive --region $R)" ] || fail "tree left in $b"; ok
done
# … and nothing else.
expect_error AccessDenied engineer aws s3 cp "$DATA_DIR/data.csv" s3://erika-elsewhere/raw/data.csv --region $R; ok
expect_error AccessDenied engineer aws s3 cp "$DATA_DIR/data.csv" "s3://$LZ/raw/other.csv" --region us-east-1; ok
expect_error AccessDenied engineer aws s3 rb "s3://$AN" --region $R; ok
expect_error AccessDenied engineer aws s3api put-bucket-versioning --bucket $LZ --versioning-configuration Status=Suspended --region $R; ok
out=$(engineer aws s3api put-object --bucket erika-elsewhere --key k --region $R 2>&1 || true)
grep -q 'is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::erika-elsewhere/k" because no identity-based policy allows the s3:PutObject action' <<<"$out" || fail "denial wording: $out"; ok

# The analyst reads the analysis bucket only.
[ "$(analyst aws s3 cp "s3://$AN/raw/data.csv" - --region $R)" = "$(cat "$DATA_DIR/data.csv")" ] || fail "analyst get"; ok
analyst aws s3 ls "s3://$AN/" --region $R | grep raw/ >/dev/null || fail "analyst ls"; ok
expect_error AccessDenied analyst aws s3 cp "$DATA_DIR/data.csv" "s3://$AN/mine.csv" --region $R; ok
expect_error AccessDenied analyst aws s3 rm "s3://$AN/raw/data.csv" --region $R; ok
expect_error AccessDenied analyst aws s3 ls "s3://$LZ/" --region $R; ok

# A bucket policy that refuses unencrypted uploads to the landing zone.
cat >"$DATA_DIR/deny-unencrypted.json" <<EOF
{"Version":"2012-10-17","Statement":[
 {"Sid":"DenyUnencryptedUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::$LZ/*",
  "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}
EOF
admin aws s3api put-bucket-policy --bucket $LZ --policy "file://$DATA_DIR/deny-unencrypted.json" --region $R || fail "put-bucket-policy"; ok
[ "$(admin aws s3api get-bucket-policy-status --bucket $LZ --region $R --query PolicyStatus.IsPublic --output text)" = False ] || fail "policy status"; ok
out=$(engineer aws s3 cp "$DATA_DIR/data.csv" "s3://$LZ/raw/plain.csv" --region $R 2>&1 || true)
grep -q 'with an explicit deny in a resource-based policy' <<<"$out" || fail "unencrypted upload: $out"; ok
engineer aws s3 cp "$DATA_DIR/data.csv" "s3://$LZ/raw/sealed.csv" --sse AES256 --region $R >/dev/null || fail "encrypted upload"; ok
echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::'$AN'/*"}]}' >"$DATA_DIR/public.json"
expect_error AccessDenied admin aws s3api put-bucket-policy --bucket $AN --policy "file://$DATA_DIR/public.json" --region $R; ok
echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::another/*"}]}' >"$DATA_DIR/bad.json"
expect_error MalformedPolicy admin aws s3api put-bucket-policy --bucket $AN --policy "file://$DATA_DIR/bad.json" --region $R; ok

# Another account reads the analysis bucket through its bucket policy.
OTHER=333333333333
read -r OK OS < <(python3 - "$AWS_ENDPOINT_URL" "$OTHER" <<'PY'
import json, sys, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import os
url = sys.argv[1] + '/_iamlocal/accounts'
body = json.dumps({'accountId': sys.argv[2]})
req = AWSRequest(method='POST', url=url, data=body, headers={'content-type': 'application/json'})
SigV4Auth(Credentials(os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY']), 'sts', 'us-east-1').add_auth(req)
made = json.load(urllib.request.urlopen(urllib.request.Request(url, data=body.encode(), headers=dict(req.headers), method='POST')))
print(made['rootAccessKeyId'], made['rootSecretAccessKey'])
PY
)
[[ $OK == AKIA* ]] || fail "other account"; ok
other() { as_user "$OK" "$OS" "$@"; }
echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::'$AN'","arn:aws:s3:::'$AN'/*"]}]}' >"$DATA_DIR/partner.json"
other aws iam create-user --user-name partner >/dev/null
other aws iam put-user-policy --user-name partner --policy-name read-analysis --policy-document "file://$DATA_DIR/partner.json"
read -r PK PS < <(other aws iam create-access-key --user-name partner --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
partner() { as_user "$PK" "$PS" "$@"; }
# A download starts with HeadObject, whose 403 has no body: the CLI says "Forbidden".
expect_error 403 partner aws s3 cp "s3://$AN/raw/data.csv" - --region $R; ok
echo '{"Version":"2012-10-17","Statement":[{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$OTHER':root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::'$AN'","arn:aws:s3:::'$AN'/*"]}]}' >"$DATA_DIR/cross.json"
admin aws s3api put-bucket-policy --bucket $AN --policy "file://$DATA_DIR/cross.json" --region $R || fail "cross-account policy"
[ "$(partner aws s3 cp "s3://$AN/raw/data.csv" - --region $R)" = "$(cat "$DATA_DIR/data.csv")" ] || fail "partner get"; ok
partner aws s3 ls "s3://$AN/raw/" --region $R | grep data.csv >/dev/null || fail "partner ls"; ok
expect_error AccessDenied partner aws s3 cp "$DATA_DIR/data.csv" "s3://$AN/theirs.csv" --region $R; ok

# Presigned URLs: a GET that works, and one that has expired.
url=$(engineer aws s3 presign "s3://$AN/raw/data.csv" --expires-in 300 --region $R)
[ "$(curl -sf "$url")" = "$(cat "$DATA_DIR/data.csv")" ] || fail "presigned GET"; ok
url=$(engineer aws s3 presign "s3://$AN/raw/data.csv" --expires-in 1 --region $R)
sleep 2
code=$(curl -s -o "$DATA_DIR/expired.xml" -w '%{http_code}' "$url")
[ "$code" = 403 ] && grep -q 'Request has expired' "$DATA_DIR/expired.xml" || fail "expired presigned GET: $code $(cat "$DATA_DIR/expired.xml")"; ok

# mb and rb of a bucket of one's own; rb refuses a bucket with objects.
admin aws s3 mb s3://erika-scratch --region $R >/dev/null
admin aws s3 cp "$DATA_DIR/data.csv" s3://erika-scratch/x --region $R >/dev/null
expect_error BucketNotEmpty admin aws s3 rb s3://erika-scratch --region $R; ok
admin aws s3 rb s3://erika-scratch --force --region $R >/dev/null || fail "rb --force"; ok
expect_error NoSuchBucket admin aws s3 ls s3://erika-scratch --region $R; ok
cli=$passed

# The same steps with boto3: objects, listing with a paginator, presigned PUT and GET, the bucket policy.
boto=$(python3 - "$AWS_ENDPOINT_URL" "$EK" "$ES" "$NK" "$NS" "$AK" "$AS" <<'PY'
import sys, time, urllib.request, urllib.error
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
endpoint, ek, es, nk, ns, ak, as_ = sys.argv[1:8]
R, LZ, AN = 'ap-southeast-2', 'erika-landing-zone', 'erika-analysis'
cfg = Config(signature_version='s3v4', s3={'addressing_style': 'path'})
def client(k, s, region=R):
    return boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=k, aws_secret_access_key=s, region_name=region, config=cfg)
eng, ana = client(ek, es), client(nk, ns)
passed = 0
def ok():
    global passed
    passed += 1
def denied(fn, code='AccessDenied'):
    try:
        fn()
    except ClientError as e:
        assert e.response['Error']['Code'] == code, e.response['Error']
        return e.response['Error']['Message']
    raise AssertionError('expected ' + code)

for b in (LZ, AN):
    put = eng.put_object(Bucket=b, Key='boto/one.txt', Body=b'one', ServerSideEncryption='AES256')
    assert put['ServerSideEncryption'] == 'AES256' and put['VersionId']; ok()
    assert eng.get_object(Bucket=b, Key='boto/one.txt')['Body'].read() == b'one'; ok()
    for i in range(5):
        eng.put_object(Bucket=b, Key=f'boto/many/{i}.txt', Body=b'x', ServerSideEncryption='AES256')
    keys = [o['Key'] for page in eng.get_paginator('list_objects_v2').paginate(Bucket=b, Prefix='boto/', PaginationConfig={'PageSize': 2}) for o in page.get('Contents', [])]
    assert keys == ['boto/many/0.txt', 'boto/many/1.txt', 'boto/many/2.txt', 'boto/many/3.txt', 'boto/many/4.txt', 'boto/one.txt'], keys; ok()
    top = eng.list_objects_v2(Bucket=b, Prefix='boto/', Delimiter='/')
    assert [p['Prefix'] for p in top['CommonPrefixes']] == ['boto/many/']; ok()
    gone = eng.delete_object(Bucket=b, Key='boto/one.txt')
    assert gone['DeleteMarker']; ok()
    versions = eng.list_object_versions(Bucket=b, Prefix='boto/one.txt')
    assert len(versions['Versions']) == 1 and len(versions['DeleteMarkers']) == 1; ok()

msg = denied(lambda: eng.put_object(Bucket='erika-elsewhere', Key='k', Body=b'x'))
assert 'because no identity-based policy allows the s3:PutObject action' in msg, msg; ok()
denied(lambda: client(ek, es, 'us-east-1').put_object(Bucket=AN, Key='k', Body=b'x')); ok()
msg = denied(lambda: eng.put_object(Bucket=LZ, Key='plain', Body=b'x'))
assert msg.endswith('with an explicit deny in a resource-based policy'), msg; ok()
denied(lambda: ana.put_object(Bucket=AN, Key='k', Body=b'x')); ok()
assert ana.get_object(Bucket=AN, Key='boto/many/0.txt')['Body'].read() == b'x'; ok()
denied(lambda: ana.get_object(Bucket=LZ, Key='raw/data.csv')); ok()

# Presigned PUT and GET; an expired GET.
put_url = eng.generate_presigned_url('put_object', Params={'Bucket': AN, 'Key': 'boto/presigned.txt'}, ExpiresIn=300)
urllib.request.urlopen(urllib.request.Request(put_url, data=b'via presigned PUT', method='PUT')).read(); ok()
get_url = eng.generate_presigned_url('get_object', Params={'Bucket': AN, 'Key': 'boto/presigned.txt'}, ExpiresIn=300)
assert urllib.request.urlopen(get_url).read() == b'via presigned PUT'; ok()
expired = eng.generate_presigned_url('get_object', Params={'Bucket': AN, 'Key': 'boto/presigned.txt'}, ExpiresIn=1)
time.sleep(2)
try:
    urllib.request.urlopen(expired)
    raise AssertionError('expired URL worked')
except urllib.error.HTTPError as e:
    assert e.code == 403 and b'Request has expired' in e.read(); ok()

# The account-level Block Public Access (S3 Control). Its SDKs put the account id in front
# of the endpoint's host (000000000000.127.0.0.1): resolve such names to the server, as a
# wildcard DNS entry would. The admin's policy covers it in ap-southeast-2.
import socket
_getaddrinfo = socket.getaddrinfo
def _wildcard(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith('.127.0.0.1'):
        host = '127.0.0.1'
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _wildcard
admin_control = boto3.client('s3control', endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=as_, region_name=R,
                             config=Config(signature_version='s3v4'))
denied(lambda: admin_control.get_public_access_block(AccountId='000000000000'), 'NoSuchPublicAccessBlockConfiguration'); ok()
admin_control.put_public_access_block(AccountId='000000000000', PublicAccessBlockConfiguration={'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True})
got = admin_control.get_public_access_block(AccountId='000000000000')['PublicAccessBlockConfiguration']
assert got == {'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True}, got; ok()
eng_control = boto3.client('s3control', endpoint_url=endpoint, aws_access_key_id=ek, aws_secret_access_key=es, region_name=R,
                           config=Config(signature_version='s3v4'))
denied(lambda: eng_control.put_public_access_block(AccountId='000000000000', PublicAccessBlockConfiguration={'BlockPublicAcls': False})); ok()

# Clean up with DeleteObjects (one request, each key decided on its own).
objs = [{'Key': o['Key']} for o in eng.list_objects_v2(Bucket=AN, Prefix='boto/')['Contents']]
out = eng.delete_objects(Bucket=AN, Delete={'Objects': objs})
assert len(out['Deleted']) == len(objs) and not out.get('Errors'); ok()
print(passed)
PY
) || fail "boto3"
passed=$((passed + boto))
echo "s3 seed-001 aws CLI ($cli) and boto3 ($boto): $passed passed, 0 failed"

#!/usr/bin/env bash
# Seed 003 with boto3: three users who may assume a role only with an MFA-authenticated
# session; the role allows S3 read-only and EC2 full access and denies creating IAM users.
# Real TOTP codes (RFC 6238, computed here from the device seed); expiry is reached by
# moving the server's test clock (IAMLOCAL_TEST_CLOCK=1) and botocore's signing clock.
export IAMLOCAL_TEST_CLOCK=1
source "$(dirname "$0")/lib.sh"
python3 - <<'PY'
import base64, datetime, hashlib, hmac, json, os, struct, time
import boto3, botocore, botocore.auth, botocore.awsrequest, botocore.credentials

ACCOUNT = "000000000000"
ROLE = "Boto3AssumedRole"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
USERS = ["boto3-user-1", "boto3-user-2", "boto3-user-3"]
ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
passed = 0
offset = 0  # seconds the server's clock has been moved forward

def check(cond, what):
    global passed
    if not cond: raise SystemExit(f"FAIL: {what}")
    passed += 1

def error(fn, **kw):
    try: fn(**kw)
    except botocore.exceptions.ClientError as e: return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None

# botocore signs with its own clock: keep it in step with the server's.
real_now = botocore.auth.get_current_datetime
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: real_now(remove_tzinfo) + datetime.timedelta(seconds=offset)

def totp(seed, ahead=0):
    key = base64.b32decode(seed)
    counter = int((time.time() + offset + ahead) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)

def advance(seconds):
    global offset
    req = botocore.awsrequest.AWSRequest(method="POST", url=f"{ENDPOINT}/_iamlocal/clock",
                                         data=json.dumps({"advanceSeconds": seconds}), headers={"content-type": "application/json"})
    creds = botocore.credentials.Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
    botocore.auth.SigV4Auth(creds, "sts", "us-east-1").add_auth(req)
    import urllib.request
    r = urllib.request.Request(req.url, data=req.body.encode() if isinstance(req.body, str) else req.body, headers=dict(req.headers), method="POST")
    with urllib.request.urlopen(r) as resp:
        offset = json.load(resp)["offsetSeconds"]

iam = boto3.client("iam")
client = lambda svc, c: boto3.client(svc, aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c.get("SessionToken"))

# The role: trusts the account when MFA is present; two policies.
iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
iam.put_role_policy(RoleName=ROLE, PolicyName="S3ReadOnlyEC2Full", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))
iam.put_role_policy(RoleName=ROLE, PolicyName="DenyIAMUserCreation", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}))
check(sorted(iam.list_role_policies(RoleName=ROLE)["PolicyNames"]) == ["DenyIAMUserCreation", "S3ReadOnlyEC2Full"], "two role policies")

# Three users, allowed to call sts:AssumeRole on the role, each with an enrolled virtual MFA device.
keys, devices = {}, {}
for name in USERS:
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}]}))
    keys[name] = iam.create_access_key(UserName=name)["AccessKey"]
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode("ascii")
    check(device["QRCodePNG"][:4] == b"\x89PNG", f"{name}: QR code PNG")
    iam.enable_mfa_device(UserName=name, SerialNumber=device["SerialNumber"], AuthenticationCode1=totp(seed, -30), AuthenticationCode2=totp(seed))
    devices[name] = (device["SerialNumber"], seed)
check(len(iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]) == 3, "three assigned devices")

for name in USERS:
    sts = client("sts", keys[name])
    serial, seed = devices[name]
    code, message = error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName=name)
    check(code == "AccessDenied" and f"user/{name} is not authorized to perform: sts:AssumeRole" in message, f"{name}: no MFA → AccessDenied ({message})")
    token = totp(seed, 30)  # enrolment used the current step: the next code is the fresh one
    creds = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName=name, SerialNumber=serial, TokenCode=token)["Credentials"]
    check(creds["AccessKeyId"].startswith("ASIA"), f"{name}: temporary key")
    arn = client("sts", creds).get_caller_identity()["Arn"]
    check(arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/{name}", f"{name}: session ARN {arn}")
    code, message = error(client("iam", creds).create_user, UserName=f"by-{name}")
    check(code == "AccessDenied" and "explicit deny" in message, f"{name}: session cannot create users ({message})")
    code, message = error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName=name, SerialNumber=serial, TokenCode=token)
    check(code == "AccessDenied" and "invalid MFA one time pass code" in message, f"{name}: replayed code refused ({message})")

# Expiry: a 15-minute session, then move the clocks past it.
name = USERS[0]
serial, seed = devices[name]
advance(60)
short = client("sts", keys[name]).assume_role(RoleArn=ROLE_ARN, RoleSessionName="short", DurationSeconds=900, SerialNumber=serial, TokenCode=totp(seed))["Credentials"]
check(client("sts", short).get_caller_identity()["Account"] == ACCOUNT, "short session works")
advance(901)
code, message = error(client("sts", short).get_caller_identity)
check(code == "ExpiredToken", f"expired session refused ({code}: {message})")
check(client("sts", keys[name]).get_caller_identity()["Arn"].endswith(f"user/{name}"), "long-term key still works")
print(f"seed-003 boto3: {passed} passed, 0 failed")
PY

#!/usr/bin/env bash
# Seed 004 with boto3: the same user story through the Python SDK.
source "$(dirname "$0")/lib.sh"
python3 - <<'PY'
import json, boto3, botocore
iam = boto3.client("iam"); sts = boto3.client("sts")
passed = 0
def check(cond, what):
    global passed
    if not cond: raise SystemExit(f"FAIL: {what}")
    passed += 1
def error_code(fn, **kw):
    try: fn(**kw)
    except botocore.exceptions.ClientError as e: return e.response["Error"]["Code"]
    return None

check(sts.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:root", "root arn")
iam.create_user(UserName="py-user", Tags=[{"Key": "team", "Value": "data"}])
key = iam.create_access_key(UserName="py-user")["AccessKey"]
user = boto3.client("iam", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
check(error_code(user.list_users) == "AccessDenied", "no policy → AccessDenied")
iam.put_user_policy(UserName="py-user", PolicyName="read", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}]}))
check(any(u["UserName"] == "py-user" for u in user.list_users()["Users"]), "allowed after policy")
check(error_code(user.create_user, UserName="nope") == "AccessDenied", "create still denied")
check(error_code(iam.create_user, UserName="py-user") == "EntityAlreadyExists", "duplicate")
check(error_code(iam.delete_user, UserName="py-user") == "DeleteConflict", "delete conflict")
doc = iam.get_user_policy(UserName="py-user", PolicyName="read")["PolicyDocument"]
check(doc["Statement"][0]["Action"] == "iam:List*", "policy document round-trip")
pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1}))
check(len(pages) >= 1 and sum(len(p["Users"]) for p in pages) == len(iam.list_users()["Users"]), "pagination")
print(f"seed-004 boto3: {passed} passed, 0 failed")
PY

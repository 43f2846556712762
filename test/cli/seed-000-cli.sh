#!/usr/bin/env bash
# Seed 000 with the real aws CLI: an EC2Admins group with AmazonEC2FullAccess, and a role
# for EC2 instances trusted by ec2.amazonaws.com with S3 and DynamoDB full access.
source "$(dirname "$0")/lib.sh"
passed=0
ok() { passed=$((passed+1)); }

aws iam create-group --group-name EC2Admins >/dev/null
aws iam attach-group-policy --group-name EC2Admins --policy-arn arn:aws:iam::aws:policy/AmazonEC2FullAccess
[ "$(aws iam list-attached-group-policies --group-name EC2Admins --query 'AttachedPolicies[0].PolicyName' --output text)" = AmazonEC2FullAccess ] || fail "attached"; ok

cat >"$DATA_DIR/trust.json" <<'JSON'
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "sts:AssumeRole"
            ],
            "Principal": {
                "Service": [
                    "ec2.amazonaws.com"
                ]
            }
        }
    ]
}
JSON
role_arn=$(aws iam create-role --role-name flask-app-role --description "EC2 app using S3 and DynamoDB" --assume-role-policy-document "file://$DATA_DIR/trust.json" --query Role.Arn --output text)
[ "$role_arn" = "arn:aws:iam::000000000000:role/flask-app-role" ] || fail "role arn $role_arn"; ok
aws iam attach-role-policy --role-name flask-app-role --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
aws iam attach-role-policy --role-name flask-app-role --policy-arn arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
[ "$(aws iam list-attached-role-policies --role-name flask-app-role --query 'length(AttachedPolicies)' --output text)" = 2 ] || fail "role policies"; ok
aws iam get-role --role-name flask-app-role --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service[0]' --output text | grep -q ec2.amazonaws.com || fail "trust policy round-trip"; ok
aws iam create-instance-profile --instance-profile-name flask-app-role >/dev/null
aws iam add-role-to-instance-profile --instance-profile-name flask-app-role --role-name flask-app-role
[ "$(aws iam list-instance-profiles-for-role --role-name flask-app-role --query 'InstanceProfiles[0].Roles[0].RoleName' --output text)" = flask-app-role ] || fail "instance profile"; ok
expect_error DeleteConflict aws iam delete-role --role-name flask-app-role; ok

# A user in EC2Admins gets EC2's permissions and nothing of IAM's.
aws iam create-user --user-name ec2-admin >/dev/null
aws iam add-user-to-group --group-name EC2Admins --user-name ec2-admin
read -r K S < <(aws iam create-access-key --user-name ec2-admin --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
expect_error AccessDenied as_user "$K" "$S" aws iam list-users; ok
decision=$(aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::000000000000:user/ec2-admin --action-names ec2:RunInstances iam:CreateUser --query 'EvaluationResults[].EvalDecision' --output text)
[ "$decision" = "$(printf 'allowed\timplicitDeny')" ] || fail "simulate: $decision"; ok
echo "seed-000 aws CLI: $passed passed, 0 failed"

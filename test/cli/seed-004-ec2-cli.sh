#!/usr/bin/env bash
# Seed 004's EC2 steps with the real aws CLI and boto3: a key pair (checked with openssl as
# the EC2 User Guide does), a security group, an Amazon Linux instance in us-west-2 tagged
# Ex4WebServer, then describe-instances / describe-key-pairs with the edXProjectUser's keys,
# a denial decoded with `aws sts decode-authorization-message`, and `iamlocal run-as` giving
# the CLI, boto3 and the JavaScript SDK the instance role's credentials.
source "$(dirname "$0")/lib.sh"
passed=0
export AWS_DEFAULT_REGION=us-west-2 AWS_REGION=us-west-2
IAMLOCAL="node $ROOT_DIR/dist/iamlocal.js"

# The user of the tutorial, with its policy, and its access keys.
aws iam create-user --user-name edXProjectUser >/dev/null
cat >"$DATA_DIR/policy.json" <<'JSON'
{ "Version": "2012-10-17",
  "Statement": [{ "Sid": "Sid1", "Effect": "Allow", "Action": ["iam:*", "ec2:*", "s3:*", "sts:*"], "Resource": "*" }] }
JSON
aws iam put-user-policy --user-name edXProjectUser --policy-name edXProjectPolicy --policy-document "file://$DATA_DIR/policy.json"
read -r KEY SECRET < <(aws iam create-access-key --user-name edXProjectUser --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)

# The key pair of exercise 3: its fingerprint is the SHA-1 of the PKCS#8 DER private key.
as_user "$KEY" "$SECRET" aws ec2 create-key-pair --key-name exercise3-key --query KeyMaterial --output text >"$DATA_DIR/exercise3-key.pem"
head -1 "$DATA_DIR/exercise3-key.pem" | grep -q 'BEGIN RSA PRIVATE KEY' || fail "key material"; passed=$((passed+1))
local_fp=$(openssl pkcs8 -in "$DATA_DIR/exercise3-key.pem" -nocrypt -topk8 -outform DER | openssl sha1 -c | sed 's/^.*= //')
ec2_fp=$(as_user "$KEY" "$SECRET" aws ec2 describe-key-pairs --key-names exercise3-key --query 'KeyPairs[0].KeyFingerprint' --output text)
[ "$local_fp" = "$ec2_fp" ] || fail "fingerprint $ec2_fp, openssl says $local_fp"; passed=$((passed+1))
expect_error InvalidKeyPair.Duplicate as_user "$KEY" "$SECRET" aws ec2 create-key-pair --key-name exercise3-key; passed=$((passed+1))

# The security group of exercise 3: SSH in.
SG=$(as_user "$KEY" "$SECRET" aws ec2 create-security-group --group-name exercise3-sg --description "exercise 3" --query GroupId --output text)
[[ $SG == sg-* ]] || fail "group id $SG"; passed=$((passed+1))
rule=$(as_user "$KEY" "$SECRET" aws ec2 authorize-security-group-ingress --group-id "$SG" --protocol tcp --port 22 --cidr 0.0.0.0/0 --query 'SecurityGroupRules[0].SecurityGroupRuleId' --output text)
[[ $rule == sgr-* ]] || fail "rule id $rule"; passed=$((passed+1))

# The instance role (for run-as below), passed at launch.
cat >"$DATA_DIR/trust.json" <<'JSON'
{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" }, "Action": "sts:AssumeRole" }] }
JSON
aws iam create-role --role-name Ex4Role --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
aws iam attach-role-policy --role-name Ex4Role --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
aws iam create-instance-profile --instance-profile-name Ex4Profile >/dev/null
aws iam add-role-to-instance-profile --instance-profile-name Ex4Profile --role-name Ex4Role

# The Amazon Linux AMI (not Amazon Linux 2), t2.micro, the key, the group, the Name tag.
AMI=$(as_user "$KEY" "$SECRET" aws ec2 describe-images --owners amazon --filters 'Name=name,Values=amzn-ami-hvm-*' --query 'Images[0].ImageId' --output text)
[[ $AMI == ami-* ]] || fail "AMI $AMI"; passed=$((passed+1))
ID=$(as_user "$KEY" "$SECRET" aws ec2 run-instances --image-id "$AMI" --instance-type t2.micro --key-name exercise3-key --security-group-ids "$SG" \
  --iam-instance-profile Name=Ex4Profile --user-data 'echo hello' \
  --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=Ex4WebServer}]' --query 'Instances[0].InstanceId' --output text)
[[ $ID =~ ^i-[0-9a-f]{17}$ ]] || fail "instance id $ID"; passed=$((passed+1))
state=""
for _ in $(seq 1 50); do
  state=$(aws ec2 describe-instances --instance-ids "$ID" --query 'Reservations[0].Instances[0].State.Name' --output text)
  [ "$state" = running ] && break
  sleep 0.2
done
[ "$state" = running ] || fail "state $state"; passed=$((passed+1))

# "aws ec2 describe-instances" with the user's keys shows it, its tag and its group.
out=$(as_user "$KEY" "$SECRET" aws ec2 describe-instances --filters Name=tag:Name,Values=Ex4WebServer --query 'Reservations[].Instances[].[InstanceId,InstanceType,SecurityGroups[0].GroupName,Placement.AvailabilityZone]' --output text)
[ "$out" = "$(printf '%s\tt2.micro\texercise3-sg\tus-west-2a' "$ID")" ] || fail "describe-instances: $out"; passed=$((passed+1))

# The same from boto3, as step 4 of the tutorial.
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET INSTANCE=$ID python3 - <<'PY' || fail "boto3"
import os, boto3
client = boto3.client("ec2")
instances = [i for r in client.describe_instances()["Reservations"] for i in r["Instances"]]
assert [i["InstanceId"] for i in instances] == [os.environ["INSTANCE"]], instances
assert {"Key": "Name", "Value": "Ex4WebServer"} in instances[0]["Tags"]
keys = client.describe_key_pairs()["KeyPairs"]
assert [k["KeyName"] for k in keys] == ["exercise3-key"], keys
pages = list(client.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
assert sum(len(r["Instances"]) for p in pages for r in p["Reservations"]) == 1
PY
passed=$((passed+1))

# A user without EC2 permissions: UnauthorizedOperation, with a message the account can decode.
aws iam create-user --user-name NoEc2 >/dev/null
read -r NKEY NSECRET < <(aws iam create-access-key --user-name NoEc2 --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
expect_error UnauthorizedOperation as_user "$NKEY" "$NSECRET" aws ec2 describe-instances; passed=$((passed+1))
denied=$(as_user "$NKEY" "$NSECRET" aws ec2 terminate-instances --instance-ids "$ID" 2>&1) && fail "terminate by NoEc2 succeeded"
encoded=$(sed -nE 's/.*Encoded authorization failure message: ([^ ]+).*/\1/p' <<<"$denied")
[ -n "$encoded" ] || fail "no encoded message in: $denied"
decoded=$(aws sts decode-authorization-message --encoded-message "$encoded" --query DecodedMessage --output text)
python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert d['allowed'] is False and d['context']['action']=='ec2:TerminateInstances' and d['context']['resource'].endswith('instance/$ID'), d" "$decoded" || fail "decoded: $decoded"; passed=$((passed+1))
expect_error DryRunOperation as_user "$KEY" "$SECRET" aws ec2 terminate-instances --instance-ids "$ID" --dry-run; passed=$((passed+1))

# On the instance: only the role's credentials, from its metadata service.
arn=$($IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- aws sts get-caller-identity --query Arn --output text)
[ "$arn" = "arn:aws:sts::000000000000:assumed-role/Ex4Role/$ID" ] || fail "run-as aws CLI: $arn"; passed=$((passed+1))
$IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- aws s3 mb s3://ex4-from-instance >/dev/null || fail "run-as s3 mb"; passed=$((passed+1))
expect_error UnauthorizedOperation $IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- aws ec2 describe-instances; passed=$((passed+1))
$IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- python3 -c "
import os, boto3
assert 'AWS_ACCESS_KEY_ID' not in os.environ and os.environ['AWS_REGION'] == 'us-west-2'
arn = boto3.client('sts').get_caller_identity()['Arn']
assert arn.endswith('assumed-role/Ex4Role/$ID'), arn
assert 'ex4-from-instance' in [b['Name'] for b in boto3.client('s3').list_buckets()['Buckets']]
" || fail "run-as boto3"; passed=$((passed+1))
(cd "$ROOT_DIR" && $IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- node --input-type=module -e "
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const me = await new STSClient({}).send(new GetCallerIdentityCommand({}));
if (me.Arn !== 'arn:aws:sts::000000000000:assumed-role/Ex4Role/$ID') throw new Error(me.Arn);
") || fail "run-as SDK for JavaScript"; passed=$((passed+1))

# botocore (the aws CLI) also keeps a path in the endpoint: the server's own route serves it.
arn=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_EC2_METADATA_SERVICE_ENDPOINT="$AWS_ENDPOINT_URL/_iamlocal/imds/$ID/" aws sts get-caller-identity --query Arn --output text)
[ "$arn" = "arn:aws:sts::000000000000:assumed-role/Ex4Role/$ID" ] || fail "path endpoint: $arn"; passed=$((passed+1))

# A VPC and a subnet of the user's own, an instance launched into it, and the root volume and
# network interface the launch made; the VPC is kept while anything lives in it.
u() { as_user "$KEY" "$SECRET" "$@"; }
VPC=$(u aws ec2 create-vpc --cidr-block 10.20.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=ex4-vpc}]' --query Vpc.VpcId --output text)
[[ $VPC =~ ^vpc-[0-9a-f]{17}$ ]] || fail "vpc id $VPC"; passed=$((passed+1))
expect_error InvalidVpc.Range u aws ec2 create-vpc --cidr-block 10.0.0.0/8; passed=$((passed+1))
SUBNET=$(u aws ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.20.1.0/24 --availability-zone us-west-2b --query Subnet.SubnetId --output text)
[[ $SUBNET =~ ^subnet-[0-9a-f]{17}$ ]] || fail "subnet id $SUBNET"; passed=$((passed+1))
expect_error InvalidSubnet.Conflict u aws ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.20.1.128/25; passed=$((passed+1))
expect_error InvalidSubnet.Range u aws ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.30.1.0/24; passed=$((passed+1))
[ "$(u aws ec2 describe-vpcs --filters Name=tag:Name,Values=ex4-vpc --query 'Vpcs[0].CidrBlock' --output text)" = 10.20.0.0/16 ] || fail "describe-vpcs"; passed=$((passed+1))
read -r ID2 IP2 VOL ENI < <(u aws ec2 run-instances --image-id "$AMI" --instance-type t2.micro --subnet-id "$SUBNET" \
  --query 'Instances[0].[InstanceId,PrivateIpAddress,BlockDeviceMappings[0].Ebs.VolumeId,NetworkInterfaces[0].NetworkInterfaceId]' --output text)
[[ $IP2 == 10.20.1.* ]] || fail "address $IP2 outside the subnet"; passed=$((passed+1))
out=$(u aws ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$ID2" --query 'Volumes[0].[VolumeId,State,Attachments[0].DeleteOnTermination]' --output text)
[ "$out" = "$(printf '%s\tin-use\tTrue' "$VOL")" ] || fail "describe-volumes: $out"; passed=$((passed+1))
out=$(u aws ec2 describe-network-interfaces --network-interface-ids "$ENI" --query 'NetworkInterfaces[0].[SubnetId,VpcId,PrivateIpAddress]' --output text)
[ "$out" = "$(printf '%s\t%s\t%s' "$SUBNET" "$VPC" "$IP2")" ] || fail "describe-network-interfaces: $out"; passed=$((passed+1))
expect_error DependencyViolation u aws ec2 delete-vpc --vpc-id "$VPC"; passed=$((passed+1))
expect_error DependencyViolation u aws ec2 delete-subnet --subnet-id "$SUBNET"; passed=$((passed+1))
u aws ec2 terminate-instances --instance-ids "$ID2" >/dev/null
u aws ec2 wait instance-terminated --instance-ids "$ID2" || fail "wait instance-terminated"
expect_error InvalidVolume.NotFound u aws ec2 describe-volumes --volume-ids "$VOL"; passed=$((passed+1))
u aws ec2 delete-subnet --subnet-id "$SUBNET" && u aws ec2 delete-vpc --vpc-id "$VPC" || fail "delete subnet and vpc"; passed=$((passed+1))
expect_error InvalidVpcID.NotFound u aws ec2 describe-vpcs --vpc-ids "$VPC"; passed=$((passed+1))

# Stopped: no metadata service, so run-as refuses.
aws ec2 stop-instances --instance-ids "$ID" >/dev/null
expect_error "answers only while it is running" $IAMLOCAL run-as "$ID" --endpoint-url "$AWS_ENDPOINT_URL" -- true; passed=$((passed+1))
echo "seed-004 EC2 (aws CLI, boto3, run-as): $passed passed, 0 failed"

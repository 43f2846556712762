#!/usr/bin/env bash
# Seed 000 end to end with the real aws CLI and curl: the setup (role for EC2 with S3 and
# DynamoDB full access, instance profile, bucket, Employees table, a t2.micro launched with
# the seed's user data), the employee directory started with `iamlocal run-as` so it has
# only the instance role's credentials, driven over HTTP (add with a photo, list, the
# presigned photo link, edit, delete), then AccessDenied on the page once the role's S3
# policy is detached. Last, the one documented command (setup.js) reruns over all of it.
source "$(dirname "$0")/lib.sh"
passed=0
ok() { passed=$((passed+1)); }
ROLE=S3DynamoDBFullAccessRole
BUCKET=employee-directory-cli-photos
APP_PID=""; SETUP_PID=""
trap 'kill $APP_PID $SETUP_PID 2>/dev/null || true; wait $APP_PID $SETUP_PID 2>/dev/null || true; kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT

# --- The setup, as seed 000 describes it.
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
aws iam create-role --role-name $ROLE --assume-role-policy-document "file://$DATA_DIR/trust.json" >/dev/null
aws iam attach-role-policy --role-name $ROLE --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
aws iam attach-role-policy --role-name $ROLE --policy-arn arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
aws iam create-instance-profile --instance-profile-name $ROLE >/dev/null
aws iam add-role-to-instance-profile --instance-profile-name $ROLE --role-name $ROLE
aws s3 mb "s3://$BUCKET" >/dev/null
aws dynamodb create-table --table-name Employees --attribute-definitions AttributeName=id,AttributeType=S \
  --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST >/dev/null
for _ in $(seq 1 100); do
  status=$(aws dynamodb describe-table --table-name Employees --query Table.TableStatus --output text)
  [ "$status" = ACTIVE ] && break; sleep 0.2
done
[ "$status" = ACTIVE ] || fail "table is $status"; ok

cat >"$DATA_DIR/user-data.sh" <<EOF
#!/bin/bash -ex
wget https://aws-tc-largeobjects.s3-us-west-2.amazonaws.com/DEV-AWS-MO-GCNv2/FlaskApp.zip
unzip FlaskApp.zip
cd FlaskApp/
yum -y install python3 mysql
pip3 install -r requirements.txt
amazon-linux-extras install epel
yum -y install stress
export PHOTOS_BUCKET=$BUCKET
export AWS_DEFAULT_REGION=us-east-1
export DYNAMO_MODE=on
FLASK_APP=application.py /usr/local/bin/flask run --host=0.0.0.0 --port=80
EOF
ami=$(aws ec2 describe-images --owners amazon --filters 'Name=name,Values=amzn2-ami-hvm-*-x86_64-gp2' --query 'sort_by(Images,&CreationDate)[-1].ImageId' --output text)
if [ -z "$ami" ] || [ "$ami" = None ]; then
  ami=$(aws ec2 describe-images --owners amazon --filters 'Name=name,Values=al2023-ami-*-x86_64' --query 'sort_by(Images,&CreationDate)[-1].ImageId' --output text)
fi
[[ "$ami" == ami-* ]] || fail "no Amazon Linux image: $ami"; ok
iid=$(aws ec2 run-instances --image-id "$ami" --instance-type t2.micro --count 1 --iam-instance-profile Name=$ROLE \
  --user-data "file://$DATA_DIR/user-data.sh" --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=employee-directory}]' \
  --query 'Instances[0].InstanceId' --output text)
[[ "$iid" == i-* ]] || fail "run-instances: $iid"; ok
for _ in $(seq 1 120); do
  read -r state profile < <(aws ec2 describe-instances --instance-ids "$iid" --query 'Reservations[0].Instances[0].[State.Name,IamInstanceProfile.Arn]' --output text)
  [ "$state" = running ] && break; sleep 0.5
done
[ "$state" = running ] || fail "instance $iid is $state"; ok
[ "$profile" = "arn:aws:iam::000000000000:instance-profile/$ROLE" ] || fail "instance profile: $profile"; ok

# --- The app, run as the instance: run-as gives it the instance's metadata endpoint, and
# the user data's exports are its whole configuration.
wait_url() { # FILE PID: the URL the app prints once it listens
  for _ in $(seq 1 300); do
    url=$(sed -nE 's|.*employee directory listening on (http://[^ ]+).*|\1|p' "$1" | head -1)
    [ -n "$url" ] && { echo "$url"; return 0; }
    kill -0 "$2" 2>/dev/null || break; sleep 0.1
  done
  cat "$1" >&2; return 1
}
PHOTOS_BUCKET=$BUCKET AWS_DEFAULT_REGION=us-east-1 DYNAMO_MODE=on PORT=0 \
  node "$ROOT_DIR/dist/iamlocal.js" run-as "$iid" -- node "$ROOT_DIR/dist/examples/employee-directory/server.js" >"$DATA_DIR/app.out" 2>&1 &
APP_PID=$!
APP=$(wait_url "$DATA_DIR/app.out" $APP_PID) || fail "the app did not start"
home=$(curl -sf "$APP/") || fail "GET /"
grep -q 'The directory is empty' <<<"$home" || fail "empty directory: $home"
grep -q "instance <code>$iid</code>" <<<"$home" || fail "the page does not name $iid: $home"; ok

python3 - "$DATA_DIR" <<'PY'
import struct, sys, zlib
def png(w, h, rgb):
    raw = b''.join(b'\x00' + bytes(rgb) * w for _ in range(h))
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(sys.argv[1] + '/ana.png', 'wb').write(png(12, 16, (200, 120, 40)))
open(sys.argv[1] + '/ana2.png', 'wb').write(png(12, 16, (20, 90, 200)))
PY

# Add an employee with a photo.
code=$(curl -s -o /dev/null -w '%{http_code}' -F 'full_name=Ana Silva' -F location=Lisbon -F job_title=Engineer \
  -F badges=apple -F badges=coffee -F "photo=@$DATA_DIR/ana.png;type=image/png" "$APP/employees")
[ "$code" = 303 ] || fail "add: HTTP $code"; ok
list=$(curl -sf "$APP/")
grep -q '>Ana Silva</a>' <<<"$list" && grep -q '<span class="location">Lisbon</span>' <<<"$list" \
  && grep -q '<span class="job-title">Engineer</span>' <<<"$list" && grep -q '>Coffee Snob</span>' <<<"$list" || fail "list: $list"; ok
id=$(grep -oE 'data-id="[^"]+"' <<<"$list" | head -1 | cut -d'"' -f2)
photo=$(grep -oE '<img class="photo"[^>]* src="[^"]+"' <<<"$list" | sed -E 's/.* src="//; s/"$//; s/&#38;/\&/g')
[[ "$photo" == "$AWS_ENDPOINT_URL/$BUCKET/employee_pic/"* ]] || fail "photo link: $photo"
curl -sf "$photo" -o "$DATA_DIR/got.png" && cmp -s "$DATA_DIR/got.png" "$DATA_DIR/ana.png" || fail "the presigned link does not serve the photo"; ok
[ "$(aws dynamodb get-item --table-name Employees --key "{\"id\":{\"S\":\"$id\"}}" --query Item.full_name.S --output text)" = "Ana Silva" ] || fail "record"; ok
grep -q "assumed-role/$ROLE/$iid dynamodb:PutItem allowed" "$DATA_DIR/server.log" || fail "PutItem was not made by the instance role: $(grep PutItem "$DATA_DIR/server.log")"; ok

# Edit (new location, title, badge and photo), then delete.
code=$(curl -s -o /dev/null -w '%{http_code}' -F 'full_name=Ana Silva' -F location=Porto -F 'job_title=Staff Engineer' \
  -F badges=trophy -F "photo=@$DATA_DIR/ana2.png;type=image/png" "$APP/employees/$id/edit")
[ "$code" = 303 ] || fail "edit: HTTP $code"
list=$(curl -sf "$APP/")
grep -q '<span class="location">Porto</span>' <<<"$list" && grep -q '>Employee of the Month</span>' <<<"$list" || fail "edited list: $list"; ok
[ "$(aws s3api list-objects-v2 --bucket $BUCKET --query 'length(Contents)' --output text)" = 1 ] || fail "the replaced photo is still in the bucket"; ok
curl -sf "$APP/employees/$id/delete" | grep -q 'Delete Ana Silva?' || fail "delete confirmation"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$APP/employees/$id/delete")
[ "$code" = 303 ] || fail "delete: HTTP $code"
curl -sf "$APP/" | grep -q 'The directory is empty' || fail "not deleted"
[ "$(aws dynamodb scan --table-name Employees --select COUNT --query Count --output text)" = 0 ] || fail "record left"
[ "$(aws s3api list-objects-v2 --bucket $BUCKET --query 'length(Contents || `[]`)' --output text)" = 0 ] || fail "photo left"; ok

# --- The role loses S3: the next photo upload is refused by S3, and the page says so.
aws iam detach-role-policy --role-name $ROLE --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
page=$(curl -s -w '\n%{http_code}' -F 'full_name=Carla Mendes' -F location=Faro -F job_title=Designer \
  -F "photo=@$DATA_DIR/ana.png;type=image/png" "$APP/employees")
[ "$(tail -1 <<<"$page")" = 403 ] || fail "upload after detach: $page"
grep -q '<strong>AccessDenied</strong> s3:PutObject: User: arn:aws:sts::000000000000:assumed-role/'"$ROLE/$iid"' is not authorized to perform: s3:PutObject' <<<"$page" || fail "no AccessDenied on the page: $page"; ok
grep -q 'name="full_name" value="Carla Mendes"' <<<"$page" || fail "the form is not kept"
[ "$(aws dynamodb scan --table-name Employees --select COUNT --query Count --output text)" = 0 ] || fail "a record was written"
kill -0 $APP_PID 2>/dev/null || fail "the app died"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$APP/")" = 200 ] || fail "the app stopped serving"; ok
kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=""

# --- The one documented command, rerun over this setup: it reuses every resource (and
# attaches AmazonS3FullAccess again), then starts the app as the same instance.
PHOTOS_BUCKET=$BUCKET PORT=0 node "$ROOT_DIR/dist/examples/employee-directory/setup.js" >"$DATA_DIR/setup.out" 2>&1 &
SETUP_PID=$!
APP=$(wait_url "$DATA_DIR/setup.out" $SETUP_PID) || fail "setup.js did not start the app"
grep -q "instance $iid " "$DATA_DIR/setup.out" || fail "setup.js did not reuse $iid: $(cat "$DATA_DIR/setup.out")"
[ "$(aws ec2 describe-instances --filters Name=tag:Name,Values=employee-directory --query 'length(Reservations[].Instances[])' --output text)" = 1 ] || fail "a second instance"; ok
code=$(curl -s -o /dev/null -w '%{http_code}' -F 'full_name=Carla Mendes' -F location=Faro -F job_title=Designer \
  -F "photo=@$DATA_DIR/ana.png;type=image/png" "$APP/employees")
[ "$code" = 303 ] || fail "upload with the policy attached again: HTTP $code"
curl -sf "$APP/" | grep -q '>Carla Mendes</a>' || fail "list after rerun"; ok

echo "employee-directory aws CLI + curl: $passed passed, 0 failed"

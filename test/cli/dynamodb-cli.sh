#!/usr/bin/env bash
# DynamoDB with the real aws CLI and boto3: the employee directory's table (seed 000), items
# with conditions and updates, queries with their paginators, a batch, a transaction, and a
# user whose policy allows only reads, denied a write with DynamoDB's AccessDeniedException.
source "$(dirname "$0")/lib.sh"
passed=0

aws dynamodb create-table --table-name Employees \
  --attribute-definitions AttributeName=id,AttributeType=S AttributeName=dept,AttributeType=S \
  --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST \
  --global-secondary-indexes 'IndexName=by-dept,KeySchema=[{AttributeName=dept,KeyType=HASH}],Projection={ProjectionType=ALL}' >/dev/null
aws dynamodb wait table-exists --table-name Employees; passed=$((passed+1))
[ "$(aws dynamodb describe-table --table-name Employees --query Table.TableStatus --output text)" = ACTIVE ] || fail "table status"; passed=$((passed+1))
[ "$(aws dynamodb list-tables --query 'TableNames[0]' --output text)" = Employees ] || fail "list-tables"; passed=$((passed+1))

aws dynamodb put-item --table-name Employees --item '{"id":{"S":"1"},"name":{"S":"Ana"},"dept":{"S":"eng"},"salary":{"N":"100.50"}}'
aws dynamodb put-item --table-name Employees --item '{"id":{"S":"2"},"name":{"S":"Bo"},"dept":{"S":"eng"}}'
[ "$(aws dynamodb get-item --table-name Employees --key '{"id":{"S":"1"}}' --query Item.salary.N --output text)" = 100.5 ] || fail "get-item"; passed=$((passed+1))
expect_error ConditionalCheckFailedException aws dynamodb put-item --table-name Employees --item '{"id":{"S":"1"}}' --condition-expression 'attribute_not_exists(id)'; passed=$((passed+1))
[ "$(aws dynamodb update-item --table-name Employees --key '{"id":{"S":"1"}}' --update-expression 'SET salary = salary + :r' \
  --expression-attribute-values '{":r":{"N":"0.5"}}' --return-values UPDATED_NEW --query Attributes.salary.N --output text)" = 101 ] || fail "update-item"; passed=$((passed+1))
[ "$(aws dynamodb query --table-name Employees --index-name by-dept --key-condition-expression 'dept = :d' \
  --expression-attribute-values '{":d":{"S":"eng"}}' --select COUNT --query Count --output text)" = 2 ] || fail "query count"; passed=$((passed+1))
# The CLI follows LastEvaluatedKey page by page (text output prints each page's ids).
[ "$(aws dynamodb scan --table-name Employees --page-size 1 --query 'Items[].id.S' --output text | wc -w)" = 2 ] || fail "scan pages"; passed=$((passed+1))
expect_error ValidationException aws dynamodb get-item --table-name Employees --key '{"name":{"S":"Ana"}}'; passed=$((passed+1))
expect_error ResourceNotFoundException aws dynamodb describe-table --table-name Nope; passed=$((passed+1))

# A reader: its policy allows reads only.
aws iam create-user --user-name reader >/dev/null
read -r KEY SECRET < <(aws iam create-access-key --user-name reader --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
aws iam put-user-policy --user-name reader --policy-name read --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:Scan"],"Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/Employees*"}]}'
[ "$(as_user "$KEY" "$SECRET" aws dynamodb get-item --table-name Employees --key '{"id":{"S":"2"}}' --query Item.name.S --output text)" = Bo ] || fail "reader get"; passed=$((passed+1))
out=$(as_user "$KEY" "$SECRET" aws dynamodb delete-item --table-name Employees --key '{"id":{"S":"2"}}' 2>&1) && fail "reader delete allowed"
grep -q "AccessDeniedException" <<<"$out" || fail "reader delete: $out"
grep -q "is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Employees because no identity-based policy allows the dynamodb:DeleteItem action" <<<"$out" || fail "denial text: $out"
passed=$((passed+1))

python3 - "$KEY" "$SECRET" <<'PY'
import sys, boto3, botocore
from boto3.dynamodb.conditions import Key
passed = 0
def check(cond, what):
    global passed
    if not cond: raise SystemExit(f"FAIL: {what}")
    passed += 1
def error_code(fn, **kw):
    try: fn(**kw)
    except botocore.exceptions.ClientError as e: return e.response["Error"]["Code"]
    return None

ddb = boto3.resource("dynamodb")
client = boto3.client("dynamodb")
table = ddb.create_table(TableName="Photos", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "album", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "album", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}])
table.wait_until_exists()
table.reload()
check(table.table_status == "ACTIVE", "waiter")
with table.batch_writer() as batch:
    for i in range(60):
        batch.put_item(Item={"album": "trip", "n": i, "caption": f"photo {i}", "tags": {"sea", "sun"} if i % 2 else {"city"}})
items = table.query(KeyConditionExpression=Key("album").eq("trip") & Key("n").between(10, 19))["Items"]
check([int(i["n"]) for i in items] == list(range(10, 20)), "query between")
pages = list(client.get_paginator("query").paginate(TableName="Photos", KeyConditionExpression="album = :a",
    ExpressionAttributeValues={":a": {"S": "trip"}}, PaginationConfig={"PageSize": 25}))
check(sum(p["Count"] for p in pages) == 60 and len(pages) >= 3, "query paginator")
check(table.get_item(Key={"album": "trip", "n": 3})["Item"]["tags"] == {"sea", "sun"}, "string set round-trip")
got = client.batch_get_item(RequestItems={"Photos": {"Keys": [{"album": {"S": "trip"}, "n": {"N": "1"}}, {"album": {"S": "trip"}, "n": {"N": "2"}}]}})
check(len(got["Responses"]["Photos"]) == 2 and got["UnprocessedKeys"] == {}, "batch get")
try:
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Photos", "Item": {"album": {"S": "trip"}, "n": {"N": "100"}}}},
        {"ConditionCheck": {"TableName": "Photos", "Key": {"album": {"S": "trip"}, "n": {"N": "1"}}, "ConditionExpression": "attribute_not_exists(album)"}},
    ])
    check(False, "transaction should be cancelled")
except client.exceptions.TransactionCanceledException as e:
    codes = [r["Code"] for r in e.response["CancellationReasons"]]
    check(codes == ["None", "ConditionalCheckFailed"], f"cancellation reasons {codes}")
check("Item" not in table.get_item(Key={"album": "trip", "n": 100}), "nothing written by a cancelled transaction")
client.update_time_to_live(TableName="Photos", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
check(client.describe_time_to_live(TableName="Photos")["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED", "ttl")
reader = boto3.client("dynamodb", aws_access_key_id=sys.argv[1], aws_secret_access_key=sys.argv[2])
check(error_code(reader.put_item, TableName="Employees", Item={"id": {"S": "9"}}) == "AccessDeniedException", "reader denied PutItem")
check(error_code(reader.get_item, TableName="Photos", Key={"album": {"S": "trip"}, "n": {"N": "1"}}) == "AccessDeniedException", "reader denied another table")
print(f"boto3 part: {passed} passed")
sys.exit(0) if passed == 10 else sys.exit(f"FAIL: expected 10 boto3 checks, got {passed}")
PY
passed=$((passed+10))
echo "dynamodb-cli: $passed passed, 0 failed"

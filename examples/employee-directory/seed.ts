/**
 * Seed 000's setup, as its text gives it: the role EC2 instances assume (its trust policy
 * word for word, AmazonS3FullAccess and AmazonDynamoDBFullAccess attached), the app's
 * table, and the user data that launches the app on a t2.micro running Amazon Linux 2.
 */
export const ROLE_NAME = 'S3DynamoDBFullAccessRole';
export const ROLE_DESCRIPTION = 'Lets the employee directory on EC2 keep photos in S3 and records in DynamoDB';
/** Same name as the role, as the console names the profile it creates for one. */
export const INSTANCE_PROFILE_NAME = ROLE_NAME;
export const S3_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
export const DYNAMODB_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess';
export const TABLE_NAME = 'Employees';
export const INSTANCE_TYPE = 't2.micro';
/** The Name tag of the app's instance: how a rerun finds the one it launched. */
export const INSTANCE_NAME = 'employee-directory';

export const TRUST_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: ['ec2.amazonaws.com'] } }],
  },
  null,
  4,
);

/** The seed's user data script with its two blanks filled: the bucket and the region. */
export function userData(bucket: string, region: string): string {
  return `#!/bin/bash -ex
wget https://aws-tc-largeobjects.s3-us-west-2.amazonaws.com/DEV-AWS-MO-GCNv2/FlaskApp.zip
unzip FlaskApp.zip
cd FlaskApp/
yum -y install python3 mysql
pip3 install -r requirements.txt
amazon-linux-extras install epel
yum -y install stress
export PHOTOS_BUCKET=${bucket}
export AWS_DEFAULT_REGION=${region}
export DYNAMO_MODE=on
FLASK_APP=application.py /usr/local/bin/flask run --host=0.0.0.0 --port=80
`;
}

/** The app's configuration is what the user data exports (`export NAME=value` lines). */
export function exportsOf(script: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of script.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(.*)$/gm)) env[m[1]] = m[2].trim();
  return env;
}

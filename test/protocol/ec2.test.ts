import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, DescribeInstancesCommand, DescribeVpcsCommand, CreateTagsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsError, decodeRequest, detectService, encodeError, encodeResponse, type WireRequest } from '../../src/protocol/index.js';
import { startWireServer, testCredentials, type WireServer } from './wire-server.js';

let reply: (op: string, input: Record<string, unknown>) => unknown = () => ({});
let decoded: { operation?: string; input?: Record<string, unknown> } = {};
let server: WireServer;

before(async () => {
  server = await startWireServer((req) => {
    assert.equal(detectService(req), 'ec2');
    try {
      const { operation, input } = decodeRequest('ec2', req);
      decoded = { operation, input };
      return encodeResponse('ec2', operation, reply(operation, input), 'ec2-req');
    } catch (e) {
      if (e instanceof AwsError) return encodeError('ec2', e, 'ec2-err');
      throw e;
    }
  });
});
after(() => server.close());

const ec2 = () => new EC2Client({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });

test('EC2 DescribeInstances: flattened lists with locationNames decode; nested item lists encode', async () => {
  const launched = new Date('2024-03-04T05:06:07.123Z');
  reply = () => ({
    Reservations: [
      {
        ReservationId: 'r-1',
        OwnerId: '000000000000',
        Instances: [
          { InstanceId: 'i-1', LaunchTime: launched, State: { Code: 16, Name: 'running' }, Tags: [{ Key: 'Name', Value: 'web' }] },
          { InstanceId: 'i-2', State: { Code: 80, Name: 'stopped' } },
        ],
      },
    ],
  });
  const out = await ec2().send(
    new DescribeInstancesCommand({
      InstanceIds: ['i-1', 'i-2'],
      Filters: [{ Name: 'instance-state-name', Values: ['running', 'stopped'] }, { Name: 'tag:Name', Values: ['web'] }],
      DryRun: false,
    }),
  );
  const wire = server.requests.at(-1)!.body.toString();
  assert.match(wire, /InstanceId\.1=i-1&InstanceId\.2=i-2/);
  assert.match(wire, /Filter\.1\.Value\.2=stopped/);
  assert.equal(decoded.operation, 'DescribeInstances');
  assert.deepEqual(decoded.input, {
    InstanceIds: ['i-1', 'i-2'],
    Filters: [{ Name: 'instance-state-name', Values: ['running', 'stopped'] }, { Name: 'tag:Name', Values: ['web'] }],
    DryRun: false,
  });
  const instances = out.Reservations?.[0].Instances ?? [];
  assert.deepEqual(instances.map((i) => i.InstanceId), ['i-1', 'i-2']);
  assert.equal(instances[0].LaunchTime?.getTime(), launched.getTime());
  assert.equal(instances[0].State?.Code, 16);
  assert.deepEqual(instances[0].Tags, [{ Key: 'Name', Value: 'web' }]);
  assert.equal(out.$metadata.requestId, 'ec2-req');
});

test('EC2 DescribeVpcs: locationName elements (vpcSet/item, isDefault)', async () => {
  reply = () => ({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: true, State: 'available' }], NextToken: 'tok' });
  const out = await ec2().send(new DescribeVpcsCommand({ MaxResults: 5 }));
  assert.equal(decoded.input?.MaxResults, 5);
  assert.deepEqual(out.Vpcs, [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: true, State: 'available' }]);
  assert.equal(out.NextToken, 'tok');
  const xml = encodeResponse('ec2', 'DescribeVpcs', { Vpcs: [{ VpcId: 'vpc-1' }] }, 'rid').body.toString();
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      '<requestId>rid</requestId><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>',
  );
});

test('EC2 CreateTags: an operation without output answers <return>true</return>', async () => {
  reply = () => undefined;
  await ec2().send(new CreateTagsCommand({ Resources: ['i-1'], Tags: [{ Key: 'k', Value: 'v' }] }));
  assert.deepEqual(decoded.input, { Resources: ['i-1'], Tags: [{ Key: 'k', Value: 'v' }] });
  assert.match(encodeResponse('ec2', 'CreateTags', undefined, 'r').body.toString(), /<requestId>r<\/requestId><return>true<\/return>/);
});

test('EC2 errors: Response/Errors/Error shape reaches the SDK by code', async () => {
  reply = () => {
    throw new AwsError('InvalidInstanceID.NotFound', "The instance ID 'i-9' does not exist", 400);
  };
  await assert.rejects(ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-9'] })), (e: any) => {
    assert.equal(e.name, 'InvalidInstanceID.NotFound');
    assert.equal(e.message, "The instance ID 'i-9' does not exist");
    assert.equal(e.$metadata.requestId, 'ec2-err');
    return true;
  });
  assert.equal(
    encodeError('ec2', new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), 'rid').body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code>' +
      '<Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>rid</RequestID></Response>',
  );
});

function form(body: string): WireRequest {
  return { method: 'POST', path: '/', rawQuery: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(body) };
}

function decodeError(req: WireRequest): AwsError {
  try {
    decodeRequest('ec2', req);
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  assert.fail('expected an AwsError');
}

test('EC2: missing parameters, bad values, unknown actions in EC2 words', async () => {
  const missing = decodeError(form('Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MaxCount=1'));
  assert.equal(missing.code, 'MissingParameter');
  assert.equal(missing.message, 'The request must contain the parameter MinCount');
  const bad = decodeError(form('Action=RunInstances&ImageId=ami-1&MaxCount=one&MinCount=1'));
  assert.equal(bad.code, 'InvalidParameterValue');
  assert.match(bad.message, /MaxCount/);
  const unknown = decodeError(form('Action=LaunchRocket&Version=2016-11-15'));
  assert.equal(unknown.code, 'InvalidAction');
  assert.equal(unknown.message, 'The action LaunchRocket is not valid for this web service.');
  await assert.rejects(ec2().send(new RunInstancesCommand({ ImageId: 'ami-1', MinCount: 1, MaxCount: 1, InstanceType: 'bogus.large' as never })), (e: any) => {
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, "Invalid value 'bogus.large' for InstanceType.");
    return true;
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateUserCommand,
  ListUsersCommand,
  DeleteUserCommand,
  GetUserCommand,
  PutUserPolicyCommand,
  CreateVirtualMFADeviceCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AwsError, decodeRequest, detectService, encodeError, encodeResponse, type WireRequest } from '../../src/protocol/index.js';
import { startWireServer, testCredentials, type WireServer } from './wire-server.js';

/** What the test server answers next, and what it decoded last. */
let reply: (op: string, input: Record<string, unknown>) => unknown = () => ({});
let decoded: { service?: string; operation?: string; input?: Record<string, unknown> } = {};
let server: WireServer;

before(async () => {
  server = await startWireServer((req) => {
    const service = detectService(req);
    if (service !== 'iam' && service !== 'sts') throw new Error(`detected ${service}`);
    try {
      const { operation, input } = decodeRequest(service, req);
      decoded = { service, operation, input };
      return encodeResponse(service, operation, reply(operation, input), 'req-123');
    } catch (e) {
      if (e instanceof AwsError) return encodeError(service, e, 'req-err');
      throw e;
    }
  });
});
after(() => server.close());

const iam = () => new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials });
const sts = () => new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials });

test('IAM CreateUser: nested tags decode, user with timestamp encodes back through the SDK', async () => {
  const created = new Date('2024-01-02T03:04:05Z');
  reply = (_op, input) => ({
    User: { UserName: input.UserName, Path: input.Path, UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::000000000000:user/bob', CreateDate: created, Tags: input.Tags },
  });
  const out = await iam().send(
    new CreateUserCommand({ UserName: 'bob', Path: '/team/', Tags: [{ Key: 'dept', Value: 'eng' }, { Key: 'cost', Value: '' }] }),
  );
  assert.equal(decoded.service, 'iam');
  assert.equal(decoded.operation, 'CreateUser');
  assert.deepEqual(decoded.input, { UserName: 'bob', Path: '/team/', Tags: [{ Key: 'dept', Value: 'eng' }, { Key: 'cost', Value: '' }] });
  assert.equal(out.User?.UserName, 'bob');
  assert.equal(out.User?.CreateDate?.getTime(), created.getTime());
  assert.deepEqual(out.User?.Tags, [{ Key: 'dept', Value: 'eng' }, { Key: 'cost', Value: '' }]);
  assert.equal(out.$metadata.requestId, 'req-123');
});

test('IAM ListUsers: integers and booleans convert both ways; lists come back as arrays', async () => {
  reply = () => ({
    Users: [
      { UserName: 'a', Path: '/', UserId: 'AIDA1', Arn: 'arn:aws:iam::000000000000:user/a', CreateDate: new Date(0) },
      { UserName: 'b&<c>', Path: '/', UserId: 'AIDA2', Arn: 'arn:aws:iam::000000000000:user/b', CreateDate: new Date(1000) },
    ],
    IsTruncated: true,
    Marker: 'next',
  });
  const out = await iam().send(new ListUsersCommand({ MaxItems: 2, PathPrefix: '/' }));
  assert.deepEqual(decoded.input, { MaxItems: 2, PathPrefix: '/' });
  assert.equal(out.IsTruncated, true);
  assert.equal(out.Marker, 'next');
  assert.deepEqual(out.Users?.map((u) => u.UserName), ['a', 'b&<c>']);
});

test('IAM: an empty list output is an empty array, an operation without output has no Result', async () => {
  reply = () => ({ Users: [], IsTruncated: false });
  const out = await iam().send(new ListUsersCommand({}));
  assert.deepEqual(out.Users, []);
  reply = () => undefined;
  const del = await iam().send(new DeleteUserCommand({ UserName: 'bob' }));
  assert.equal(del.$metadata.httpStatusCode, 200);
  const body = encodeResponse('iam', 'DeleteUser', undefined, 'r1').body.toString();
  assert.equal(
    body,
    '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DeleteUserResponse>',
  );
});

test('IAM: policy documents with newlines and quotes survive the round trip', async () => {
  const doc = '{\n  "Version": "2012-10-17",\r\n  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]\n}';
  reply = () => ({});
  await iam().send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'p', PolicyDocument: doc }));
  assert.equal(decoded.input?.PolicyDocument, doc);
});

test('IAM: blobs are Buffers out, base64 on the wire', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  reply = () => ({ VirtualMFADevice: { SerialNumber: 'arn:aws:iam::000000000000:mfa/d', QRCodePNG: png, Base32StringSeed: Buffer.from('ABCDEF') } });
  const out = await iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'd' }));
  assert.deepEqual(Buffer.from(out.VirtualMFADevice!.QRCodePNG!), png);
  assert.equal(Buffer.from(out.VirtualMFADevice!.Base32StringSeed!).toString(), 'ABCDEF');
});

test('IAM: errors reach the SDK with their code, message, status and request id', async () => {
  reply = () => {
    throw new AwsError('NoSuchEntity', 'The user with name nobody cannot be found.', 404);
  };
  await assert.rejects(iam().send(new GetUserCommand({ UserName: 'nobody' })), (e: any) => {
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.Error?.Code ?? e.name, e.Error ? 'NoSuchEntity' : 'NoSuchEntityException');
    assert.equal(e.message, 'The user with name nobody cannot be found.');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.$metadata.requestId, 'req-err');
    return true;
  });
});

test('IAM: model validation failures are ValidationError with AWS wording', async () => {
  reply = () => ({});
  await assert.rejects(iam().send(new GetUserCommand({ UserName: 'a'.repeat(129) })), (e: any) => {
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.message, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128");
    return true;
  });
  // A user name's characters IAM checks itself, in its own words (app-sre/qontract-reconcile PR #2640).
  await assert.rejects(iam().send(new GetUserCommand({ UserName: 'a b' })), (e: any) => {
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
    return true;
  });
});

test('STS: AssumeRoleWithWebIdentity is unsigned and still routes to sts', async () => {
  const expiration = new Date('2030-01-01T00:00:00Z');
  reply = () => ({
    Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: expiration },
    SubjectFromWebIdentityToken: 'sub',
    AssumedRoleUser: { AssumedRoleId: 'AROA:s', Arn: 'arn:aws:sts::000000000000:assumed-role/r/s' },
  });
  const out = await sts().send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'sess', WebIdentityToken: 'eyJ.jwt', DurationSeconds: 900 }),
  );
  const last = server.requests.at(-1)!;
  assert.equal(last.headers.authorization, undefined);
  assert.equal(decoded.service, 'sts');
  assert.equal(decoded.input?.DurationSeconds, 900);
  assert.equal(out.Credentials?.Expiration?.getTime(), expiration.getTime());
  assert.equal(out.SubjectFromWebIdentityToken, 'sub');
});

test('STS: GetCallerIdentity and AssumeRole with policy ARNs and tags', async () => {
  reply = (op) =>
    op === 'GetCallerIdentity'
      ? { UserId: 'AIDA', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/bob' }
      : { Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() }, PackedPolicySize: 6 };
  const me = await sts().send(new GetCallerIdentityCommand({}));
  assert.equal(me.Account, '000000000000');
  assert.equal(decoded.operation, 'GetCallerIdentity');
  const out = await sts().send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      RoleSessionName: 'sess',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Tags: [{ Key: 'k', Value: 'v' }],
      TransitiveTagKeys: ['k'],
    }),
  );
  assert.equal(out.PackedPolicySize, 6);
  assert.deepEqual(decoded.input?.PolicyArns, [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
  assert.deepEqual(decoded.input?.TransitiveTagKeys, ['k']);
});

function form(body: string, query = ''): WireRequest {
  return {
    method: 'POST',
    path: '/',
    rawQuery: query,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
  };
}

function decodeError(service: 'iam' | 'sts', req: WireRequest): AwsError {
  try {
    decodeRequest(service, req);
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  assert.fail('expected an AwsError');
}

test('query: unknown and missing actions', () => {
  const unknown = decodeError('iam', form('Action=FrobnicateUser&Version=2010-05-08'));
  assert.equal(unknown.code, 'InvalidAction');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.message, 'Could not find operation FrobnicateUser for version 2010-05-08');
  assert.equal(decodeError('iam', form('Version=2010-05-08')).code, 'MissingAction');
});

test('query: several violations are counted and joined', () => {
  const e = decodeError('iam', form('Action=CreateUser&Version=2010-05-08&Path=nope&Tags.member.1.Key=a%20b&Tags.member.1.Value=%7B%7D'));
  assert.equal(e.code, 'ValidationError');
  assert.equal(
    e.message,
    // Model member order; IAM names no values; the path's characters IAM checks after the model's constraints.
    "2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; " +
      "Value at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
  );
  const path = decodeError('iam', form('Action=CreateUser&Version=2010-05-08&Path=nope&UserName=bob'));
  assert.equal(path.message, 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
});

test('query: length and range bounds, sensitive values are not echoed', () => {
  const e = decodeError('iam', form('Action=ListUsers&MaxItems=0&PathPrefix=%2F'));
  assert.equal(
    e.message,
    "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  const p = decodeError('iam', form('Action=CreateLoginProfile&UserName=bob&Password=%E2%82%AC'));
  assert.equal(
    p.message,
    "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
  );
  const name = decodeError('iam', form(`Action=GetUser&UserName=${'u'.repeat(129)}`));
  assert.match(name.message, /at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128$/);
});

test('query: enum violations list the allowed values', () => {
  const e = decodeError('iam', form('Action=UpdateAccessKey&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=Paused'));
  assert.equal(
    e.message,
    "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]",
  );
});

test('query: a non-integer for an integer member is a ValidationError', () => {
  const e = decodeError('iam', form('Action=ListUsers&MaxItems=ten'));
  assert.equal(e.code, 'ValidationError');
  assert.match(e.message, /Value 'ten' at 'maxItems'/);
});

test('query: parameters may come in the query string (presigned GET)', () => {
  const { operation, input } = decodeRequest('sts', { method: 'GET', path: '/', rawQuery: 'Action=GetSessionToken&DurationSeconds=3600&Version=2011-06-15', headers: {}, body: Buffer.alloc(0) });
  assert.equal(operation, 'GetSessionToken');
  assert.deepEqual(input, { DurationSeconds: 3600 });
});

test('query: empty list is sent as Name= and decodes to []', () => {
  const { input } = decodeRequest('sts', form('Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=sess&TransitiveTagKeys='));
  assert.deepEqual(input.TransitiveTagKeys, []);
});

test('query: error XML shape', () => {
  const res = encodeError('sts', new AwsError('AccessDenied', 'not <allowed>', 403), 'rid');
  assert.equal(res.status, 403);
  assert.equal(res.headers['x-amzn-RequestId'], 'rid');
  assert.equal(
    res.body,
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
      '<Message>not &lt;allowed&gt;</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
  );
  const internal = encodeError('iam', new AwsError('ServiceFailure', 'boom', 500), 'rid');
  assert.match(internal.body.toString(), /<Type>Receiver<\/Type>/);
});

test('query: timestamps are ISO 8601 to the second, as IAM sends them', () => {
  const res = encodeResponse('iam', 'GetUser', { User: { UserName: 'a', Path: '/', UserId: 'x', Arn: 'y', CreateDate: new Date('2024-01-01T00:00:00.789Z') } }, 'r');
  assert.match(res.body.toString(), /<CreateDate>2024-01-01T00:00:00Z<\/CreateDate>/);
  assert.match(res.body.toString(), /^<GetUserResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><GetUserResult><User>/);
});

test('query output: CR, LF and markup in text reach the SDK unchanged', async () => {
  const doc = '%7B%0D%0A%22Version%22%3A%20%222012-10-17%22%7D'; // IAM sends policies URL-encoded
  const description = 'line1\r\nline2 & <b>"x"</b>';
  reply = () => ({ Role: { RoleName: 'r', Path: '/', RoleId: 'AROA', Arn: 'arn:aws:iam::000000000000:role/r', CreateDate: new Date(0), Description: description, AssumeRolePolicyDocument: doc } });
  const { IAMClient: Client, GetRoleCommand } = await import('@aws-sdk/client-iam');
  const out = await new Client({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials }).send(new GetRoleCommand({ RoleName: 'r' }));
  assert.equal(out.Role?.Description, description);
  assert.equal(out.Role?.AssumeRolePolicyDocument, doc);
});

test('IAM names no value and words broken list items as a constraint on the list (LS test_iam_oidc snapshot)', () => {
  const e = decodeError('iam', form(`Action=AddClientIDToOpenIDConnectProvider&OpenIDConnectProviderArn=${'a'.repeat(20)}&ClientID=${'c'.repeat(256)}`));
  assert.equal(e.message, "1 validation error detected: Value at 'clientID' failed to satisfy constraint: Member must have length less than or equal to 255");
  const list = decodeError('iam', form(`Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2Fx&ThumbprintList.member.1=${'a'.repeat(41)}&ThumbprintList.member.2=${'b'.repeat(39)}`));
  assert.equal(
    list.message,
    "1 validation error detected: Value at 'thumbprintList' failed to satisfy constraint: " +
      'Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]',
  );
});

test('STS: pattern violations in Coral wording', () => {
  const e = decodeError('sts', form('Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=a%20b'));
  assert.equal(
    e.message,
    "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
  );
});

test('IAM GetAccountSummary: a map output (entry/key/value) reaches the SDK', async () => {
  reply = () => ({ SummaryMap: { Users: 3, Groups: 1, AccountMFAEnabled: 0 } });
  const { GetAccountSummaryCommand } = await import('@aws-sdk/client-iam');
  const out = await iam().send(new GetAccountSummaryCommand({}));
  assert.deepEqual(out.SummaryMap, { Users: 3, Groups: 1, AccountMFAEnabled: 0 });
  const xml = encodeResponse('iam', 'GetAccountSummary', { SummaryMap: { Users: 3 } }, 'r').body.toString();
  assert.match(xml, /<SummaryMap><entry><key>Users<\/key><value>3<\/value><\/entry><\/SummaryMap>/);
});

test('query: list items are taken in index order; bad percent-encoding is a client error', () => {
  const { input } = decodeRequest('iam', form('Action=UntagUser&UserName=bob&TagKeys.member.2=b&TagKeys.member.10=c&TagKeys.member.1=a'));
  assert.deepEqual(input.TagKeys, ['a', 'b', 'c']);
  const e = decodeError('iam', form('Action=GetUser&UserName=%E0%A4%A'));
  assert.equal(e.status, 400);
});

/**
 * IAM's MalformedPolicyDocument messages, each with documents IAM refuses with it and
 * where that was recorded in public. Only facts are taken from those sources: the
 * message texts and which document gets which one (the documents here are our own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MALFORMED_POLICY_MESSAGES as MSG, MalformedPolicyError, parsePolicy, type ParseOptions } from '../../src/policy/index.js';

/** moto's table of documents and the messages IAM answered them with. */
const MOTO = 'https://github.com/getmoto/moto/blob/master/tests/test_iam/test_iam_policies.py';
/** LocalStack's validator, whose texts its snapshot tests record against AWS. */
const LOCALSTACK = 'https://github.com/localstack/localstack/blob/main/localstack-core/localstack/services/iam/policy_validation.py';

const V = '2012-10-17';
const ok = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::reports' };
const doc = (statement: object | object[], version: string | null = V) => JSON.stringify(version === null ? { Statement: statement } : { Version: version, Statement: statement });
const withResource = (Resource: unknown) => doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource });
const managed: Partial<ParseOptions> = { requireCurrentVersion: true };

interface Row {
  message: string;
  /** Where the message (and the documents that get it) were recorded. */
  sources: string[];
  cases: [what: string, text: string, opts?: Partial<ParseOptions>][];
}

const TABLE: Row[] = [
  {
    message: MSG.syntax,
    sources: [MOTO],
    cases: [
      ['not JSON', 'a policy, surely'],
      ['unknown Version', doc(ok, '2013-10-17')],
      ['no Statement', JSON.stringify({ Version: V })],
      ['a statement that is a string', JSON.stringify({ Version: V, Statement: ['allow'] })],
      ['unknown top-level element', JSON.stringify({ Version: V, Statement: ok, Extra: 'x' })],
      ['unknown statement element', doc({ ...ok, Extra: 'x' })],
      ['Id not a string', JSON.stringify({ Version: V, Id: ['one'], Statement: ok })],
      ['Effect neither Allow nor Deny', doc({ ...ok, Effect: 'Maybe' })],
      ['empty Statement', doc([])],
      ['Resource an object', withResource({ a: 'arn:aws:s3:::reports' })],
      ['Resource array holding an object', withResource(['arn:aws:s3:::reports', {}])],
      ['Action and NotAction', doc({ ...ok, NotAction: 's3:GetObject' })],
      ['Resource and NotResource', doc({ ...ok, NotResource: '*' })],
      ['Action an array of arrays', doc({ ...ok, Action: [[]] })],
      ['Condition an array', doc({ ...ok, Condition: [] })],
      ['Condition operator mapped to a string', doc({ ...ok, Condition: { StringEquals: 'x' } })],
      ['unknown condition operator', doc({ ...ok, Condition: { Sometimes: { 'aws:username': 'a' } } })],
      ['malformed qualifier', doc({ ...ok, Condition: { 'ForAnyValue::StringEquals': { 'aws:TagKeys': 'a' } } })],
      ['no Effect', doc({ Action: 's3:ListBucket', Resource: '*' })],
    ],
  },
  {
    message: MSG.versionTooOld,
    sources: [MOTO],
    cases: [
      ['CreatePolicy without Version', doc(ok, null), managed],
      ['CreatePolicy with 2008-10-17', doc(ok, '2008-10-17'), managed],
      ['the version is checked before legacy parsing', doc({ ...ok, Effect: 'allow' }, null), managed],
    ],
  },
  {
    message: MSG.legacy,
    sources: [MOTO, 'https://github.com/ryanto/next-s3-upload/issues/58'],
    cases: [
      ['Effect in the wrong case', doc({ ...ok, Effect: 'aLLow' })],
      ['a date that is no date', doc({ ...ok, Condition: { DateGreaterThan: { 'aws:CurrentTime': 'tomorrow' } } })],
      ['legacy parsing comes before the missing Action', doc({ Effect: 'Allow', Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } })],
      ['a date before a partition error', doc({ ...ok, Resource: 'arn:aws-cn:s3:::reports', Condition: { DateGreaterThan: { 'aws:CurrentTime': 'later' } } })],
      ['Effect case before an S3 Region error', doc({ Effect: 'deny', Action: 's3:*', Resource: 'arn:aws:s3:us-east-1::reports' })],
      ['fewer than five colons with "::"', withResource('arn:aws:s3::reports')],
      ['the same in NotResource', doc({ Effect: 'Allow', Action: 's3:ListBucket', NotResource: 'arn:aws:s3::reports' })],
      ['… reported before the missing Action', doc({ Effect: 'Allow', Resource: 'arn:aws:s3::reports' })],
      ['an empty service field', doc({ Effect: 'Allow', NotAction: 's3:ListBucket', Resource: 'arn:aws::::reports' })],
      ['an empty service field, short', withResource('arn:aws::reports')],
      // next-s3-upload#58: arn:aws:sts::ACCOUNT_ID:federated-user/… refused; with the account field empty, stored.
      ['a placeholder in the account field', withResource('arn:aws:sts::ACCOUNT_ID:federated-user/uploader')],
      // A public deployment write-up records create-policy refusing arn:aws:iam::${aws:PrincipalAccount}:role/workshop-*
      // with this message (reference_policies_variables.md: no variables before the fifth colon).
      ['a policy variable in the account field', withResource('arn:aws:iam::${aws:PrincipalAccount}:user/alice')],
    ],
  },
  {
    message: MSG.duplicateSid,
    sources: [MOTO, 'https://github.com/Wolox/carthage_cache/issues/22'],
    cases: [
      ['two statements, one Sid (checked before the missing Action)', doc([{ Sid: 'Read', ...ok }, { Sid: 'Read', Effect: 'Allow' }])],
    ],
  },
  {
    message: MSG.noActions,
    sources: [MOTO],
    cases: [
      ['no Action', doc({ Effect: 'Allow', Resource: 'arn:aws:s3:::reports' })],
      ['neither Action nor Resource', doc({ Effect: 'Allow' })],
      ['an empty Action', doc({ ...ok, Action: [] })],
      ['in a later statement', doc([{ Effect: 'Deny' }, ok])],
    ],
  },
  {
    message: MSG.noResources,
    sources: [MOTO, LOCALSTACK],
    cases: [
      ['no Resource', doc({ Effect: 'Allow', Action: 's3:ListBucket' })],
      ['an empty Resource', withResource([])],
    ],
  },
  {
    message: MSG.actionNeedsVendor,
    sources: [MOTO],
    cases: [
      ['an action without a service', doc({ ...ok, Action: 'ListBucket' })],
      ['an empty NotAction', doc({ Effect: 'Allow', NotAction: '', Resource: 'arn:aws:s3:::reports' })],
      ['reported before the missing Resource', doc({ Effect: 'Allow', Action: 'ListBucket' })],
    ],
  },
  {
    message: MSG.actionOneColon,
    sources: [MOTO],
    cases: [
      ['two colons', doc({ ...ok, Action: 's3:List:Bucket' })],
      ['in a later statement', doc([{ ...ok, Action: 's4:ListBucket' }, { ...ok, Action: 's:4:ListBucket' }])],
    ],
  },
  {
    message: MSG.vendorInvalid('s 3'),
    sources: [MOTO],
    cases: [['a space in the service', doc({ ...ok, Action: 's 3:ListBucket' })]],
  },
  {
    message: MSG.resourceNotArn('my bucket'),
    sources: [MOTO, 'https://github.com/ministryofjustice/modernisation-platform-environments/pull/590'],
    cases: [
      ['a bucket name', withResource('my bucket')],
      ['in an array', withResource(['my bucket'])],
    ],
  },
  {
    message: MSG.resourceNotArn(''),
    sources: [MOTO, 'https://github.com/felipefrizzo/terraform-aws-transfer-server/issues/6'],
    cases: [['an empty Resource string', withResource('')]],
  },
  {
    message: 'Partition "reports" is not valid for resource "arn:reports:*:*:*:*".',
    sources: [MOTO],
    cases: [['one colon: the second field is the partition', doc({ Effect: 'Allow', NotAction: 's3:ListBucket', Resource: 'x:reports' })]],
  },
  {
    message: 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    sources: [MOTO],
    cases: [['many fields, kept as written', withResource('a:b:c:d:e:f:g:h')]],
  },
  {
    message: 'Partition "s3" is not valid for resource "arn:s3:::reports:*".',
    sources: [MOTO],
    cases: [['"arn:" left out', withResource('aws:s3:::reports')]],
  },
  {
    message: 'Partition "nope" is not valid for resource "arn:nope:s3:::reports".',
    sources: [MOTO],
    cases: [['the first refused value is reported', withResource(['arn:nope:s3:::reports', 'arn:nope:s3::reports'])]],
  },
  {
    message: 'Partition "${aws:PrincipalTag/partition}" is not valid for resource "arn:${aws:PrincipalTag/partition}:s3:::reports".',
    sources: ['https://github.com/cloudera-labs/cloudera.exe/issues/112'],
    cases: [['a variable as the partition is not substituted', withResource('arn:${aws:PrincipalTag/partition}:s3:::reports')]],
  },
  {
    message: MSG.resourceVendor,
    sources: [MOTO, 'reference_policies_elements_resource.md: "You can\'t use a wildcard in the service segment"'],
    cases: [
      ['nothing after the partition', withResource('arn:aws')],
      ['a wildcard service', withResource('arn:aws:*:*:111122223333:*reports*')],
    ],
  },
  {
    message: MSG.iamRegion('arn:aws:iam:us-east-1::user/alice'),
    sources: [MOTO, 'https://github.com/aws/aws-cdk/issues/13104'],
    cases: [['an IAM resource with a Region', withResource('arn:aws:iam:us-east-1::user/alice')]],
  },
  {
    message: MSG.s3Region('arn:aws:s3:us-west-2:111122223333:reports/q1'),
    sources: [MOTO, 'https://github.com/boto/boto3/issues/1154', 'https://github.com/aws/aws-cdk/issues/22445'],
    cases: [['an S3 object with a Region', withResource('arn:aws:s3:us-west-2:111122223333:reports/q1')]],
  },
  {
    message: MSG.s3Region('arn:aws:s3'),
    sources: [MOTO, LOCALSTACK],
    // IAM reads s3 and iam ARNs as global: the field after the service must be there and empty.
    cases: [['an S3 ARN that stops at the service', withResource('arn:aws:s3')]],
  },
  {
    message: 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
    // The text with "root," is what PutRolePolicy answers today (LocalStack records it; older copies lack "root,").
    sources: [LOCALSTACK, MOTO],
    cases: [
      ['an IAM ARN naming no entity type', withResource('arn:aws:iam:::reports')],
      ['a wildcard where the type goes', withResource('arn:aws:iam::111122223333:*/deploy-*')],
    ],
  },
  {
    message: MSG.noPrincipalAllowed,
    sources: ['https://github.com/hashicorp/terraform/issues/13449', 'https://github.com/hashicorp/terraform-provider-aws/issues/10419'],
    cases: [['a Principal in an identity policy', doc({ ...ok, Principal: { Service: 'ec2.amazonaws.com' } })]],
  },
  {
    message: MSG.sidNotAlphanumeric,
    sources: ['https://github.com/Wolox/carthage_cache/issues/22', 'https://github.com/aws-cloudformation/cfn-lint/issues/1376'],
    cases: [['a hyphen in a Sid', doc({ Sid: 'read-reports', ...ok })]],
  },
];

test('each of IAM\'s messages, for the documents IAM answers with it', () => {
  for (const row of TABLE) {
    assert.ok(row.sources.length > 0, row.message);
    for (const [what, text, opts] of row.cases) {
      let err: unknown;
      try {
        parsePolicy(text, { kind: 'identity', ...opts });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof MalformedPolicyError, `${what}: expected a refusal, got ${err === undefined ? 'acceptance' : String(err)}`);
      assert.equal(err.message, row.message, `${what} (${text})`);
    }
  }
});

test('documents IAM stores', () => {
  const accepted: [string, string][] = [
    ['an ARN with fewer fields and no "::"', withResource('arn:aws:reports')],
    ['an S3 bucket', withResource(['arn:aws:s3:::reports'])],
    ['a service IAM does not know', withResource('arn:aws:s33:::reports')],
    ['an IAM user ARN without an account', withResource('arn:aws:iam:::user/alice')],
    ['an IAM root and an AWS-owned policy', withResource(['arn:aws:iam::111122223333:root', 'arn:aws:iam::aws:policy/ReadOnlyAccess'])],
    ['a Region in a regional service', withResource('arn:aws:ec2:us-east-1::instance/*')],
    ['an S3 access point has a Region', withResource('arn:aws:s3:us-west-2:111122223333:accesspoint/reports/object/*')],
    ['wildcards in the Region and account', withResource('arn:aws:dynamodb:*:1111222233??:table/*')],
    ['a wildcard partition', withResource('arn:*:s3:::reports')],
    ['an empty Condition', doc({ ...ok, Condition: {} })],
    ['an unknown operator with nothing under it', doc({ ...ok, Condition: { Sometimes: {} } })],
    ['a variable in the resource part', withResource('arn:aws:s3:::reports/${aws:username}/*')],
  ];
  for (const [what, text] of accepted) assert.doesNotThrow(() => parsePolicy(text, { kind: 'identity', requireCurrentVersion: true }), what);
});

test('every policy type that takes resources reads them with the same grammar', () => {
  const kinds: [ParseOptions['kind'], object][] = [
    ['identity', {}], ['boundary', {}], ['session', {}], ['scp', {}],
    ['resource', { Principal: { AWS: '111122223333' } }], ['rcp', { Principal: '*' }],
  ];
  for (const [kind, extra] of kinds) {
    const refusal = (Resource: string): string => {
      try {
        parsePolicy(doc({ Effect: 'Deny', Action: 's3:*', Resource, ...extra }), { kind });
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    assert.equal(refusal('arn:aws:s3'), MSG.s3Region('arn:aws:s3'), kind);
    assert.equal(refusal('arn:aws:iam::${aws:PrincipalAccount}:role/x'), MSG.legacy, kind);
    assert.equal(refusal('arn:${aws:PrincipalTag/p}:s3:::b'), 'Partition "${aws:PrincipalTag/p}" is not valid for resource "arn:${aws:PrincipalTag/p}:s3:::b".', kind);
  }
});

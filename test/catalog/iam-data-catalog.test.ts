import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iamDataCatalog as catalog } from '../../src/catalog/iam-data-catalog.js';
import { actionsMatching as matching, actionSupportsConditionKey as supports, conditionKeyMatches } from '../../src/policy/catalog-queries.js';

const isKnownService = (p: string) => catalog.isKnownService(p);
const findAction = (s: string, n: string) => catalog.findAction(s, n);
const findConditionKey = (k: string) => catalog.findConditionKey(k);
const resourceTypesOfService = (s: string) => catalog.resourceTypesOfService(s);
const servicesForKeyPrefix = (p: string) => catalog.servicesForKeyPrefix(p);
const actionsMatching = (pattern: string) => matching(catalog, pattern);
const actionSupportsConditionKey = (a: Parameters<typeof supports>[1], key: string) => supports(catalog, a, key);

test('services and actions come from the Service Authorization Reference, case-insensitively', () => {
  assert.ok(isKnownService('s3'));
  assert.ok(isKnownService('IAM'));
  assert.ok(!isKnownService('s4'));
  assert.equal(findAction('s3', 'getobject')?.name, 'GetObject');
  assert.equal(findAction('IAM', 'PassRole')?.service, 'iam');
  assert.equal(findAction('s3', 'GetObjet'), undefined);
  assert.equal(findAction('nosuchservice', 'GetObject'), undefined);
});

test('action patterns expand within a service and across services', () => {
  const gets = actionsMatching('s3:Get*');
  assert.ok(gets.length > 20);
  assert.ok(gets.every((a) => a.service === 's3' && a.name.startsWith('Get')));
  assert.ok(gets.some((a) => a.name === 'GetObject'));
  assert.deepEqual(actionsMatching('s3:GetObjec?').map((a) => a.name), ['GetObject']);
  const tagging = actionsMatching('*:ListTagsForResource');
  assert.ok(new Set(tagging.map((a) => a.service)).size > 10);
  assert.deepEqual(actionsMatching('s4:*'), []);
});

test('condition keys: global, service, templated, identity-provider', () => {
  assert.deepEqual(findConditionKey('aws:SourceIp'), { key: 'aws:SourceIp', type: 'IPAddress', global: true });
  assert.equal(findConditionKey('AWS:SOURCEIP')?.key, 'aws:SourceIp');
  assert.equal(findConditionKey('aws:PrincipalTag/team')?.type, 'String');
  assert.equal(findConditionKey('aws:TagKeys')?.type, 'ArrayOfString');
  assert.equal(findConditionKey('aws:NoSuchKey'), undefined);
  assert.deepEqual(findConditionKey('s3:prefix'), { key: 's3:prefix', type: 'String', global: false });
  assert.equal(findConditionKey('s3:ExistingObjectTag/classification')?.key, 's3:ExistingObjectTag/<key>');
  assert.equal(findConditionKey('ec2:ResourceTag/Name')?.key, 'ec2:ResourceTag/${TagKey}');
  assert.equal(findConditionKey('iam:PassedToService')?.type, 'String');
  assert.equal(findConditionKey('s3:nope'), undefined);
  assert.equal(findConditionKey('saml:aud')?.type, 'String');
  assert.deepEqual(servicesForKeyPrefix('saml'), ['sts']);
  assert.deepEqual(servicesForKeyPrefix('s3'), ['s3']);
  assert.deepEqual(servicesForKeyPrefix('nosuchprefix'), []);
});

test('template matching needs text where the template has a variable', () => {
  assert.ok(conditionKeyMatches('aws:RequestTag/${TagKey}', 'aws:requesttag/env'));
  assert.ok(!conditionKeyMatches('aws:RequestTag/${TagKey}', 'aws:RequestTag/'));
  assert.ok(conditionKeyMatches('s3:ExistingObjectTag/<key>', 's3:ExistingObjectTag/a'));
  assert.ok(conditionKeyMatches('aws:PrincipalTag/tag-key', 'aws:PrincipalTag/team'));
  assert.ok(conditionKeyMatches('s3:prefix', 'S3:Prefix'));
  assert.ok(!conditionKeyMatches('s3:prefix', 's3:prefix2'));
});

test('which condition keys an action carries (its own and its resource types\')', () => {
  const listBucket = findAction('s3', 'ListBucket');
  const getObject = findAction('s3', 'GetObject');
  assert.ok(listBucket && getObject);
  assert.ok(actionSupportsConditionKey(listBucket, 's3:prefix'));
  assert.ok(!actionSupportsConditionKey(getObject, 's3:prefix'));
  assert.ok(actionSupportsConditionKey(getObject, 's3:ExistingObjectTag/team'));
  const passRole = findAction('iam', 'PassRole');
  assert.ok(passRole && actionSupportsConditionKey(passRole, 'iam:PassedToService'));
});

test('resource types carry their ARN formats', () => {
  const s3 = resourceTypesOfService('s3');
  assert.ok(s3.some((r) => r.key === 'bucket' && r.arn === 'arn:${Partition}:s3:::${BucketName}'));
  assert.ok(resourceTypesOfService('iam').some((r) => r.arn.includes(':iam::${Account}:role/')));
  assert.deepEqual(resourceTypesOfService('nosuchservice'), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type EvalRequest } from '../../src/policy/index.js';
import { pol, req, user } from './support.js';

/** Does a statement with this one condition apply to a request with this context? */
function holds(operator: string, key: string, values: unknown, context: EvalRequest['context'], version: string | null = '2012-10-17'): boolean {
  const p = pol([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { [operator]: { [key]: values } } }], 'identity', undefined, version);
  return evaluate(req('s3:GetObject', 'arn:aws:s3:::b/k', user('alice'), context), { identity: [p] }).decision === 'allowed';
}

type Row = [operator: string, policyValues: unknown, requestValue: string | string[] | undefined, expected: boolean];

function table(key: string, rows: Row[]): void {
  for (const [operator, values, value, expected] of rows) {
    const context = value === undefined ? {} : { [key]: value };
    assert.equal(holds(operator, key, values, context), expected, `${operator} ${JSON.stringify(values)} vs ${JSON.stringify(value)}`);
  }
}

test('string operators', () => {
  table('aws:PrincipalTag/team', [
    ['StringEquals', 'blue', 'blue', true],
    ['StringEquals', 'blue', 'Blue', false],
    ['StringEquals', ['red', 'blue'], 'blue', true],
    ['StringEquals', 'blu*', 'blue', false],
    ['StringNotEquals', 'blue', 'red', true],
    ['StringNotEquals', ['red', 'blue'], 'blue', false],
    ['StringNotEquals', ['red', 'blue'], 'green', true],
    ['StringEqualsIgnoreCase', 'BLUE', 'blue', true],
    ['StringEqualsIgnoreCase', 'BLUE', 'red', false],
    ['StringNotEqualsIgnoreCase', 'BLUE', 'blue', false],
    ['StringNotEqualsIgnoreCase', 'BLUE', 'red', true],
    ['StringLike', 'bl*', 'blue', true],
    ['StringLike', 'b?ue', 'blue', true],
    ['StringLike', 'b?ue', 'bue', false],
    ['StringLike', 'BL*', 'blue', false],
    ['StringLike', ['', 'home/'], '', true],
    ['StringNotLike', 'bl*', 'blue', false],
    ['StringNotLike', 'bl*', 'red', true],
  ]);
});

test('a missing key: positive operators fail, negated ones hold (reference_policies_elements_condition_operators.md)', () => {
  table('aws:PrincipalTag/team', [
    ['StringEquals', 'blue', undefined, false],
    ['StringLike', '*', undefined, false],
    ['StringNotEquals', 'blue', undefined, true],
    ['StringNotLike', 'bl*', undefined, true],
    ['NumericLessThan', '5', undefined, false],
    ['NumericNotEquals', '5', undefined, true],
    ['DateNotEquals', '2020-01-01', undefined, true],
    ['NotIpAddress', '10.0.0.0/8', undefined, true],
    ['ArnNotLike', 'arn:aws:iam::*:role/x', undefined, true],
    ['Bool', 'true', undefined, false],
    ['IpAddress', '10.0.0.0/8', undefined, false],
  ]);
});

test('...IfExists: a missing key holds, a present key is tested', () => {
  table('ec2:InstanceType', [
    ['StringLikeIfExists', ['t1.*', 't2.*'], undefined, true],
    ['StringLikeIfExists', ['t1.*', 't2.*'], 't2.micro', true],
    ['StringLikeIfExists', ['t1.*', 't2.*'], 'm5.large', false],
    ['StringNotEqualsIfExists', 'x', undefined, true],
    ['StringNotEqualsIfExists', 'x', 'x', false],
    ['NumericLessThanIfExists', '3', '2', true],
    ['NumericLessThanIfExists', '3', '4', false],
    ['BoolIfExists', 'true', undefined, true],
    ['BoolIfExists', 'true', 'false', false],
  ]);
});

test('numeric operators', () => {
  table('s3:max-keys', [
    ['NumericEquals', '10', '10', true],
    ['NumericEquals', '10', '10.0', true],
    ['NumericEquals', 10, '11', false],
    ['NumericNotEquals', '10', '11', true],
    ['NumericNotEquals', '10', '10', false],
    ['NumericLessThan', '10', '9', true],
    ['NumericLessThan', '10', '10', false],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericLessThanEquals', '10', '11', false],
    ['NumericGreaterThan', '10', '11', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThanEquals', '10', '10', true],
    ['NumericGreaterThanEquals', '-1.5', '-2', false],
    ['NumericEquals', '10', 'ten', false],
    ['NumericEquals', 'ten', '10', false],
  ]);
});

test('date operators accept ISO 8601 and epoch seconds', () => {
  table('aws:CurrentTime', [
    ['DateGreaterThan', '2020-01-01T00:00:00Z', '2020-06-01T12:00:00Z', true],
    ['DateGreaterThan', '2020-01-01T00:00:00Z', '2019-12-31T23:59:59Z', false],
    ['DateLessThan', '2020-01-01', '2019-12-31T23:59:59Z', true],
    ['DateLessThanEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', true],
    ['DateGreaterThanEquals', '2020-01-01T00:00:00Z', '2019-12-31T23:59:59Z', false],
    ['DateEquals', '2020-01-01T00:00:00Z', '2020-01-01T01:00:00+01:00', true],
    ['DateNotEquals', '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', true],
    ['DateEquals', '1577836800', '2020-01-01T00:00:00Z', true],
    ['DateLessThan', '2020-01-01T00:00:00Z', '1577836799', true],
    ['DateLessThan', '2020-01-01T00:00:00Z', 'not a date', false],
  ]);
});

test('Bool compares true/false, written quoted or not', () => {
  table('aws:SecureTransport', [
    ['Bool', 'true', 'true', true],
    ['Bool', true, 'true', true],
    ['Bool', 'false', 'true', false],
    ['Bool', false, 'false', true],
    ['Bool', 'true', 'TRUE', true],
    ['Bool', 'true', 'yes', false],
  ]);
});

test('BinaryEquals compares the bytes of base-64 values', () => {
  table('custom:Blob', [
    ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', true],
    ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==', false],
  ]);
});

test('IpAddress / NotIpAddress with IPv4 and IPv6 CIDRs', () => {
  table('aws:SourceIp', [
    ['IpAddress', '203.0.113.0/24', '203.0.113.7', true],
    ['IpAddress', '203.0.113.0/24', '203.0.114.7', false],
    ['IpAddress', '203.0.113.9', '203.0.113.9', true],
    ['IpAddress', '203.0.113.9', '203.0.113.8', false],
    ['IpAddress', '0.0.0.0/0', '8.8.8.8', true],
    ['IpAddress', ['203.0.113.0/24', '2001:DB8:1234:5678::/64'], '2001:db8:1234:5678:abcd::1', true],
    ['IpAddress', '2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', false],
    ['IpAddress', '2001:DB8:1234:5678::/64', '203.0.113.7', false],
    ['IpAddress', '203.0.113.0/24', '::ffff:203.0.113.7', true],
    ['IpAddress', '::1/128', '::1', true],
    ['NotIpAddress', '203.0.113.0/24', '198.51.100.1', true],
    ['NotIpAddress', '203.0.113.0/24', '203.0.113.1', false],
    ['IpAddress', '203.0.113.0/24', 'garbage', false],
  ]);
});

test('Arn operators match segment by segment (ArnEquals behaves like ArnLike)', () => {
  table('aws:SourceArn', [
    ['ArnEquals', 'arn:aws:sns:us-east-1:111122223333:topic', 'arn:aws:sns:us-east-1:111122223333:topic', true],
    ['ArnEquals', 'arn:aws:sns:*:111122223333:*', 'arn:aws:sns:us-east-1:111122223333:topic', true],
    ['ArnLike', 'arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', false],
    ['StringLike', 'arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', true],
    ['ArnNotEquals', 'arn:aws:sns:*:111122223333:*', 'arn:aws:sns:us-east-1:999999999999:topic', true],
    ['ArnNotLike', 'arn:aws:sns:*:111122223333:*', 'arn:aws:sns:us-east-1:111122223333:topic', false],
  ]);
});

test('Null checks presence: "true" means absent', () => {
  table('aws:TokenIssueTime', [
    ['Null', 'true', undefined, true],
    ['Null', 'true', '2020-01-01T00:00:00Z', false],
    ['Null', 'false', '2020-01-01T00:00:00Z', true],
    ['Null', false, undefined, false],
    ['Null', 'true', [], true],
  ]);
});

test('ForAnyValue / ForAllValues over multivalued keys (reference_policies_multi-value-conditions.md)', () => {
  table('dynamodb:Attributes', [
    ['ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], ['Message', 'Tags'], true],
    ['ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], ['Message', 'UserName'], false],
    ['ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], undefined, true],
    ['ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], [], true],
    ['ForAllValues:StringLike', ['Mess*'], ['Message'], true],
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['PostDateTime', 'Message'], true],
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['UserName'], false],
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], undefined, false],
    ['ForAnyValue:StringEquals', ['ID', 'PostDateTime'], [], false],
    ['ForAnyValue:StringEquals', 'ID', 'ID', true],
    // Negated set operators negate per request value.
    ['ForAnyValue:StringNotEquals', ['ID'], ['ID', 'Message'], true],
    ['ForAnyValue:StringNotEquals', ['ID'], ['ID'], false],
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], ['Message', 'Tags'], true],
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], ['Message', 'ID'], false],
    ['ForAllValues:StringNotEquals', ['ID'], undefined, true],
    ['ForAnyValue:StringNotEquals', ['ID'], undefined, false],
    ['ForAnyValue:StringEqualsIfExists', ['ID'], undefined, true],
  ]);
});

test('a plain operator over a multivalued request value matches if any value matches', () => {
  table('aws:TagKeys', [
    ['StringEquals', 'env', ['owner', 'env'], true],
    ['StringEquals', 'env', ['owner'], false],
    ['StringNotEquals', 'env', ['owner', 'env'], false],
    ['StringNotEquals', 'env', ['owner'], true],
  ]);
});

test('several keys and operators are ANDed; values of one key are ORed', () => {
  const p = pol([{
    Effect: 'Allow', Action: 's3:GetObject', Resource: '*',
    Condition: {
      StringEqualsIgnoreCase: { 'aws:PrincipalTag/department': ['finance', 'hr', 'legal'], 'aws:PrincipalTag/role': ['audit', 'security'] },
      StringEquals: { 'aws:PrincipalAccount': '111122223333' },
    },
  }]);
  const run = (context: EvalRequest['context']) => evaluate(req('s3:GetObject', 'arn:aws:s3:::b/k', user('a'), context), { identity: [p] }).decision;
  assert.equal(run({ 'aws:PrincipalTag/department': 'HR', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalAccount': '111122223333' }), 'allowed');
  assert.equal(run({ 'aws:PrincipalTag/department': 'HR', 'aws:PrincipalAccount': '111122223333' }), 'implicitDeny');
  assert.equal(run({ 'aws:PrincipalTag/department': 'sales', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalAccount': '111122223333' }), 'implicitDeny');
  assert.equal(run({ 'aws:PrincipalTag/department': 'HR', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalAccount': '999999999999' }), 'implicitDeny');
});

test('condition key names are case-insensitive on both sides', () => {
  assert.equal(holds('StringEquals', 'AWS:RequestedRegion', 'us-east-1', { 'aws:requestedregion': 'us-east-1' }), true);
  assert.equal(holds('StringEquals', 'aws:requestedregion', 'us-east-1', { 'AWS:REQUESTEDREGION': 'us-east-1' }), true);
  assert.equal(holds('StringEquals', 'aws:requestedregion', 'us-east-1', { 'aws:RequestedRegion': 'eu-west-1' }), false);
});

test('condition values are compared as written for keys that look like Object members', () => {
  assert.equal(holds('StringEquals', 'constructor', 'x', {}), false);
  assert.equal(holds('Null', 'toString', 'true', {}), true);
});

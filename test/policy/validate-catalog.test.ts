import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePolicy, type ActionCatalog, type ActionInfo } from '../../src/policy/index.js';
import { policy } from './validate-support.js';

/** A catalog that knows one made-up service: the validator must ask it, not a bundled list. */
function tinyCatalog(): ActionCatalog & { asked: string[] } {
  const doThing: ActionInfo = { service: 'demo', name: 'DoThing', accessLevel: 'Write', resourceTypes: [], conditionKeys: ['demo:Colour'] };
  const asked: string[] = [];
  return {
    asked,
    allServices: () => ['demo'],
    isKnownService: (p) => { asked.push(`service ${p}`); return p.toLowerCase() === 'demo'; },
    findAction: (s, n) => (s.toLowerCase() === 'demo' && n.toLowerCase() === 'dothing' ? doThing : undefined),
    actionsOfService: (s) => (s.toLowerCase() === 'demo' ? [doThing] : []),
    resourceTypesOfService: () => [],
    findConditionKey: (k) => (k.toLowerCase() === 'demo:colour' ? { key: 'demo:Colour', type: 'String', global: false } : undefined),
  };
}

test('validation asks the catalog it is given about services, actions and condition keys', () => {
  const catalog = tinyCatalog();
  const ok = validatePolicy(policy([{ Effect: 'Allow', Action: 'demo:DoThing', Resource: '*', Condition: { StringEquals: { 'demo:Colour': 'red' } } }]), { kind: 'identity', catalog });
  assert.deepEqual(ok.filter((f) => f.findingType === 'ERROR').map((f) => f.issueCode), []);
  assert.ok(catalog.asked.includes('service demo'));

  const codes = validatePolicy(policy([{ Effect: 'Allow', Action: ['s3:GetObject', 'demo:Undo'], Resource: '*', Condition: { StringEquals: { 'demo:Size': 'xl' } } }]), { kind: 'identity', catalog })
    .map((f) => f.issueCode);
  // s3 exists in AWS, but not in this catalog.
  assert.ok(codes.includes('INVALID_SERVICE_IN_ACTION'), codes.join());
  assert.ok(codes.includes('INVALID_ACTION'), codes.join());
  assert.ok(codes.includes('INVALID_SERVICE_CONDITION_KEY'), codes.join());
});

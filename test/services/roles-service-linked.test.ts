import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const PROTECTED = (name: string) => `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;

function attachedArns(roleId: string): string[] {
  return (store.db.prepare('SELECT policy_arn FROM role_policy_attachments WHERE role_id = ?').all(roleId) as Array<{ policy_arn: string }>).map((r) => r.policy_arn);
}

describe('CreateServiceLinkedRole', () => {
  test('Auto Scaling: AWS\'s name, path, trust policy, description and managed policy', () => {
    const { Role } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
    assert.equal(Role.RoleName, 'AWSServiceRoleForAutoScaling');
    assert.equal(Role.Path, '/aws-service-role/autoscaling.amazonaws.com/');
    assert.equal(Role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
    assert.match(Role.RoleId, /^AROA/);
    const trust = JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument));
    assert.deepEqual(trust.Statement, [{ Effect: 'Allow', Principal: { Service: 'autoscaling.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    assert.match(Role.Description, /Auto Scaling/);
    assert.deepEqual(attachedArns(Role.RoleId), ['arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy']);
  });

  test('Elastic Load Balancing and other listed services get their own names', () => {
    assert.equal(call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'elasticloadbalancing.amazonaws.com' }).Role.RoleName, 'AWSServiceRoleForElasticLoadBalancing');
    assert.equal(call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' }).Role.RoleName, 'AWSServiceRoleForECS');
    assert.equal(call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'es.amazonaws.com' }).Role.RoleName, 'AWSServiceRoleForAmazonElasticsearchService');
  });

  test('Application Auto Scaling\'s roles are named by the resource they scale', () => {
    // Recorded from AWS: terraform-provider-aws acceptance test TestAccIAMServiceLinkedRole_CustomSuffix_diffSuppressFunc
    // (internal/service/iam/service_linked_role_test.go) and a real account's role listing (aws-iam-facts.md, 2b).
    const names: Record<string, string> = {
      'custom-resource.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_CustomResource',
      'ecs.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_ECSService',
      'ec2.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest',
      'appstream.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_AppStreamFleet',
      'cassandra.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_CassandraTable',
      'comprehend.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_ComprehendEndpoint',
      'dynamodb.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable',
    };
    for (const [service, name] of Object.entries(names)) {
      const { Role } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: service });
      assert.equal(Role.RoleName, name);
      assert.equal(Role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${name}`);
    }
  });

  test('a service we do not list gets AWSServiceRoleFor + its name, and no policy', () => {
    const { Role } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'media-tailor.amazonaws.com', Description: 'mine' });
    assert.equal(Role.RoleName, 'AWSServiceRoleForMediaTailor');
    assert.equal(Role.Description, 'mine');
    assert.deepEqual(attachedArns(Role.RoleId), []);
  });

  test('a name that is not a service principal is InvalidInput', () => {
    throwsAws(() => call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling' }), 'InvalidInput', 400);
  });

  test('a second one for the same service is refused in IAM words', () => {
    call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
    throwsAws(
      () => call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' }),
      'InvalidInput',
      400,
      'Service role name AWSServiceRoleForAutoScaling has been taken in this account, please try a different suffix.',
    );
  });

  test('CustomSuffix makes another role where the service allows one', () => {
    call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
    const { Role } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'web' });
    assert.equal(Role.RoleName, 'AWSServiceRoleForAutoScaling_web');
    throwsAws(
      () => call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'elasticloadbalancing.amazonaws.com', CustomSuffix: 'x' }),
      'InvalidInput',
      400,
      'Custom suffix is not allowed for elasticloadbalancing.amazonaws.com',
    );
  });
});

describe('service-linked roles are the service\'s to change', () => {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  const NAME = 'AWSServiceRoleForAutoScaling';
  beforeEach(() => call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' }));

  test('DeleteRole, inline policies, the trust policy and the session duration are protected', () => {
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: NAME }), 'UnmodifiableEntity', 400, PROTECTED(NAME));
    throwsAws(() => call(root(), 'PutRolePolicy', { RoleName: NAME, PolicyName: 'p', PolicyDocument: doc }), 'UnmodifiableEntity', 400, PROTECTED(NAME));
    throwsAws(() => call(root(), 'DeleteRolePolicy', { RoleName: NAME, PolicyName: 'p' }), 'UnmodifiableEntity', 400, PROTECTED(NAME));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
    throwsAws(() => call(root(), 'UpdateAssumeRolePolicy', { RoleName: NAME, PolicyDocument: trust }), 'UnmodifiableEntity', 400, PROTECTED(NAME));
    throwsAws(() => call(root(), 'UpdateRole', { RoleName: NAME, MaxSessionDuration: 7200 }), 'UnmodifiableEntity', 400, PROTECTED(NAME));
    assert.equal(call(root(), 'GetRole', { RoleName: NAME }).Role.MaxSessionDuration, 3600);
  });

  test('its description is the customer\'s to edit', () => {
    assert.equal(call(root(), 'UpdateRoleDescription', { RoleName: NAME, Description: 'ours' }).Role.Description, 'ours');
  });
});

describe('DeleteServiceLinkedRole / GetServiceLinkedRoleDeletionStatus', () => {
  test('deletes the role with its policies and answers a task that succeeded', () => {
    const { Role } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
    const { DeletionTaskId } = call(root(), 'DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForAutoScaling' });
    assert.match(DeletionTaskId, /^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling\/[0-9a-f-]{36}$/);
    throwsAws(() => call(root(), 'GetRole', { RoleName: 'AWSServiceRoleForAutoScaling' }), 'NoSuchEntity', 404);
    assert.deepEqual(attachedArns(Role.RoleId), []);
    assert.deepEqual(call(root(), 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId }), { Status: 'SUCCEEDED' });
    // The service can make it again.
    call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
  });

  test('refuses ordinary roles and missing ones', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    call(root(), 'CreateRole', { RoleName: 'plain', AssumeRolePolicyDocument: trust });
    throwsAws(() => call(root(), 'DeleteServiceLinkedRole', { RoleName: 'plain' }), 'InvalidInput', 400);
    call(root(), 'GetRole', { RoleName: 'plain' });
    throwsAws(() => call(root(), 'DeleteServiceLinkedRole', { RoleName: 'ghost' }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
  });

  test('a task id IAM never issued: malformed is InvalidInput, unknown is NoSuchEntity', () => {
    throwsAws(() => call(root(), 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: 'task/nonsense' }), 'InvalidInput', 400);
    const unknown = 'task/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling/00000000-0000-0000-0000-000000000000';
    throwsAws(() => call(root(), 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId: unknown }), 'NoSuchEntity', 404);
  });
});

describe('authorization map for service-linked roles', () => {
  test('CreateServiceLinkedRole acts on the role it will make, with iam:AWSServiceName', () => {
    assert.deepEqual(iamService.operations.CreateServiceLinkedRole.authorize(root(), { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'x' }), {
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_x`,
      context: { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' },
    });
  });

  test('DeleteServiceLinkedRole and the deletion status act on the role', () => {
    call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
    const arn = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
    assert.deepEqual(iamService.operations.DeleteServiceLinkedRole.authorize(root(), { RoleName: 'AWSServiceRoleForECS' }), { action: 'iam:DeleteServiceLinkedRole', resource: arn });
    const { DeletionTaskId } = call(root(), 'DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForECS' });
    assert.deepEqual(iamService.operations.GetServiceLinkedRoleDeletionStatus.authorize(root(), { DeletionTaskId }), {
      action: 'iam:GetServiceLinkedRoleDeletionStatus',
      resource: arn,
    });
  });
});

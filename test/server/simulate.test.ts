import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  ListAccessKeysCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { fixture } from '../policy/support.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';
const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A user with an access key and IAM clients signing as it in the regions asked for. */
async function userClients(userName: string, regions: string[] = ['us-east-1']): Promise<IAMClient[]> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  return regions.map((region) => new IAMClient(clientConfig(server, creds, region)));
}

/** What enforcement said: 'allowed', or the AccessDenied message's decision kind. */
async function enforced(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'allowed';
  } catch (err: any) {
    assert.equal(err.name, 'AccessDenied', `${err.name}: ${err.message}`);
    return /explicit deny/.test(err.message) ? 'explicitDeny' : 'implicitDeny';
  }
}

async function simulated(userName: string, action: string, resource: string, context: ContextEntry[]): Promise<EvaluationResult> {
  const out = await iam.send(
    new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/${userName}`, ActionNames: [action], ResourceArns: [resource], ContextEntries: context }),
  );
  return out.EvaluationResults![0];
}

const region = (r: string): ContextEntry => ({ ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: [r], ContextKeyType: 'string' });
const username = (u: string): ContextEntry => ({ ContextKeyName: 'aws:username', ContextKeyValues: [u], ContextKeyType: 'string' });

describe('simulation agrees with enforcement', () => {
  test('seed 001 admin: CreateUser from any shell is an IAM request in us-east-1, and simulates so', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'admin' }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'admin_access', PolicyDocument: fixture('seed001-admin_access.json') }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admin', PolicyArn: Policy!.Arn }));
    const regions = ['us-east-1', 'ap-southeast-2', 'eu-west-1'];
    const clients = await userClients('admin_sim', regions);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admin', UserName: 'admin_sim' }));
    for (const [i, r] of regions.entries()) {
      const target = `made-in-${r}`;
      const real = await enforced(clients[i].send(new CreateUserCommand({ UserName: target })));
      // IAM is global: whatever the shell's region, the request carries us-east-1.
      const sim = await simulated('admin_sim', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/${target}`, [region('us-east-1')]);
      assert.equal(real, 'allowed', `region ${r}`);
      assert.equal(sim.EvalDecision, real, `region ${r}`);
      assert.equal(sim.MatchedStatements![0].SourcePolicyId, 'admin_access');
    }
    // The policy itself is region-bound: simulated in another region, it does not allow.
    const elsewhere = await simulated('admin_sim', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`, [region('eu-west-1')]);
    assert.equal(elsewhere.EvalDecision, 'implicitDeny');
  });

  test('seed 001 engineer: its own access keys only, simulated with aws:username', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'engineer' }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'engineer_access', PolicyDocument: fixture('seed001-engineer_access.json') }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'engineer', PolicyArn: Policy!.Arn }));
    const [engineer] = await userClients('engineer_sim');
    await iam.send(new CreateUserCommand({ UserName: 'someone_else' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'engineer', UserName: 'engineer_sim' }));
    const decisions: string[] = [];
    for (const target of ['engineer_sim', 'someone_else']) {
      const real = await enforced(engineer.send(new ListAccessKeysCommand({ UserName: target })));
      const sim = await simulated('engineer_sim', 'iam:ListAccessKeys', `arn:aws:iam::${ACCOUNT}:user/${target}`, [region('us-east-1'), username('engineer_sim')]);
      assert.equal(sim.EvalDecision, real, target);
      decisions.push(real);
    }
    assert.deepEqual(decisions, ['allowed', 'implicitDeny']);
  });

  test('an explicit deny and a boundary, then their removal, decide the same both ways', async () => {
    const [user] = await userClients('bounded_sim');
    await iam.send(new PutUserPolicyCommand({ UserName: 'bounded_sim', PolicyName: 'all', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bounded_sim', PolicyName: 'deny', PolicyDocument: fixture('seed003-role-deny-create-user.json') }));
    const compare = async (label: string) => {
      const target = `by-bounded-${label}`;
      const real = await enforced(user.send(new CreateUserCommand({ UserName: target })));
      const sim = await simulated('bounded_sim', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/${target}`, []);
      assert.equal(sim.EvalDecision, real, label);
      return sim;
    };
    const denied = await compare('deny');
    assert.equal(denied.EvalDecision, 'explicitDeny');
    assert.equal(denied.MatchedStatements![0].SourcePolicyId, 'user_bounded_sim_deny');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bounded_sim', PolicyName: 'deny' }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded_sim', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const bounded = await compare('boundary');
    assert.equal(bounded.EvalDecision, 'implicitDeny');
    assert.deepEqual(bounded.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  });
});

describe('simulation APIs over the wire', () => {
  test('SimulateCustomPolicy: results, positions and missing keys through the SDK', async () => {
    const policy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ['dynamodb:CreateBackup', 'dynamodb:GetItem'],
        ResourceArns: ['arn:aws:dynamodb:us-east-1:000000000000:table/t'],
        ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
      }),
    );
    assert.equal(out.IsTruncated, false);
    assert.equal(out.EvaluationResults!.length, 2);
    const [first] = out.EvaluationResults!;
    assert.equal(first.EvalDecision, 'allowed');
    assert.deepEqual(first.MatchedStatements, [
      { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } },
    ]);
    assert.equal(first.ResourceSpecificResults![0].EvalResourceDecision, 'allowed');
    const none = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['dynamodb:GetItem'] }));
    assert.deepEqual(none.EvaluationResults![0].MissingContextValues, ['aws:CurrentTime']);
    await assert.rejects(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{'], ActionNames: ['s3:GetObject'] })), (err: any) => {
      assert.equal(err.name, 'InvalidInputException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  test('GetContextKeysForCustomPolicy and ForPrincipalPolicy', async () => {
    const custom = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [fixture('seed001-admin_access.json')] }));
    assert.deepEqual(custom.ContextKeyNames, ['aws:RequestedRegion']);
    await iam.send(new CreateUserCommand({ UserName: 'keys_sim' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'keys_sim', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:username}/*' }]) }));
    const principal = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/keys_sim` }));
    assert.deepEqual(principal.ContextKeyNames, ['aws:username']);
  });

  test('SimulatePrincipalPolicy is authorized on the source entity; SimulateCustomPolicy on "*"', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sim_target' }));
    const [tester] = await userClients('sim_tester');
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'sim_tester',
        PolicyName: 'simulate',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/sim_target` },
          { Effect: 'Allow', Action: 'iam:SimulateCustomPolicy', Resource: '*' },
        ]),
      }),
    );
    const ok = await tester.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/sim_target`, ActionNames: ['s3:GetObject'] }));
    assert.equal(ok.EvaluationResults![0].EvalDecision, 'implicitDeny');
    await assert.rejects(
      tester.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/sim_tester`, ActionNames: ['s3:GetObject'] })),
      (err: any) => {
        assert.equal(err.name, 'AccessDenied');
        assert.match(err.message, new RegExp(`iam:SimulatePrincipalPolicy on resource: arn:aws:iam::${ACCOUNT}:user/sim_tester `));
        return true;
      },
    );
    const custom = await tester.send(new SimulateCustomPolicyCommand({ PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], ActionNames: ['s3:GetObject'] }));
    assert.equal(custom.EvaluationResults![0].EvalDecision, 'allowed');
  });
});

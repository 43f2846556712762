import {
  OrganizationsClient, CreateOrganizationCommand, CreateAccountCommand, DescribeCreateAccountStatusCommand, ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { iam, userWith, type Creds } from './s3-support.js';

export function orgs(server: TestServer, creds: Creds = server.root): OrganizationsClient {
  return new OrganizationsClient(clientConfig(server, creds));
}

/** An organization of the server's default account, and its root's ID. */
export async function newOrganization(server: TestServer): Promise<{ orgId: string; rootId: string }> {
  const { Organization } = await orgs(server).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const { Roots } = await orgs(server).send(new ListRootsCommand({}));
  return { orgId: Organization!.Id!, rootId: Roots![0].Id! };
}

/** CreateAccount, waited for as clients do (DescribeCreateAccountStatus), → the new account's ID. */
export async function createAccount(server: TestServer, name: string, email: string): Promise<string> {
  const { CreateAccountStatus } = await orgs(server).send(new CreateAccountCommand({ AccountName: name, Email: email }));
  const status = await orgs(server).send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
  if (status.CreateAccountStatus?.State !== 'SUCCEEDED') throw new Error(`CreateAccount: ${JSON.stringify(status.CreateAccountStatus)}`);
  return status.CreateAccountStatus.AccountId!;
}

/** A management-account administrator (an IAM user with AdministratorAccess): root may not assume roles. */
export async function managementAdmin(server: TestServer, name = 'org-admin'): Promise<Creds> {
  const creds = await userWith(server, name, undefined);
  await iam(server).send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  return creds;
}

/** A session of the member account's OrganizationAccountAccessRole, assumed by the management admin. */
export async function memberAdmin(server: TestServer, admin: Creds, accountId: string): Promise<Creds> {
  const sts = new STSClient(clientConfig(server, admin));
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'admin' }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  SSOAdminClient, CreateInstanceCommand, DescribeInstanceCommand, CreatePermissionSetCommand, AttachManagedPolicyToPermissionSetCommand, CreateAccountAssignmentCommand,
} from '@aws-sdk/client-sso-admin';
import { IdentitystoreClient, CreateUserCommand } from '@aws-sdk/client-identitystore';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { adminPost } from '../server/sts-support.js';
import { createAccount, newOrganization } from '../server/organizations-support.js';
import { launchChromium, newPage, problemsOf } from './browser.js';
import { startConsoleServer } from './support.js';

/** An Identity Center user signs in to the console in Chromium, picks account and permission set, and works as the role. */
describe('console: IAM Identity Center sign-in', () => {
  let browser: Browser;
  let server: TestServer;
  let page: Page;
  let member: string;

  before(async () => {
    browser = await launchChromium();
    server = await startConsoleServer();
    page = await newPage(browser);
    await newOrganization(server);
    member = await createAccount(server, 'workload', 'workload@example.com');
    const admin = new SSOAdminClient(clientConfig(server));
    const { InstanceArn } = await admin.send(new CreateInstanceCommand({}));
    const { IdentityStoreId } = await admin.send(new DescribeInstanceCommand({ InstanceArn }));
    const { UserId } = await new IdentitystoreClient(clientConfig(server)).send(new CreateUserCommand({ IdentityStoreId, UserName: 'alice', DisplayName: 'Alice', Name: { GivenName: 'Alice', FamilyName: 'Liddell' } }));
    const { PermissionSet } = await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: 'IamReader' }));
    await admin.send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn: PermissionSet!.PermissionSetArn!, ManagedPolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await admin.send(new CreateAccountAssignmentCommand({
      InstanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: PermissionSet!.PermissionSetArn!, PrincipalType: 'USER', PrincipalId: UserId!,
    }));
    const set = await adminPost(server, '/_iamlocal/sso/password', { userName: 'alice', password: 'through the looking glass' }, server.root);
    assert.equal(set.status, 200);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
    await browser?.close();
  });

  test('alice signs in, chooses workload / IamReader, and the console acts as AWSReservedSSO_IamReader_…/alice', async () => {
    await page.goto(`${server.url}/_iamlocal/console/`);
    await page.getByRole('button', { name: 'IAM Identity Center user' }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('through the looking glass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'AWS accounts' }).waitFor();
    await page.getByRole('button', { name: 'IamReader' }).click();
    await page.getByTestId('identity').filter({ hasText: 'IamReader @ ' }).waitFor();
    await page.getByRole('navigation', { name: 'IAM' }).getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByText(/AWSReservedSSO_IamReader_[0-9a-f]{16}/).first().waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

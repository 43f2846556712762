/**
 * The cost of Organizations in every decision: GetUser req/s by an IAM user of a member
 * account whose requests pass a three-level SCP chain (root → OU → nested OU → account,
 * each level with FullAWSAccess and a Deny of its own, every level evaluated), next to the
 * same call by the same kind of user in an account outside the organization, on the same
 * server, in alternating rounds, with a hello-world baseline (see lib/overhead.ts).
 *   node dist/bench/scp.js [--seconds 5] [--concurrency 32] [--rounds 6]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  OrganizationsClient, AcceptHandshakeCommand, AttachPolicyCommand, CreateOrganizationCommand, CreateOrganizationalUnitCommand, CreatePolicyCommand,
  EnablePolicyTypeCommand, InviteAccountToOrganizationCommand, ListRootsCommand, MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { drive, formatResult } from './lib/loadgen.js';
import { compareOverhead } from './lib/overhead.js';
import { presignQuery, type Creds } from './lib/sign.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 32);
const ROUNDS = arg('--rounds', 6);
const cli = new URL('../iamlocal.js', import.meta.url).pathname;
const root: Creds = { accessKeyId: 'AKIABENCHROOTKEY0000', secretAccessKey: 'benchRootSecret000000000000000000000000x' };

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // IAMLOCAL_BENCH_NODE_FLAGS (e.g. --cpu-prof) lets the server process be profiled under load.
  const nodeFlags = process.env.IAMLOCAL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none'], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
  });
  return { child, url };
}

/** POST /_iamlocal/accounts, signed by the default account's root → the new account's root keys. */
async function newAccount(url: string, accountId: string): Promise<Creds> {
  const u = new URL(url);
  const body = JSON.stringify({ accountId });
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: root, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/_iamlocal/accounts', headers: { host: u.host, 'content-type': 'application/json' }, body }));
  const res = await fetch(`${url}/_iamlocal/accounts`, { method: 'POST', headers: signed.headers, body });
  const made = (await res.json()) as { rootAccessKeyId: string; rootSecretAccessKey: string };
  return { accessKeyId: made.rootAccessKeyId, secretAccessKey: made.rootSecretAccessKey };
}

const config = (url: string, credentials: Creds) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });

/** A user allowed to read IAM, with its key: the same in every account measured. */
async function benchUser(url: string, accountRoot: Creds): Promise<Creds> {
  const iam = new IAMClient(config(url, accountRoot));
  await iam.send(new CreateUserCommand({ UserName: 'bench' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'bench', PolicyName: 'read',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }),
  }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bench' }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** A level's own SCP: denies something GetUser never is, so every statement is looked at and none decides. */
function levelDeny(level: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: `Deny${level}`, Effect: 'Deny', Action: ['iam:DeleteRole', 'iam:DeleteUser', 'organizations:LeaveOrganization'], Resource: '*' },
      { Sid: 'Regions', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } },
    ],
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-bench-scp-'));
  const { child, url } = await startServer(dataDir);
  try {
    const memberRoot = await newAccount(url, '111111111111');
    const standaloneRoot = await newAccount(url, '222222222222');
    const member = await benchUser(url, memberRoot);
    const standalone = await benchUser(url, standaloneRoot);
    const getUser = async (creds: Creds) => [await presignQuery(url, 'iam', { Action: 'GetUser' }, creds)];
    const standaloneReqs = await getUser(standalone);

    // For reference: no organization at all on the server (the fast path every decision takes then).
    await drive(url, standaloneReqs, { total: 3000, concurrency: CONCURRENCY, maxSeconds: 2 });
    console.log(formatResult('GetUser, no organization on the server', await drive(url, standaloneReqs, { total: 10_000_000, concurrency: CONCURRENCY, maxSeconds: SECONDS })));

    // The organization: 111111111111 invited, in an OU nested in an OU, an SCP of its own at
    // the root, both OUs and the account, each beside FullAWSAccess.
    const orgs = new OrganizationsClient(config(url, root));
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    const { Handshake } = await orgs.send(new InviteAccountToOrganizationCommand({ Target: { Id: '111111111111', Type: 'ACCOUNT' } }));
    await new OrganizationsClient(config(url, memberRoot)).send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! }));
    await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const ou = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit!.Id!;
    const nested = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: ou, Name: 'Production' }))).OrganizationalUnit!.Id!;
    await orgs.send(new MoveAccountCommand({ AccountId: '111111111111', SourceParentId: rootId, DestinationParentId: nested }));
    for (const [level, target] of [['Root', rootId], ['OU', ou], ['NestedOU', nested], ['Account', '111111111111']]) {
      const p = await orgs.send(new CreatePolicyCommand({ Name: `level-${level}`, Description: level, Type: 'SERVICE_CONTROL_POLICY', Content: levelDeny(level) }));
      await orgs.send(new AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id!, TargetId: target }));
    }

    await compareOverhead(
      { name: 'GetUser, account outside the organization', url, pid: child.pid!, requests: standaloneReqs },
      { name: 'GetUser, member: root → OU → OU → account SCPs', url, pid: child.pid!, requests: await getUser(member) },
      { rounds: ROUNDS, seconds: SECONDS, concurrency: CONCURRENCY, feature: 'Three-level SCP chain (root → OU → nested OU → account)', targetPercent: 10 },
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

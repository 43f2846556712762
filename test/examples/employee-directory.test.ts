/**
 * Seed 000 end to end: setup.ts creates the role, instance profile, bucket, table and
 * instance on a real server; the app runs under `iamlocal run-as` with the instance
 * role's credentials only, and is driven over HTTP like a browser would: add an employee
 * with a photo, list (the presigned photo link works), edit, delete. Then the role loses
 * AmazonS3FullAccess and the next upload shows S3's AccessDenied on the page.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DetachRolePolicyCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { setUp, startApp, type RunningApp, type Setup, type Target } from '../../examples/employee-directory/setup.js';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let target: Target;
let setup: Setup;
let app: RunningApp;

before(async () => {
  server = await startTestServer();
  target = { endpoint: server.url, region: 'us-east-1', credentials: server.root };
  setup = await setUp(target);
  app = await startApp(setup, target, { port: 0 });
});

after(async () => {
  await app?.stop();
  await server?.stop();
});

/** A small real PNG (solid colour), so the bytes read back can be compared. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function employeeForm(fields: { name: string; location: string; title: string; badges?: string[]; photo?: Buffer }): FormData {
  const form = new FormData();
  form.append('full_name', fields.name);
  form.append('location', fields.location);
  form.append('job_title', fields.title);
  for (const b of fields.badges ?? []) form.append('badges', b);
  form.append('photo', new Blob(fields.photo ? [fields.photo] : [], { type: 'image/png' }), fields.photo ? 'photo.png' : '');
  return form;
}

async function page(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(app.url + path, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function post(path: string, body?: FormData): Promise<{ status: number; body: string; location: string | null }> {
  const res = await fetch(app.url + path, { method: 'POST', body, redirect: 'manual' });
  return { status: res.status, body: await res.text(), location: res.headers.get('location') };
}

/** The employee rows of the list page: id, name, job title, location, badges, photo link. */
function rows(html: string) {
  return [...html.matchAll(/<tr data-id="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, id, row]) => ({
    id,
    name: unescape(/class="name"[^>]*>([^<]*)</.exec(row)?.[1] ?? ''),
    jobTitle: unescape(/class="job-title">([^<]*)</.exec(row)?.[1] ?? ''),
    location: unescape(/class="location">([^<]*)</.exec(row)?.[1] ?? ''),
    badges: [...row.matchAll(/data-badge="([^"]+)">([^<]*)</g)].map((m) => m[2]),
    photo: /<img class="photo"[^>]* src="([^"]+)"/.exec(row)?.[1]?.replace(/&#38;/g, '&'),
  }));
}

function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

const ROLE_SESSION = () => `arn:aws:sts::${setup.accountId}:assumed-role/${setup.roleName}/${setup.instanceId}`;

test('setup creates seed 000: the role for EC2 with S3 and DynamoDB full access, its profile on a running instance; a rerun reuses them', async () => {
  const iam = new IAMClient(clientConfig(server));
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: setup.roleName }));
  const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
  assert.deepEqual(trust.Statement[0].Principal, { Service: ['ec2.amazonaws.com'] });
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: setup.roleName }));
  assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName).sort(), ['AmazonDynamoDBFullAccess', 'AmazonS3FullAccess']);

  const ec2 = new EC2Client(clientConfig(server));
  const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [setup.instanceId] }))).Reservations?.[0]?.Instances?.[0];
  assert.equal(instance?.State?.Name, 'running');
  assert.equal(instance?.InstanceType, 't2.micro');
  assert.equal(instance?.IamInstanceProfile?.Arn, `arn:aws:iam::${setup.accountId}:instance-profile/${setup.instanceProfileName}`);
  assert.deepEqual(setup.appEnv, { PHOTOS_BUCKET: setup.bucket, AWS_DEFAULT_REGION: 'us-east-1', DYNAMO_MODE: 'on' });

  const again = await setUp(target);
  assert.equal(again.instanceId, setup.instanceId);
  assert.equal(again.bucket, setup.bucket);
});

test('the app runs as the instance: an empty directory, and the page names its instance', async () => {
  const home = await page('/');
  assert.equal(home.status, 200, home.body);
  assert.match(home.body, /The directory is empty/);
  assert.match(home.body, new RegExp(`instance <code>${setup.instanceId}</code>`));
  const csp = home.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src|unsafe/);
});

test('add an employee with a photo, see it listed with a working presigned photo link, edit, delete', async () => {
  const photo = png(12, 16, [200, 120, 40]);
  const added = await post('/employees', employeeForm({ name: 'Ana Silva', location: 'Lisbon', title: 'Engineer', badges: ['apple', 'coffee'], photo }));
  assert.equal(added.status, 303, added.body);
  assert.equal(added.location, '/?notice=added');

  const list = await page('/?notice=added');
  assert.match(list.body, /Employee added\./);
  const [ana, ...others] = rows(list.body);
  assert.equal(others.length, 0);
  assert.deepEqual({ name: ana.name, location: ana.location, jobTitle: ana.jobTitle, badges: ana.badges }, {
    name: 'Ana Silva',
    location: 'Lisbon',
    jobTitle: 'Engineer',
    badges: ['Mac User', 'Coffee Snob'],
  });
  // The link was signed by the app with the role session's key, and S3 serves it to anyone holding it.
  assert.ok(ana.photo?.startsWith(`${server.url}/${setup.bucket}/employee_pic/`), ana.photo);
  assert.match(ana.photo!, /X-Amz-Credential=ASIA/);
  assert.match(list.headers.get('content-security-policy') ?? '', new RegExp(`img-src ${server.url}`));
  const image = await fetch(ana.photo!);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await image.arrayBuffer()), photo);

  // The record is seed 000's item shape in the Employees table.
  const db = new DynamoDBClient(clientConfig(server));
  const { Item } = await db.send(new GetItemCommand({ TableName: 'Employees', Key: { id: { S: ana.id } } }));
  assert.equal(Item?.full_name?.S, 'Ana Silva');
  assert.deepEqual(Item?.badges?.L, [{ S: 'apple' }, { S: 'coffee' }]);
  const firstKey = Item!.object_key!.S!;
  assert.match(firstKey, /^employee_pic\/[0-9a-f]{16}\.png$/);
  // Both writes were the instance role's session, not the root user that ran the setup.
  const writes = server.events.filter((e) => (e.operation === 'PutObject' || e.operation === 'PutItem') && e.status === 200);
  assert.deepEqual(new Set(writes.map((e) => e.principal)), new Set([ROLE_SESSION()]));

  const form = await page(`/employees/${ana.id}/edit`);
  assert.equal(form.status, 200);
  assert.match(form.body, /name="location" value="Lisbon"/);
  assert.match(form.body, /value="coffee" checked/);
  const newPhoto = png(12, 16, [20, 90, 200]);
  const edited = await post(`/employees/${ana.id}/edit`, employeeForm({ name: 'Ana Silva', location: 'Porto', title: 'Staff Engineer', badges: ['trophy'], photo: newPhoto }));
  assert.equal(edited.status, 303, edited.body);
  const [anaEdited] = rows((await page('/')).body);
  assert.deepEqual({ location: anaEdited.location, jobTitle: anaEdited.jobTitle, badges: anaEdited.badges }, { location: 'Porto', jobTitle: 'Staff Engineer', badges: ['Employee of the Month'] });
  assert.deepEqual(Buffer.from(await (await fetch(anaEdited.photo!)).arrayBuffer()), newPhoto);
  // The replaced photo is gone from the bucket.
  const s3 = new S3Client({ ...clientConfig(server), forcePathStyle: true });
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: setup.bucket, Key: firstKey })), { name: 'NotFound' });

  const confirm = await page(`/employees/${ana.id}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.body, /Delete Ana Silva\?/);
  const deleted = await post(`/employees/${ana.id}/delete`);
  assert.equal(deleted.status, 303, deleted.body);
  const after = await page('/?notice=deleted');
  assert.equal(rows(after.body).length, 0);
  assert.match(after.body, /Employee deleted\./);
  const { Count } = await db.send(new ScanCommand({ TableName: 'Employees', Select: 'COUNT' }));
  assert.equal(Count, 0);
  const secondKey = new URL(anaEdited.photo!).pathname.slice(`/${setup.bucket}/`.length);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: setup.bucket, Key: secondKey })), { name: 'NotFound' });
});

test('in a browser (Chromium, the CSP enforced): the form adds an employee whose photo loads from S3, and deletes it', async () => {
  const photoFile = join(server.dataDir, 'browser-photo.png');
  writeFileSync(photoFile, png(30, 40, [10, 160, 90]));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const tab = await browser.newPage();
    const violations: string[] = [];
    tab.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await tab.goto(`${app.url}/`);
    await tab.click('text=Add');
    await tab.fill('input[name=full_name]', 'Duarte Lima');
    await tab.fill('input[name=location]', 'Braga');
    await tab.fill('input[name=job_title]', 'Analyst');
    await tab.check('input[value=gamepad]');
    await tab.setInputFiles('input[name=photo]', photoFile);
    await tab.click('button[type=submit]');
    await tab.waitForURL(`${app.url}/?notice=added`);
    assert.equal(await tab.textContent('.notice'), 'Employee added.');
    assert.equal(await tab.textContent('tr .name'), 'Duarte Lima');
    // The presigned image really loaded, under the page's CSP.
    const img = tab.locator('tr img.photo');
    type Img = { complete: boolean; naturalWidth: number; naturalHeight: number; addEventListener(e: string, f: () => void, o: object): void };
    await img.evaluate((el: Img) => (el.complete ? null : new Promise<void>((r) => el.addEventListener('load', () => r(), { once: true }))));
    assert.deepEqual(await img.evaluate((el: Img) => [el.naturalWidth, el.naturalHeight]), [30, 40]);
    await tab.click('tr >> text=Delete');
    await tab.click('button:has-text("Delete")');
    await tab.waitForURL(`${app.url}/?notice=deleted`);
    assert.match((await tab.textContent('main')) ?? '', /The directory is empty/);
    assert.deepEqual(violations, []);
  } finally {
    await browser.close();
  }
});

test('bad input gets a page, not a crash: missing fields, a non-image photo, an unknown employee, a cross-site form', async () => {
  const missing = await post('/employees', employeeForm({ name: 'Bo', location: '', title: '' }));
  assert.equal(missing.status, 400);
  assert.match(missing.body, /Missing<\/strong> Location, Job title/);
  assert.match(missing.body, /name="full_name" value="Bo"/);

  const notImage = new FormData();
  notImage.append('full_name', 'Bo');
  notImage.append('location', 'Oslo');
  notImage.append('job_title', 'Designer');
  notImage.append('photo', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), 'x.png');
  const refused = await post('/employees', notImage);
  assert.equal(refused.status, 400);
  assert.match(refused.body, /UnsupportedImage/);

  assert.equal((await page('/employees/no-such-id/edit')).status, 404);
  assert.equal((await post('/employees/no-such-id/delete')).status, 404);
  assert.equal((await page('/nowhere')).status, 404);
  for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site', origin: app.url }] as Record<string, string>[]) {
    const forged = await fetch(`${app.url}/employees`, { method: 'POST', headers, body: employeeForm({ name: 'X', location: 'Y', title: 'Z' }) });
    assert.equal(forged.status, 403, JSON.stringify(headers));
    await forged.text();
  }
  assert.equal(rows((await page('/')).body).length, 0);
});

test("after AmazonS3FullAccess is detached from the role, the next photo upload shows S3's AccessDenied and the app keeps serving", async () => {
  const iam = new IAMClient(clientConfig(server));
  await iam.send(new DetachRolePolicyCommand({ RoleName: setup.roleName, PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));

  const denied = await post('/employees', employeeForm({ name: 'Carla Mendes', location: 'Faro', title: 'Designer', photo: png(4, 4, [0, 0, 0]) }));
  assert.equal(denied.status, 403, denied.body);
  const alert = /<div class="problem" role="alert">([\s\S]*?)<\/div>/.exec(denied.body)?.[1] ?? '';
  assert.match(alert, /<strong>AccessDenied<\/strong> s3:PutObject: /);
  assert.ok(unescape(alert).includes(`${ROLE_SESSION()} is not authorized to perform: s3:PutObject`), alert);
  assert.match(unescape(alert), /because no identity-based policy allows the s3:PutObject action/);
  // The form comes back filled in; nothing was written.
  assert.match(denied.body, /name="full_name" value="Carla Mendes"/);
  const db = new DynamoDBClient(clientConfig(server));
  assert.equal((await db.send(new ScanCommand({ TableName: 'Employees', Select: 'COUNT' }))).Count, 0);

  // DynamoDB is still allowed: the app still lists, and adds employees without a photo.
  assert.equal(app.child.exitCode, null);
  const withoutPhoto = await post('/employees', employeeForm({ name: 'Carla Mendes', location: 'Faro', title: 'Designer' }));
  assert.equal(withoutPhoto.status, 303, withoutPhoto.body);
  const list = await page('/');
  assert.equal(list.status, 200);
  assert.deepEqual(rows(list.body).map((r) => r.name), ['Carla Mendes']);
});

test("after AmazonDynamoDBFullAccess is detached too, the list shows DynamoDB's AccessDeniedException instead of employees", async () => {
  const iam = new IAMClient(clientConfig(server));
  await iam.send(new DetachRolePolicyCommand({ RoleName: setup.roleName, PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' }));
  const list = await page('/');
  assert.equal(list.status, 403);
  const alert = unescape(/<div class="problem" role="alert">([\s\S]*?)<\/div>/.exec(list.body)?.[1] ?? '');
  assert.match(alert, /<strong>AccessDeniedException<\/strong> dynamodb:Scan: /);
  assert.ok(alert.includes(`${ROLE_SESSION()} is not authorized to perform: dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1:${setup.accountId}:table/Employees`), alert);
  assert.equal(rows(list.body).length, 0);
  assert.equal(app.child.exitCode, null);
});

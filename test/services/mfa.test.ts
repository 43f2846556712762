import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { timeStepAt, totpCodeAt, totpCodeForStep } from '../../src/auth/totp.js';
import { enableRootMfaDevice } from '../../src/services/iam/mfa/mfa-devices.js';
import { acceptMfaCode, checkMfaCode } from '../../src/services/iam/mfa/mfa-rows.js';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.dispose());

const NOW = Date.UTC(2026, 2, 1, 12, 0, 15);
const STEP = timeStepAt(NOW);

function createDevice(name = 'alice-phone', extra: Record<string, unknown> = {}) {
  const out = call(asRoot(t.store, NOW), 'CreateVirtualMFADevice', { VirtualMFADeviceName: name, ...extra });
  const seed = (out.VirtualMFADevice.Base32StringSeed as Buffer).toString('ascii');
  return { serial: out.VirtualMFADevice.SerialNumber as string, seed, out };
}

/** Two consecutive codes as an authenticator shows them: the previous step's and the current one's. */
function twoCodes(seed: string, now = NOW) {
  const step = timeStepAt(now);
  return { AuthenticationCode1: totpCodeForStep(seed, step - 1), AuthenticationCode2: totpCodeForStep(seed, step) };
}

function enabledFor(userName: string) {
  call(asRoot(t.store, NOW), 'CreateUser', { UserName: userName });
  const d = createDevice(`${userName}-phone`);
  call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: userName, SerialNumber: d.serial, ...twoCodes(d.seed) });
  return d;
}

describe('CreateVirtualMFADevice', () => {
  test('serial is the device ARN with its path; seed is 64 base32 characters; QR code is a PNG of the otpauth URI', () => {
    const { serial, seed, out } = createDevice('phone', { Path: '/team/', Tags: [{ Key: 'k', Value: 'v' }] });
    assert.equal(serial, `arn:aws:iam::${ACCOUNT}:mfa/team/phone`);
    assert.match(seed, /^[A-Z2-7]{64}$/);
    const png = out.VirtualMFADevice.QRCodePNG as Buffer;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(out.VirtualMFADevice.Tags, [{ Key: 'k', Value: 'v' }]);
  });

  test('the same path and name twice is EntityAlreadyExists', () => {
    createDevice('phone');
    throwsAws(() => createDevice('PHONE'), 'EntityAlreadyExists', 409, 'MFA device already exists.');
  });
});

describe('EnableMFADevice', () => {
  test('two consecutive codes assign the device to the user', () => {
    call(asRoot(t.store, NOW), 'CreateUser', { UserName: 'alice' });
    const d = createDevice();
    call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'alice', SerialNumber: d.serial, ...twoCodes(d.seed) });
    const listed = call(asRoot(t.store, NOW), 'ListMFADevices', { UserName: 'alice' });
    assert.deepEqual(listed.MFADevices, [{ UserName: 'alice', SerialNumber: d.serial, EnableDate: new Date(NOW) }]);
    assert.equal(listed.IsTruncated, false);
  });

  test('codes that are not consecutive, or wrong, are InvalidAuthenticationCode', () => {
    call(asRoot(t.store, NOW), 'CreateUser', { UserName: 'alice' });
    const d = createDevice();
    const same = totpCodeAt(d.seed, NOW);
    throwsAws(
      () => call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'alice', SerialNumber: d.serial, AuthenticationCode1: same, AuthenticationCode2: same }),
      'InvalidAuthenticationCode',
      403,
      'Authentication code for device is not valid.',
    );
    const wrong = (Number(same) + 1).toString().padStart(6, '0').slice(-6);
    throwsAws(
      () => call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'alice', SerialNumber: d.serial, AuthenticationCode1: wrong, AuthenticationCode2: wrong }),
      'InvalidAuthenticationCode',
      403,
    );
  });

  test('a device already in use cannot be enabled again; unknown users and devices are NoSuchEntity', () => {
    const d = enabledFor('alice');
    call(asRoot(t.store, NOW), 'CreateUser', { UserName: 'bob' });
    throwsAws(() => call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'bob', SerialNumber: d.serial, ...twoCodes(d.seed) }), 'EntityAlreadyExists', 409);
    throwsAws(() => call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'nobody', SerialNumber: d.serial, ...twoCodes(d.seed) }), 'NoSuchEntity', 404);
    const missing = `arn:aws:iam::${ACCOUNT}:mfa/none`;
    throwsAws(() => call(asRoot(t.store, NOW), 'EnableMFADevice', { UserName: 'bob', SerialNumber: missing, ...twoCodes(d.seed) }), 'NoSuchEntity', 404);
  });

  test('a device enabled for a user blocks DeleteUser until deactivated', () => {
    const d = enabledFor('alice');
    throwsAws(() => call(asRoot(t.store, NOW), 'DeleteUser', { UserName: 'alice' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete MFA device first.');
    call(asRoot(t.store, NOW), 'DeactivateMFADevice', { UserName: 'alice', SerialNumber: d.serial });
    call(asRoot(t.store, NOW), 'DeleteUser', { UserName: 'alice' });
  });
});

describe('codes at sign-in and STS: checkMfaCode', () => {
  test('a code of the current step (or one step either side) is accepted once', () => {
    const d = enabledFor('alice');
    const user = call(asRoot(t.store, NOW), 'GetUser', { UserName: 'alice' }).User;
    const owner = { accountId: ACCOUNT, userId: user.UserId };
    // Enabling consumed the current step: the next step's code is the next usable one.
    const later = NOW + 30_000;
    const code = totpCodeAt(d.seed, later);
    const first = checkMfaCode(t.store, owner, d.serial, code, later);
    assert.equal(first.ok, true);
    if (first.ok) t.store.tx(() => acceptMfaCode(t.store, first.device, first.step));
    assert.deepEqual(checkMfaCode(t.store, owner, d.serial, code, later), { ok: false, reason: 'replayed' });
    assert.deepEqual(checkMfaCode(t.store, owner, d.serial, totpCodeForStep(d.seed, STEP + 5), later), { ok: false, reason: 'mismatch' });
    assert.deepEqual(checkMfaCode(t.store, { accountId: ACCOUNT, userId: 'AIDAOTHER' }, d.serial, code, later), { ok: false, reason: 'noDevice' });
  });
});

describe('ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice', () => {
  test('resync accepts two fresh consecutive codes and measures drift', () => {
    const d = enabledFor('alice');
    const later = NOW + 10 * 60_000;
    // The device runs two steps fast.
    const step = timeStepAt(later) + 2;
    call(asRoot(t.store, later), 'ResyncMFADevice', {
      UserName: 'alice',
      SerialNumber: d.serial,
      AuthenticationCode1: totpCodeForStep(d.seed, step - 1),
      AuthenticationCode2: totpCodeForStep(d.seed, step),
    });
    const user = call(asRoot(t.store, NOW), 'GetUser', { UserName: 'alice' }).User;
    const next = checkMfaCode(t.store, { accountId: ACCOUNT, userId: user.UserId }, d.serial, totpCodeForStep(d.seed, step + 1), later + 30_000);
    assert.equal(next.ok, true);
    // The codes used to enable cannot resync again.
    throwsAws(() => call(asRoot(t.store, NOW), 'ResyncMFADevice', { UserName: 'alice', SerialNumber: d.serial, ...twoCodes(d.seed) }), 'InvalidAuthenticationCode', 403);
  });

  test('delete refuses an enabled device, then works once deactivated, and the device is gone', () => {
    const d = enabledFor('alice');
    throwsAws(() => call(asRoot(t.store, NOW), 'DeleteVirtualMFADevice', { SerialNumber: d.serial }), 'DeleteConflict', 409, 'MFA VirtualDevice in use. Must deactivate first.');
    call(asRoot(t.store, NOW), 'DeactivateMFADevice', { UserName: 'alice', SerialNumber: d.serial });
    assert.deepEqual(call(asRoot(t.store, NOW), 'ListMFADevices', { UserName: 'alice' }).MFADevices, []);
    call(asRoot(t.store, NOW), 'DeleteVirtualMFADevice', { SerialNumber: d.serial });
    throwsAws(() => call(asRoot(t.store, NOW), 'DeleteVirtualMFADevice', { SerialNumber: d.serial }), 'NoSuchEntity', 404);
  });

  test('deactivating a device of another user is NoSuchEntity', () => {
    const d = enabledFor('alice');
    call(asRoot(t.store, NOW), 'CreateUser', { UserName: 'bob' });
    throwsAws(() => call(asRoot(t.store, NOW), 'DeactivateMFADevice', { UserName: 'bob', SerialNumber: d.serial }), 'NoSuchEntity', 404);
  });
});

describe('listing', () => {
  test('ListVirtualMFADevices filters by AssignmentStatus (default Any) and shows the user of assigned ones', () => {
    const a = enabledFor('alice');
    const spare = createDevice('spare');
    const serials = (status?: string) =>
      call(asRoot(t.store, NOW), 'ListVirtualMFADevices', status ? { AssignmentStatus: status } : {}).VirtualMFADevices.map((d: { SerialNumber: string }) => d.SerialNumber);
    assert.deepEqual(serials(), [a.serial, spare.serial]);
    assert.deepEqual(serials('Any'), [a.serial, spare.serial]);
    assert.deepEqual(serials('Assigned'), [a.serial]);
    assert.deepEqual(serials('Unassigned'), [spare.serial]);
    const [assigned] = call(asRoot(t.store, NOW), 'ListVirtualMFADevices', { AssignmentStatus: 'Assigned' }).VirtualMFADevices;
    assert.equal(assigned.User.UserName, 'alice');
    assert.deepEqual(assigned.EnableDate, new Date(NOW));
    assert.equal('Base32StringSeed' in assigned, false);
  });

  test('ListVirtualMFADevices pages with Marker/MaxItems', () => {
    for (const n of ['a', 'b', 'c']) createDevice(n);
    const p1 = call(asRoot(t.store, NOW), 'ListVirtualMFADevices', { MaxItems: 2 });
    assert.equal(p1.VirtualMFADevices.length, 2);
    assert.equal(p1.IsTruncated, true);
    const p2 = call(asRoot(t.store, NOW), 'ListVirtualMFADevices', { MaxItems: 2, Marker: p1.Marker });
    assert.deepEqual(p2.VirtualMFADevices.map((d: { SerialNumber: string }) => d.SerialNumber), [`arn:aws:iam::${ACCOUNT}:mfa/c`]);
    assert.equal(p2.IsTruncated, false);
  });

  test('ListMFADevices without UserName lists the caller’s own; GetMFADevice shows one', () => {
    const d = enabledFor('alice');
    call(asRoot(t.store, NOW), 'CreateAccessKey', { UserName: 'alice' });
    const { principal } = userWithKey(t.store, 'bob');
    assert.deepEqual(call(contextFor(t.store, principal), 'ListMFADevices').MFADevices, []);
    const alice = call(asRoot(t.store, NOW), 'GetMFADevice', { UserName: 'alice', SerialNumber: d.serial });
    assert.deepEqual(alice, { UserName: 'alice', SerialNumber: d.serial, EnableDate: new Date(NOW) });
  });

  test('the root user can have a device too', () => {
    const d = createDevice('root-account-mfa-device');
    enableRootMfaDevice(t.store, ACCOUNT, { SerialNumber: d.serial, ...twoCodes(d.seed) }, NOW);
    const mine = call(asRoot(t.store, NOW), 'ListMFADevices').MFADevices;
    assert.deepEqual(mine, [{ UserName: ACCOUNT, SerialNumber: d.serial, EnableDate: new Date(NOW) }]);
    const [listed] = call(asRoot(t.store, NOW), 'ListVirtualMFADevices', { AssignmentStatus: 'Assigned' }).VirtualMFADevices;
    assert.equal(listed.User.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  });
});

describe('MFA device tags', () => {
  test('tag, list and untag', () => {
    const d = createDevice();
    call(asRoot(t.store, NOW), 'TagMFADevice', { SerialNumber: d.serial, Tags: [{ Key: 'owner', Value: 'alice' }] });
    assert.deepEqual(call(asRoot(t.store, NOW), 'ListMFADeviceTags', { SerialNumber: d.serial }).Tags, [{ Key: 'owner', Value: 'alice' }]);
    call(asRoot(t.store, NOW), 'UntagMFADevice', { SerialNumber: d.serial, TagKeys: ['OWNER'] });
    assert.deepEqual(call(asRoot(t.store, NOW), 'ListMFADeviceTags', { SerialNumber: d.serial }).Tags, []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ResyncMFADeviceCommand,
  DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand, ListMFADevicesCommand, ListVirtualMFADevicesCommand,
  TagMFADeviceCommand, ListMFADeviceTagsCommand, DeleteUserCommand,
} from '@aws-sdk/client-iam';
import type { TestServer } from '../helpers/server.js';
import { config, rejects, seedOf, startClockServer, TestClock } from './sts-support.js';

let server: TestServer;
const clock = new TestClock();
let iam: IAMClient;

before(async () => {
  server = await startClockServer();
  iam = new IAMClient(config(server, clock));
});
after(async () => server.stop());

describe('virtual MFA devices over HTTP', () => {
  test('create, enable, resync, list, tag, deactivate, delete', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'mia' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mia-phone', Path: '/phones/' }));
    const serial = VirtualMFADevice!.SerialNumber!;
    assert.equal(serial, 'arn:aws:iam::000000000000:mfa/phones/mia-phone');
    const seed = seedOf(VirtualMFADevice);
    assert.match(seed, /^[A-Z2-7]{64}$/);
    assert.equal(Buffer.from(VirtualMFADevice!.QRCodePNG!).subarray(1, 4).toString('latin1'), 'PNG');

    await rejects(
      iam.send(new EnableMFADeviceCommand({ UserName: 'mia', SerialNumber: serial, AuthenticationCode1: clock.code(seed), AuthenticationCode2: clock.code(seed) })),
      'InvalidAuthenticationCode',
      'Authentication code for device is not valid.',
      403,
    );
    await iam.send(new EnableMFADeviceCommand({ UserName: 'mia', SerialNumber: serial, AuthenticationCode1: clock.code(seed, -30_000), AuthenticationCode2: clock.code(seed) }));
    const listed = await iam.send(new ListMFADevicesCommand({ UserName: 'mia' }));
    assert.equal(listed.MFADevices?.length, 1);
    assert.equal(listed.MFADevices![0].SerialNumber, serial);
    assert.ok(listed.MFADevices![0].EnableDate instanceof Date);

    await iam.send(new ResyncMFADeviceCommand({ UserName: 'mia', SerialNumber: serial, AuthenticationCode1: clock.code(seed, 30_000), AuthenticationCode2: clock.code(seed, 60_000) }));

    const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    assert.equal(assigned.VirtualMFADevices?.[0].User?.UserName, 'mia');
    assert.equal(assigned.VirtualMFADevices?.[0].Base32StringSeed, undefined);
    const unassigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    assert.deepEqual(unassigned.VirtualMFADevices, []);

    await iam.send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: 'owner', Value: 'mia' }] }));
    assert.deepEqual((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags, [{ Key: 'owner', Value: 'mia' }]);

    await rejects(iam.send(new DeleteUserCommand({ UserName: 'mia' })), 'DeleteConflict', 'Cannot delete entity, must delete MFA device first.', 409);
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.', 409);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'mia', SerialNumber: serial }));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'NoSuchEntity', undefined, 404);
    await iam.send(new DeleteUserCommand({ UserName: 'mia' }));
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTagsCommand, DeleteTagsCommand, DescribeInstancesCommand, RunInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { TestServer } from '../helpers/server.js';
import { startEc2Server, sleep, TRANSITION_WAIT_MS } from './ec2-support.js';

// DescribeInstances keeps each instance's shape and XML between requests (and across
// writes that change nothing about it): these check that whatever does change shows.
let server: TestServer;
let client: EC2Client;
let image: string;
before(async () => {
  ({ server, client, image } = await startEc2Server());
});
after(() => server.stop());

const listAll = async () => {
  const out = new Map<string, { state: string; tags: Record<string, string> }>();
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
    for (const i of page.Reservations!.flatMap((r) => r.Instances!)) {
      out.set(i.InstanceId!, { state: i.State!.Name!, tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key!, t.Value!])) });
    }
    token = page.NextToken;
  } while (token);
  return out;
};

test('a listed instance shows its new tags, its new state by the clock and after Stop, and new instances appear, on the very next page', async () => {
  const run = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 30, MaxCount: 30 }));
  const ids = run.Instances!.map((i) => i.InstanceId!);
  const first = await listAll();
  assert.equal(first.size, 30);
  assert.ok([...first.values()].every((i) => i.state === 'pending'));
  assert.equal((await listAll()).get(ids[0])!.state, 'pending', 'the same page again, from what was kept');

  await client.send(new CreateTagsCommand({ Resources: [ids[3]], Tags: [{ Key: 'Name', Value: 'web' }] }));
  assert.deepEqual((await listAll()).get(ids[3])!.tags, { Name: 'web' });
  await client.send(new CreateTagsCommand({ Resources: [ids[3]], Tags: [{ Key: 'Name', Value: 'api' }] }));
  assert.deepEqual((await listAll()).get(ids[3])!.tags, { Name: 'api' });
  await client.send(new DeleteTagsCommand({ Resources: [ids[3]], Tags: [{ Key: 'Name' }] }));
  assert.deepEqual((await listAll()).get(ids[3])!.tags, {});

  await sleep(TRANSITION_WAIT_MS);
  const later = await listAll();
  assert.ok([...later.values()].every((i) => i.state === 'running'), 'pending → running with no write in between');
  await client.send(new StopInstancesCommand({ InstanceIds: [ids[7]] }));
  assert.equal((await listAll()).get(ids[7])!.state, 'stopping');
  const more = await client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  const after = await listAll();
  assert.equal(after.size, 31);
  assert.equal(after.get(more.Instances![0].InstanceId!)!.state, 'pending');
});

test('pages of MaxResults cover every instance once, in launch order, whatever the page size', async () => {
  const all = [...(await listAll()).keys()];
  for (const size of [5, 7, 30, 1000]) {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeInstancesCommand({ MaxResults: size, NextToken: token }));
      const got = page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
      assert.ok(got.length <= size);
      seen.push(...got);
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, all, `pages of ${size}`);
  }
});

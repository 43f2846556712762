import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREDENTIAL_REPORT_COLUMNS, credentialReportCsv, reportTimestamp, type UserCredentialFacts,
} from '../../src/services/iam/account/credential-report.js';

const t = (iso: string) => Date.parse(iso);
const ACCOUNT = '123456789012';
const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const root = {
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  createdAt: t('2017-06-10T02:35:07Z'),
  passwordLastUsedAt: t('2017-10-22T08:11:09.456Z'),
  mfaActive: true,
};

test('header lists the 22 columns in AWS order', () => {
  assert.equal(CREDENTIAL_REPORT_COLUMNS.join(','), HEADER);
  assert.equal(credentialReportCsv(root, []).split('\n')[0], HEADER);
});

test('reproduces the shape of a real AWS report', () => {
  // The expected text follows a published sample of a real AWS report (account id
  // replaced): same values, same N/A cells, same row order.
  const users: UserCredentialFacts[] = [
    {
      userName: 'final.user', arn: `arn:aws:iam::${ACCOUNT}:user/final.user`, createdAt: t('2017-06-10T02:42:36Z'), mfaActive: false,
      password: { changedAt: t('2017-06-10T16:19:07Z') }, passwordLastUsedAt: t('2017-06-10T16:19:22Z'),
      accessKeys: [{ active: true, createdAt: t('2017-06-10T02:42:36Z') }],
    },
    {
      userName: 'example.user', arn: `arn:aws:iam::${ACCOUNT}:user/example.user`, createdAt: t('2017-06-10T02:43:37Z'), mfaActive: false,
      password: { changedAt: t('2017-06-10T02:45:50Z') }, passwordLastUsedAt: t('2017-06-10T02:45:16Z'),
      accessKeys: [{ active: true, createdAt: t('2017-06-10T02:47:48Z') }],
    },
    {
      userName: 'fakeuser', arn: `arn:aws:iam::${ACCOUNT}:user/fakeuser`, createdAt: t('2017-07-01T02:18:08Z'), mfaActive: true,
      password: { changedAt: t('2017-10-22T08:12:28Z') }, passwordLastUsedAt: t('2017-07-01T02:21:06Z'),
      accessKeys: [{
        active: true, createdAt: t('2017-10-22T08:12:39Z'), lastUsedAt: t('2017-11-08T18:39:00Z'), lastUsedRegion: 'ap-southeast-1', lastUsedService: 'ec2',
      }],
    },
  ];
  const expected = [
    HEADER,
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2017-06-10T02:35:07+00:00,not_supported,2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `example.user,arn:aws:iam::${ACCOUNT}:user/example.user,2017-06-10T02:43:37+00:00,true,2017-06-10T02:45:16+00:00,2017-06-10T02:45:50+00:00,N/A,false,true,2017-06-10T02:47:48+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `fakeuser,arn:aws:iam::${ACCOUNT}:user/fakeuser,2017-07-01T02:18:08+00:00,true,2017-07-01T02:21:06+00:00,2017-10-22T08:12:28+00:00,N/A,true,true,2017-10-22T08:12:39+00:00,2017-11-08T18:39:00+00:00,ap-southeast-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `final.user,arn:aws:iam::${ACCOUNT}:user/final.user,2017-06-10T02:42:36+00:00,true,2017-06-10T16:19:22+00:00,2017-06-10T16:19:07+00:00,N/A,false,true,2017-06-10T02:42:36+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ].join('\n');
  assert.equal(credentialReportCsv(root, users), expected);
});

test('absent and never-used credentials: N/A, no_information, not_supported', () => {
  const csv = credentialReportCsv({ ...root, passwordLastUsedAt: undefined, mfaActive: false }, [
    { userName: 'nopass', arn: `arn:aws:iam::${ACCOUNT}:user/nopass`, createdAt: t('2024-01-01T00:00:00Z'), mfaActive: false },
    {
      userName: 'neverused', arn: `arn:aws:iam::${ACCOUNT}:user/neverused`, createdAt: t('2024-01-01T00:00:00Z'), mfaActive: false,
      password: { changedAt: t('2024-01-02T00:00:00Z'), nextRotationAt: t('2024-04-01T00:00:00Z') },
    },
    {
      // Login profile deleted after use: AWS keeps the last use.
      userName: 'formerpass', arn: `arn:aws:iam::${ACCOUNT}:user/formerpass`, createdAt: t('2024-01-01T00:00:00Z'), mfaActive: false,
      passwordLastUsedAt: t('2024-02-01T10:00:00Z'),
    },
  ]);
  const rows = Object.fromEntries(csv.split('\n').slice(1).map((line) => {
    const cells = line.split(',');
    return [cells[0], Object.fromEntries(CREDENTIAL_REPORT_COLUMNS.map((c, i) => [c, cells[i]]))];
  }));

  assert.equal(rows['<root_account>'].password_enabled, 'not_supported');
  assert.equal(rows['<root_account>'].password_last_used, 'no_information');
  assert.equal(rows['<root_account>'].password_last_changed, 'not_supported');
  assert.equal(rows['<root_account>'].password_next_rotation, 'not_supported');
  assert.equal(rows['<root_account>'].mfa_active, 'false');

  assert.deepEqual(
    [rows.nopass.password_enabled, rows.nopass.password_last_used, rows.nopass.password_last_changed, rows.nopass.password_next_rotation],
    ['false', 'N/A', 'N/A', 'N/A'],
  );
  assert.deepEqual(
    [rows.neverused.password_enabled, rows.neverused.password_last_used, rows.neverused.password_last_changed, rows.neverused.password_next_rotation],
    ['true', 'no_information', '2024-01-02T00:00:00+00:00', '2024-04-01T00:00:00+00:00'],
  );
  assert.deepEqual([rows.formerpass.password_enabled, rows.formerpass.password_last_used], ['false', '2024-02-01T10:00:00+00:00']);
  for (const name of ['nopass', 'neverused', 'formerpass']) {
    assert.equal(rows[name].access_key_1_active, 'false');
    assert.equal(rows[name].access_key_1_last_rotated, 'N/A');
    assert.equal(rows[name].cert_2_last_rotated, 'N/A');
  }
});

test('two access keys and certificates: oldest first, inactive keys keep their dates', () => {
  const csv = credentialReportCsv(root, [{
    userName: 'keys', arn: `arn:aws:iam::${ACCOUNT}:user/keys`, createdAt: t('2024-01-01T00:00:00Z'), mfaActive: false,
    accessKeys: [
      { active: true, createdAt: t('2024-03-01T00:00:00Z'), lastUsedAt: t('2024-03-02T00:00:00Z'), lastUsedService: 's3' },
      { active: false, createdAt: t('2024-02-01T00:00:00Z'), lastUsedAt: t('2024-02-05T00:00:00Z'), lastUsedRegion: 'eu-west-1', lastUsedService: 'dynamodb' },
    ],
    certificates: [{ active: true, uploadedAt: t('2024-01-05T00:00:00Z') }],
  }]);
  const cells = csv.split('\n')[2].split(',');
  const col = (name: string) => cells[CREDENTIAL_REPORT_COLUMNS.indexOf(name as (typeof CREDENTIAL_REPORT_COLUMNS)[number])];
  assert.equal(cells.length, 22);
  assert.equal(col('access_key_1_active'), 'false');
  assert.equal(col('access_key_1_last_rotated'), '2024-02-01T00:00:00+00:00');
  assert.equal(col('access_key_1_last_used_region'), 'eu-west-1');
  assert.equal(col('access_key_1_last_used_service'), 'dynamodb');
  assert.equal(col('access_key_2_active'), 'true');
  assert.equal(col('access_key_2_last_used_date'), '2024-03-02T00:00:00+00:00');
  assert.equal(col('access_key_2_last_used_region'), 'N/A', 'no region recorded');
  assert.equal(col('access_key_2_last_used_service'), 's3');
  assert.equal(col('cert_1_active'), 'true');
  assert.equal(col('cert_1_last_rotated'), '2024-01-05T00:00:00+00:00');
  assert.equal(col('cert_2_active'), 'false');
});

test('users sorted by name after root; fields with commas are quoted; no trailing newline', () => {
  const mk = (userName: string): UserCredentialFacts => ({
    userName, arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`, createdAt: t('2024-01-01T00:00:00Z'), mfaActive: false,
  });
  const csv = credentialReportCsv(root, [mk('zed'), mk('Bob'), mk('a,b'), mk('alice')]);
  assert.ok(!csv.endsWith('\n'));
  const names = csv.split('\n').slice(1).map((line) => (line.startsWith('"') ? line.slice(0, line.indexOf('"', 1) + 1) : line.split(',')[0]));
  assert.deepEqual(names, ['<root_account>', 'Bob', '"a,b"', 'alice', 'zed']);
  assert.ok(csv.includes(`"a,b","arn:aws:iam::${ACCOUNT}:user/a,b",`));
});

test('timestamps: seconds precision, +00:00', () => {
  assert.equal(reportTimestamp(Date.UTC(2024, 4, 1, 12, 34, 56, 789)), '2024-05-01T12:34:56+00:00');
});

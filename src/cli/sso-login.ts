import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const usage = `usage: iamlocal sso-login --user NAME [--password PASSWORD] [--identity-store-id d-…] [--endpoint-url URL] [--print-token] [--no-cache]

Signs an IAM Identity Center user in (the password set with POST /_iamlocal/sso/password)
and leaves the portal access token where the aws CLI and the SDKs look for the token of
\`aws sso login\`: ~/.aws/sso/cache/<sha1 of the start URL>.json. A profile naming that
start URL (sso_start_url, sso_region, sso_account_id, sso_role_name) then gets the
permission set's role credentials from the portal's GetRoleCredentials.
  --password           else $IAMLOCAL_SSO_PASSWORD
  --endpoint-url       else $AWS_ENDPOINT_URL, else http://127.0.0.1:4566
  --print-token        print the access token alone (for --access-token arguments)
  --no-cache           do not write the cache file
`;

interface SignedIn {
  accessToken: string;
  expiresAt: string;
  startUrl: string;
  region: string;
  identityStoreId: string;
}

export async function runSsoLoginCommand(args: string[]): Promise<number> {
  let endpoint = process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:4566';
  let user: string | undefined;
  let password = process.env.IAMLOCAL_SSO_PASSWORD;
  let identityStoreId: string | undefined;
  let printToken = false;
  let cache = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(usage);
      return 0;
    }
    if (a === '--user') user = args[++i];
    else if (a === '--password') password = args[++i];
    else if (a === '--identity-store-id') identityStoreId = args[++i];
    else if (a === '--endpoint-url') endpoint = args[++i] ?? '';
    else if (a === '--print-token') printToken = true;
    else if (a === '--no-cache') cache = false;
    else {
      process.stderr.write(`iamlocal sso-login: unknown argument ${a}\n${usage}`);
      return 2;
    }
  }
  if (!user || !password) {
    process.stderr.write(`iamlocal sso-login: --user and a password (--password or IAMLOCAL_SSO_PASSWORD) are required\n${usage}`);
    return 2;
  }
  const res = await fetch(new URL('/_iamlocal/sso/token', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: user, password, ...(identityStoreId ? { identityStoreId } : {}) }),
  });
  const body = (await res.json()) as SignedIn & { error?: string; message?: string };
  if (!res.ok) {
    process.stderr.write(`iamlocal sso-login: ${body.error ?? res.status}: ${body.message ?? ''}\n`);
    return 1;
  }
  let file: string | undefined;
  if (cache) {
    // botocore and the SDKs name the legacy token cache after the SHA-1 of the start URL.
    const dir = join(homedir(), '.aws', 'sso', 'cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = join(dir, `${createHash('sha1').update(body.startUrl).digest('hex')}.json`);
    writeFileSync(file, JSON.stringify({ startUrl: body.startUrl, region: body.region, accessToken: body.accessToken, expiresAt: body.expiresAt }), { mode: 0o600 });
  }
  if (printToken) {
    process.stdout.write(`${body.accessToken}\n`);
    return 0;
  }
  process.stdout.write(
    `Signed in as ${user} (identity store ${body.identityStoreId}) until ${body.expiresAt}.\n` +
      (file ? `Token cached in ${file}.\n` : '') +
      `A profile for ~/.aws/config:\n\n[profile ${user}]\nsso_start_url = ${body.startUrl}\nsso_region = ${body.region}\nsso_account_id = ACCOUNT_ID\nsso_role_name = PERMISSION_SET_NAME\n`,
  );
  return 0;
}

/**
 * Console benchmark: how long the Users page takes to show a list of N users (default
 * 1,000) in Chromium, from the click on "Users" to the table's first page and its count,
 * next to a baseline measured in the same run: the same users listed by the AWS SDK
 * (ListUsers, every page), which is the least any client of the API can take.
 *   node dist/bench/console.js [--users 1000] [--runs 5]
 */
import { CreateUserCommand, IAMClient, paginateListUsers } from '@aws-sdk/client-iam';
import { clientConfig } from '../test/helpers/server.js';
import { launchChromium, newPage, signIn } from '../test/console/browser.js';
import { ACCOUNT, ROOT_PASSWORD, startConsoleServer } from '../test/console/support.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const USERS = arg('--users', 1000);
const RUNS = arg('--runs', 5);

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startConsoleServer();
const browser = await launchChromium();
try {
  const iam = new IAMClient(clientConfig(server));
  for (let i = 0; i < USERS; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, USERS - i) }, (_, j) => iam.send(new CreateUserCommand({ UserName: `user-${String(i + j).padStart(5, '0')}` }))));
  }
  const sdk: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    let n = 0;
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) n += page.Users?.length ?? 0;
    if (n !== USERS) throw new Error(`listed ${n} users`);
    sdk.push(performance.now() - t0);
  }
  const page = await newPage(browser);
  await signIn(page, server.url, { account: ACCOUNT, password: ROOT_PASSWORD });
  await page.getByTestId('identity').waitFor();
  const ui: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${server.url}/_iamlocal/console/#/groups`);
    await page.getByRole('heading', { name: 'User groups' }).waitFor();
    const t0 = performance.now();
    await page.getByRole('navigation', { name: 'IAM' }).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'user-00000' }).waitFor();
    await page.getByText(`${USERS} matches`).waitFor();
    ui.push(performance.now() - t0);
  }
  // Sorting and filtering all of them, in the page.
  const t1 = performance.now();
  await page.getByRole('button', { name: /^User name/ }).click();
  await page.getByRole('link', { name: `user-${String(USERS - 1).padStart(5, '0')}` }).waitFor();
  const sortMs = performance.now() - t1;
  const t2 = performance.now();
  await page.getByLabel('Filter Users').fill('user-0099');
  await page.getByText(/^\d+ match(es)?$/).filter({ hasNotText: `${USERS} matches` }).waitFor();
  const filterMs = performance.now() - t2;
  console.log(`console bench: ${USERS} users, median of ${RUNS} runs`);
  console.log(`  baseline  SDK ListUsers, every page        ${median(sdk).toFixed(0)} ms`);
  console.log(`  console   click Users → first page shown   ${median(ui).toFixed(0)} ms`);
  console.log(`  console   sort by name (descending)        ${sortMs.toFixed(0)} ms`);
  console.log(`  console   filter "user-0099"               ${filterMs.toFixed(0)} ms`);
} finally {
  await browser.close();
  await server.stop();
}

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../../src/package.js';

/**
 * Debian's Chromium, driven by playwright-core (no browser is ever downloaded). `.ci/run`
 * installs it (apt-get install -y chromium); elsewhere: the same command, or
 * IAMLOCAL_CHROMIUM=/path/to/chromium.
 */
export const CHROMIUM = process.env.IAMLOCAL_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the console's browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (or set IAMLOCAL_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A page that fails the test on any script error or CSP violation it reports. */
export async function newPage(browser: Browser, width = 1280, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  // Nothing from the internet: every request the page makes goes to the server it came from.
  page.on('request', (r) => {
    const url = new URL(r.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1') problems.push(`request to another host: ${r.url()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  return page;
}

export function problemsOf(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function signIn(page: Page, url: string, who: { account: string; user?: string; password: string }): Promise<void> {
  await page.goto(`${url}/_iamlocal/console/`);
  await page.getByLabel(who.user ? 'IAM user' : 'Root user', { exact: true }).check();
  await page.getByLabel('Account ID (12 digits) or account alias').fill(who.account);
  if (who.user) await page.getByLabel('IAM user name').fill(who.user);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}


/** Follows a link of the console's IAM navigation. */
export async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'IAM' }).getByRole('link', { name: label, exact: true }).click();
}

/** Replaces the text of the first CodeMirror editor on the page as a paste would. */
export async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * A screenshot of a main page: into docs/screenshots/ when IAMLOCAL_SCREENSHOTS=1 (the
 * README shows them), else taken and thrown away (the page must still render).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.IAMLOCAL_SCREENSHOTS === '1' ? join(packageRoot(), 'docs', 'screenshots') : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: dir ? join(dir, `${name}.png`) : undefined, fullPage: false });
}

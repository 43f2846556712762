import * as OTPAuth from 'otpauth';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ServerConfig } from '../../src/server/config.js';
import type { Browser, Page } from 'playwright-core';
import { newPage } from './browser.js';

/** The root console password the console tests pin (IAMLOCAL_ROOT_PASSWORD's config field). */
export const ROOT_PASSWORD = 'Root-Console-Pass-1!';
export const ACCOUNT = '000000000000';
/** Root's console sign-in in the tests' account. */
export const ROOT = { account: ACCOUNT, password: ROOT_PASSWORD };

export function startConsoleServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  return startTestServer({ rootPassword: ROOT_PASSWORD, ...overrides });
}

/** A console server of its own and a fresh page (a browser context) for one describe block. */
export async function openConsole(browser: Browser): Promise<{ server: TestServer; page: Page }> {
  const server = await startConsoleServer();
  return { server, page: await newPage(browser) };
}

export async function closeConsole(server: TestServer | undefined, page: Page | undefined): Promise<void> {
  await page?.context().close();
  await server?.stop();
}

/** A TOTP code for a Base32 seed at a time, computed by otpauth (not by iamlocal's own TOTP code). */
export function totp(seed: string, atMs: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: atMs });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json?: Record<string, unknown>;
}

/** A browser's view of the console over plain HTTP: one cookie, the CSRF token from the session. */
export class ConsoleClient {
  cookie = '';
  csrf = '';
  setCookie = '';
  constructor(readonly server: TestServer) {}

  get base(): string {
    return `${this.server.url}/_iamlocal/console/`;
  }

  async send(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await fetch(this.base + path, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf ? { 'x-iamlocal-csrf': this.csrf } : {}), ...init.headers },
    });
    const text = await res.text();
    const set = res.headers.get('set-cookie');
    if (set) {
      this.setCookie = set;
      const value = set.split(';')[0];
      this.cookie = value.endsWith('=') ? '' : value;
    }
    let json: Record<string, unknown> | undefined;
    if (res.headers.get('content-type')?.startsWith('application/json')) json = JSON.parse(text) as Record<string, unknown>;
    if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    return { status: res.status, headers: res.headers, text, json };
  }

  signIn(account: string, userName: string | undefined, password: string): Promise<Answer> {
    return this.send('session', { method: 'POST', body: JSON.stringify({ account, userName, password }), headers: { 'content-type': 'application/json' } });
  }

  mfa(code: string): Promise<Answer> {
    return this.send('session/mfa', { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } });
  }

  /** An IAM query-protocol call through the console API. */
  iam(action: string, params: Record<string, string> = {}): Promise<Answer> {
    const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
    return this.send('api/iam/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

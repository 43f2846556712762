import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { defaultConfig, type ServerConfig } from '../../src/server/config.js';
import type { DecisionEvent } from '../../src/server/decision-log.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Decision events recorded so far (the log sink of the test server). */
  events: DecisionEvent[];
  /** Credentials for SDK clients. */
  root: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/** Starts a real server on a free loopback port with its own data directory. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'iamlocal-test-'));
  const events: DecisionEvent[] = [];
  const config: ServerConfig = { ...defaultConfig({}), port: 0, dataDir, logFormat: 'none', ...overrides };
  const server = await startServer(config, (e) => events.push(e));
  return Object.assign(server, {
    dataDir,
    events,
    root: { accessKeyId: server.rootAccessKeyId, secretAccessKey: server.rootSecretAccessKey },
    async stop() {
      await server.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Client options for any @aws-sdk/client-* pointed at the test server. */
export function clientConfig(server: TestServer, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = server.root, region = 'us-east-1') {
  return { endpoint: server.url, region, credentials, maxAttempts: 1 };
}

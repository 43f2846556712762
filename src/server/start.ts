import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAccount } from '../identity/accounts.js';
import { createApp, type App } from './app.js';
import type { ServerConfig } from './config.js';
import type { DecisionSink } from './decision-log.js';
import { createHttpServer } from './http.js';
import { lockDataDir } from './data-dir-lock.js';
import { startHousekeeping } from './housekeeping.js';
import { installConsole } from '../console/route.js';
import { ensureRootPassword } from '../console/root-password.js';
import { startTrailDelivery } from './trail-delivery.js';

export interface RunningServer {
  app: App;
  /** http://host:port */
  url: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  /** The root user's console password, when this start set it (first start, or pinned anew); else undefined. */
  rootPassword?: string;
  close(): Promise<void>;
}

/** Opens the store, makes sure the default account and its root key exist, and listens. */
export async function startServer(config: ServerConfig, log?: DecisionSink): Promise<RunningServer> {
  const unlock = lockDataDir(config.dataDir);
  let app: App | undefined;
  try {
    app = createApp(config, log);
    const { store } = app;
    // Object bytes a crash left half-written, or that no row names: gone before anyone can ask.
    store.sweepBlobs();
    const root = store.tx(() =>
      ensureAccount(store, config.accountId, { rootAccessKeyId: config.rootAccessKeyId, rootSecretAccessKey: config.rootSecretAccessKey }),
    );
    const rootPassword = ensureRootPassword(store, config.accountId, config.rootPassword);
    installConsole(app);
    // Printed once by `iamlocal start`; kept beside the root keys so it can be read again.
    if (rootPassword !== undefined) writeFileSync(join(config.dataDir, 'root-password.txt'), `${rootPassword}\n`, { mode: 0o600 });
    // AWS's access-key CSV layout, so the file works wherever AWS's download does.
    writeFileSync(join(config.dataDir, 'root-credentials.csv'), `Access key ID,Secret access key\n${root.rootAccessKeyId},${root.rootSecretAccessKey}\n`, { mode: 0o600 });

    const server = createHttpServer(app);
    const { port } = await server.listen(config.port, config.host);
    const stopHousekeeping = startHousekeeping(app);
    const stopTrailDelivery = startTrailDelivery(app);
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app,
      url: `http://${host}:${port}`,
      rootAccessKeyId: root.rootAccessKeyId,
      rootSecretAccessKey: root.rootSecretAccessKey,
      rootPassword,
      close: async () => {
        stopHousekeeping();
        stopTrailDelivery();
        await server.close();
        store.close();
        unlock();
      },
    };
  } catch (err) {
    app?.store.close();
    unlock();
    throw err;
  }
}

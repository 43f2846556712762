import { packageVersion } from '../package.js';
import type { ServiceName } from '../protocol/index.js';
import type { ServiceDefinition } from '../services/operation.js';
import { SERVICES } from '../services/index.js';
import { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';
import { decisionLog, type DecisionSink } from './decision-log.js';

/** Everything a request needs, built once at start. */
export interface App {
  config: ServerConfig;
  store: Store;
  services: Partial<Record<ServiceName, ServiceDefinition>>;
  log: DecisionSink;
  version: string;
}

export function createApp(config: ServerConfig, log: DecisionSink = decisionLog(config.logFormat)): App {
  return {
    config,
    store: new Store(config.dataDir),
    services: SERVICES,
    log,
    version: packageVersion(),
  };
}

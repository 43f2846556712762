/** Server settings: command-line flags over IAMLOCAL_* environment variables over defaults. */
export type AuthMode = 'enforce' | 'audit' | 'off';
export type LogFormat = 'text' | 'json' | 'none';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  accountId: string;
  auth: AuthMode;
  logFormat: LogFormat;
  /** Connections served at once; more are answered 503 and closed. */
  maxConnections: number;
  /** Milliseconds a request head may take to arrive, from its first byte (slow clients are cut). */
  headTimeoutMs: number;
  /** Pinned root credentials (CI): used instead of generated ones when both are set. */
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  /** Pinned root console password (IAMLOCAL_ROOT_PASSWORD); otherwise one is made at first start. */
  rootPassword?: string;
  /** CloudTrail: record every request as an event (on), or not at all (off). */
  cloudtrail: 'on' | 'off';
  /** CloudTrail event history kept: events older than this many days go… */
  cloudtrailRetentionDays: number;
  /** …and beyond this many events (all accounts together) the oldest go. */
  cloudtrailMaxEvents: number;
  /** A logging trail delivers a log file at least this often (seconds)… */
  cloudtrailDeliverySeconds: number;
  /** …or as soon as this many events wait for it. */
  cloudtrailDeliveryEvents: number;
}

const FLAGS: Record<string, keyof ServerConfig> = {
  '--host': 'host',
  '--port': 'port',
  '--data-dir': 'dataDir',
  '--account-id': 'accountId',
  '--auth': 'auth',
  '--log-format': 'logFormat',
  '--max-connections': 'maxConnections',
  '--head-timeout-ms': 'headTimeoutMs',
  '--cloudtrail': 'cloudtrail',
  '--cloudtrail-retention-days': 'cloudtrailRetentionDays',
  '--cloudtrail-max-events': 'cloudtrailMaxEvents',
  '--cloudtrail-delivery-seconds': 'cloudtrailDeliverySeconds',
  '--cloudtrail-delivery-events': 'cloudtrailDeliveryEvents',
};

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.IAMLOCAL_HOST ?? '127.0.0.1',
    port: Number(env.IAMLOCAL_PORT ?? 4566),
    dataDir: env.IAMLOCAL_DATA_DIR ?? './.iamlocal',
    accountId: env.IAMLOCAL_ACCOUNT_ID ?? '000000000000',
    auth: (env.IAMLOCAL_AUTH ?? 'enforce') as AuthMode,
    logFormat: (env.IAMLOCAL_LOG_FORMAT ?? 'text') as LogFormat,
    maxConnections: Number(env.IAMLOCAL_MAX_CONNECTIONS ?? 4096),
    headTimeoutMs: Number(env.IAMLOCAL_HEAD_TIMEOUT_MS ?? 10_000),
    rootAccessKeyId: env.IAMLOCAL_ROOT_ACCESS_KEY_ID || undefined,
    rootSecretAccessKey: env.IAMLOCAL_ROOT_SECRET_ACCESS_KEY || undefined,
    rootPassword: env.IAMLOCAL_ROOT_PASSWORD || undefined,
    cloudtrail: (env.IAMLOCAL_CLOUDTRAIL ?? 'on') as 'on' | 'off',
    cloudtrailRetentionDays: Number(env.IAMLOCAL_CLOUDTRAIL_RETENTION_DAYS ?? 90),
    cloudtrailMaxEvents: Number(env.IAMLOCAL_CLOUDTRAIL_MAX_EVENTS ?? 100_000),
    cloudtrailDeliverySeconds: Number(env.IAMLOCAL_CLOUDTRAIL_DELIVERY_SECONDS ?? 5),
    cloudtrailDeliveryEvents: Number(env.IAMLOCAL_CLOUDTRAIL_DELIVERY_EVENTS ?? 1000),
  };
}

/** Parses `--flag value` / `--flag=value` pairs over the defaults; throws on anything unknown. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config = defaultConfig(env);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option '${argv[i]}'`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`option '${flag}' needs a value`);
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  return checkConfig(config);
}

function checkConfig(config: ServerConfig): ServerConfig {
  config.port = Number(config.port);
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`invalid port '${config.port}'`);
  config.maxConnections = Number(config.maxConnections);
  if (!Number.isInteger(config.maxConnections) || config.maxConnections < 1) throw new Error(`invalid --max-connections '${config.maxConnections}'`);
  config.headTimeoutMs = Number(config.headTimeoutMs);
  if (!Number.isInteger(config.headTimeoutMs) || config.headTimeoutMs < 1) throw new Error(`invalid --head-timeout-ms '${config.headTimeoutMs}'`);
  if (!/^\d{12}$/.test(config.accountId)) throw new Error(`invalid account id '${config.accountId}': must be 12 digits`);
  if (!['enforce', 'audit', 'off'].includes(config.auth)) throw new Error(`invalid --auth '${config.auth}': enforce, audit or off`);
  if (!['text', 'json', 'none'].includes(config.logFormat)) throw new Error(`invalid --log-format '${config.logFormat}': text, json or none`);
  if (!['on', 'off'].includes(config.cloudtrail)) throw new Error(`invalid --cloudtrail '${config.cloudtrail}': on or off`);
  for (const key of ['cloudtrailRetentionDays', 'cloudtrailMaxEvents', 'cloudtrailDeliverySeconds', 'cloudtrailDeliveryEvents'] as const) {
    config[key] = Number(config[key]);
    if (!(config[key] > 0)) throw new Error(`invalid ${key} '${config[key]}': must be a positive number`);
  }
  if (Boolean(config.rootAccessKeyId) !== Boolean(config.rootSecretAccessKey)) {
    throw new Error('IAMLOCAL_ROOT_ACCESS_KEY_ID and IAMLOCAL_ROOT_SECRET_ACCESS_KEY must be set together');
  }
  return config;
}

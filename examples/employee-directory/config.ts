/**
 * The app's whole configuration: what seed 000's user data exports (PHOTOS_BUCKET,
 * AWS_DEFAULT_REGION, DYNAMO_MODE=on), plus where to listen. No credentials: the SDK's
 * default chain finds them (on an instance, in the instance metadata service).
 */
export interface AppConfig {
  photosBucket: string;
  region: string;
  /** The DynamoDB table of seed 000's app (its key is the string attribute `id`). */
  table: string;
  host: string;
  port: number;
}

export class ConfigError extends Error {}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const photosBucket = env.PHOTOS_BUCKET ?? '';
  if (!photosBucket) throw new ConfigError('PHOTOS_BUCKET is not set (the bucket that keeps the photos)');
  // boto3 reads AWS_DEFAULT_REGION, the SDK for JavaScript only AWS_REGION: the seed sets the former.
  const region = env.AWS_DEFAULT_REGION || env.AWS_REGION || '';
  if (!region) throw new ConfigError('AWS_DEFAULT_REGION is not set');
  // The original app falls back to MySQL without DYNAMO_MODE; this one keeps records in DynamoDB only.
  if (!env.DYNAMO_MODE) throw new ConfigError('DYNAMO_MODE is not set: this app keeps its records in DynamoDB only (DYNAMO_MODE=on)');
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT is not a port number: ${env.PORT}`);
  return { photosBucket, region, table: 'Employees', host: env.HOST || '127.0.0.1', port };
}

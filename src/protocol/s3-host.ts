/**
 * The bucket a virtual-hosted S3 request names in its Host header, if any:
 * `bucket.s3.localhost:4566`, `bucket.s3.us-east-1.amazonaws.com`, `my.bucket.localhost`.
 * Path-style hosts (`localhost:4566`, `127.0.0.1`, `s3.amazonaws.com`) name none.
 */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let name = host.toLowerCase();
  if (name.startsWith('[')) return undefined; // IPv6 literal
  const colon = name.lastIndexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return undefined;
  const labels = name.split('.');
  // The first label that is the S3 endpoint (s3, s3-website, s3-us-west-2, s3.dualstack…).
  let s3 = labels.indexOf('s3', 1);
  if (s3 === -1) s3 = labels.findIndex((l, i) => i > 0 && l.startsWith('s3-'));
  if (s3 > 0) return labels.slice(0, s3).join('.');
  if (labels[0] === 's3' || labels[0].startsWith('s3-')) return undefined;
  const local = labels.lastIndexOf('localhost');
  if (local > 0) return labels.slice(0, local).join('.');
  return undefined;
}

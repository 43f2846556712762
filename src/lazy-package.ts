import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on first use, synchronously, through its CommonJS entry. For
 * libraries only some operations need (XML bodies, MFA codes, QR images): every import
 * at startup is paid by every cold start.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

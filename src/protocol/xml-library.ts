import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';

/**
 * fast-xml-parser, loaded on first use and from its one-file CommonJS build: its ESM entry
 * is dozens of modules, about 100 ms of every cold start for a library only S3 bodies and
 * SAML metadata need.
 */
let library: typeof FastXmlParser | undefined;

export function xmlLibrary(): typeof FastXmlParser {
  return (library ??= createRequire(import.meta.url)('fast-xml-parser') as typeof FastXmlParser);
}

import type * as FastXmlParser from 'fast-xml-parser';
import { lazyPackage } from '../lazy-package.js';

/** fast-xml-parser on first use, from its one-file CommonJS build (its ESM entry is dozens of modules). */
export const xmlLibrary = lazyPackage<typeof FastXmlParser>('fast-xml-parser');

import type { XMLParser } from 'fast-xml-parser';
import { xmlLibrary } from '../../../protocol/xml-library.js';
import { invalidInput } from '../../../identity/errors.js';

/**
 * A SAML provider's metadata document must be XML holding an EntityDescriptor (alone or
 * inside EntitiesDescriptor); its validUntil, when present, is the provider's ValidUntil.
 */

let parser: XMLParser | undefined;

/** Checks the metadata and returns its validUntil (epoch ms) when it states one. */
export function readSamlMetadata(text: string): { validUntil: number | null } {
  const { XMLParser, XMLValidator } = xmlLibrary();
  if (XMLValidator.validate(text) !== true) throw invalidInput('Could not parse metadata');
  parser ??= new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
  const doc = parser.parse(text) as Record<string, any>;
  let entity = doc.EntityDescriptor;
  if (!entity && doc.EntitiesDescriptor) entity = doc.EntitiesDescriptor.EntityDescriptor;
  if (Array.isArray(entity)) entity = entity[0];
  if (!entity || typeof entity !== 'object') throw invalidInput('Could not parse metadata');
  const validUntil = entity['@validUntil'];
  if (typeof validUntil === 'string' && !Number.isNaN(Date.parse(validUntil))) return { validUntil: Date.parse(validUntil) };
  return { validUntil: null };
}

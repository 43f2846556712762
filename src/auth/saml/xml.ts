import type * as XmlDom from '@xmldom/xmldom';
import { lazyPackage } from '../../lazy-package.js';

/**
 * XML for SAML: a strict parse (no DTDs, so no entity tricks) and the few DOM walks
 * assertions and metadata need, by namespace and local name.
 */
export const xmldom = lazyPackage<typeof XmlDom>('@xmldom/xmldom');

export type XmlElement = XmlDom.Element;
export type XmlDocument = XmlDom.Document;

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The document, or undefined when it is not well-formed XML or declares a DTD. */
export function parseXml(text: string): XmlDocument | undefined {
  if (/<!DOCTYPE/i.test(text)) return undefined;
  try {
    const doc = new (xmldom().DOMParser)({
      onError: (level: string) => {
        if (level !== 'warning') throw new Error('not well-formed');
      },
    }).parseFromString(text, 'text/xml');
    return doc.documentElement ? doc : undefined;
  } catch {
    return undefined;
  }
}

export function isElement(node: unknown, ns: string, local: string): node is XmlElement {
  const n = node as XmlElement | null;
  return !!n && n.nodeType === 1 && n.namespaceURI === ns && n.localName === local;
}

/** Direct children with this namespace and local name, in document order. */
export function children(parent: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n, ns, local)) out.push(n);
  return out;
}

export function child(parent: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return parent ? children(parent, ns, local)[0] : undefined;
}

/** Descendants with this namespace and local name, in document order. */
export function descendants(parent: XmlElement, ns: string, local: string): XmlElement[] {
  return Array.from(parent.getElementsByTagNameNS(ns, local)) as XmlElement[];
}

export function text(el: XmlElement | undefined): string | undefined {
  return el ? (el.textContent ?? '').trim() : undefined;
}

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.hasAttribute(name) ? el.getAttribute(name) ?? undefined : undefined;
}

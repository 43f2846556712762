import { createHash } from 'node:crypto';

/**
 * The saml:* condition keys of a trust policy, from a verified assertion
 * (reference_policies_iam-condition-keys.md "Available keys for SAML-based AWS STS
 * federation", id_roles_providers_create_saml_assertions.md "Mapping SAML attributes").
 */

/** Attribute Name → key, as AWS maps them; list-typed keys take every value. */
const ATTRIBUTE_KEYS: Record<string, { key: string; list: boolean }> = {
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': { key: 'edupersonaffiliation', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.2': { key: 'edupersonnickname', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.3': { key: 'edupersonorgdn', list: false },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.4': { key: 'edupersonorgunitdn', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': { key: 'edupersonprimaryaffiliation', list: false },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': { key: 'edupersonprincipalname', list: false },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': { key: 'edupersonentitlement', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.8': { key: 'edupersonprimaryorgunitdn', list: false },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': { key: 'edupersonscopedaffiliation', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': { key: 'edupersontargetedid', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': { key: 'edupersonassurance', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.2': { key: 'eduorghomepageuri', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.3': { key: 'eduorgidentityauthnpolicyuri', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.4': { key: 'eduorglegalname', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.5': { key: 'eduorgsuperioruri', list: true },
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.6': { key: 'eduorgwhitepagesuri', list: true },
  'urn:oid:2.5.4.3': { key: 'cn', list: true },
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': { key: 'name', list: false },
  'http://schemas.xmlsoap.org/claims/CommonName': { key: 'commonName', list: false },
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': { key: 'givenName', list: false },
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': { key: 'surname', list: false },
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': { key: 'mail', list: false },
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid': { key: 'uid', list: false },
  '2.5.4.3': { key: 'commonName', list: false },
  '2.5.4.4': { key: 'surname', list: false },
  '2.4.5.42': { key: 'givenName', list: false },
  '2.5.4.45': { key: 'x500UniqueIdentifier', list: false },
  '0.9.2342.19200300100.1.1': { key: 'uid', list: false },
  '0.9.2342.19200300100.1.3': { key: 'mail', list: false },
  '0.9.2342.19200300.100.1.45': { key: 'organizationStatus', list: false },
};

/** Keys an attribute may also be named by directly (Name="mail"), list-typed as AWS documents them ("[]"). */
const KEY_NAMES: Record<string, boolean> = {
  commonname: true, cn: true, edupersonaffiliation: true, edupersonassurance: true, edupersonentitlement: true,
  edupersonnickname: true, edupersonorgdn: false, edupersonorgunitdn: true, edupersonprimaryaffiliation: false,
  edupersonprimaryorgunitdn: false, edupersonprincipalname: false, edupersonscopedaffiliation: true,
  edupersontargetedid: true, eduorghomepageuri: true, eduorgidentityauthnpolicyuri: true, eduorglegalname: true,
  eduorgsuperioruri: true, eduorgwhitepagesuri: true, givenname: true, mail: true, name: true,
  organizationstatus: true, primarygroupsid: true, surname: true, uid: true, x500uniqueidentifier: true,
};

/** saml:<key> for each attribute AWS maps; "only one claim per key": the first one wins. */
export function attributeKeys(attributes: ReadonlyMap<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of attributes) {
    const mapped = ATTRIBUTE_KEYS[name] ?? (name.toLowerCase() in KEY_NAMES ? { key: name, list: KEY_NAMES[name.toLowerCase()] } : undefined);
    if (!mapped || values.length === 0) continue;
    const key = `saml:${mapped.key}`;
    if (Object.keys(out).some((k) => k.toLowerCase() === key.toLowerCase())) continue;
    out[key] = mapped.list ? values : values[0];
  }
  return out;
}

/** saml:sub_type: "persistent" and "transient" for those formats, else the Format URI itself. */
export function subjectType(format: string | undefined): string {
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent') return 'persistent';
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient') return 'transient';
  return format ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
}

/** saml:namequalifier: Base64(SHA1(issuer + account id + "/" + provider name)). */
export function nameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${accountId}/${providerName}`, 'utf8').digest('base64');
}

import { AwsError } from '../../protocol/errors.js';

/**
 * The errors of AssumeRoleWithWebIdentity and AssumeRoleWithSAML. Texts in quotes below
 * are AWS's own, as real responses show them (/work/notes/aws-iam-facts.md item 3, the
 * IAM User Guide's SAML troubleshooting page); the rest are iamlocal's wording for cases
 * whose AWS text is not on record.
 */
export function invalidIdentityToken(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message, 400);
}

export function expiredToken(message: string): AwsError {
  return new AwsError('ExpiredTokenException', message, 400);
}

export const WEB_IDENTITY = {
  notAJwt: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
  noProvider: (iss: string) => `No OpenIDConnect provider found in your account for ${iss}`,
  // sic: two spaces after the comma.
  noKey: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  audience: 'Incorrect token audience',
  expired: (now: number, exp: number) => `Token expired: current date/time ${now} must be before the expiration date/time ${exp}`,
  denied: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
} as const;

/** The AWSOpenIdDiscoveryService errors STS passes on whole, with their own request id. */
function discovery(text: string, code: string, requestId: string): string {
  return `${text} (Service: AWSOpenIdDiscoveryService; Status Code: 400; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;
}

export const SAML = {
  notBase64: (requestId: string) => discovery('Invalid base64 SAMLResponse', 'AuthSamlInvalidSamlResponseException', requestId),
  noProvider: (requestId: string) => discovery("Specified provider doesn't exist", 'AuthSamlManifestNotFoundException', requestId),
  issuer: (requestId: string) => discovery('Issuer not present in specified provider', 'AuthSamlInvalidSamlResponseException', requestId),
  signature: 'Response signature invalid',
  // sic: "Confirmaton".
  confirmation: 'Responses must contain SubjectConfirmatonData with a Recipient and NotOnOrAfter',
  role: "SAML Assertion doesn't contain the requested Role and Metadata in the attributes",
  noSessionName: 'RoleSessionName is required in AuthnResponse',
  badSessionName: 'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}',
  expired: 'Token must be redeemed within 5 minutes of issuance',
  denied: 'Not authorized to perform sts:AssumeRoleWithSAML',
} as const;

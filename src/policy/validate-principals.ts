/**
 * Checks on Principal and NotPrincipal values in resource-based and trust policies:
 * the form of each principal, wildcards where they are not allowed, federated principals
 * and the STS action each needs, and grants to services or identity providers that are not
 * narrowed by a condition.
 */
import type { JsonString } from './ast.js';
import type { LoosePolicy, LoosePrincipal, LooseStatement } from './validate-document.js';
import { Findings, keyAt, valueAt } from './validate-findings.js';
import { hasWildcard } from './validate-match.js';

const ACCOUNT = /^\d{12}$/;
const AWS_ARN = /^arn:aws[a-z-]*:(iam::(\d{12}|\*):(root|user\/.+|role\/.+)|sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com(\.cn)?|aws\.internal)$/;
const SAML_PROVIDER = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;
const OIDC_PROVIDER = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;
/** Identity providers a trust policy may name by domain, for web identity federation. */
const PROVIDER_DOMAIN = /^([a-z0-9-]+\.)+[a-z]{2,}(\/[^\s]*)?$/i;
const GITHUB = 'token.actions.githubusercontent.com';
const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export function checkPrincipals(policy: LoosePolicy, f: Findings): void {
  for (const s of policy.statements) {
    for (const p of [s.principal, s.notPrincipal]) if (p) checkBlock(p, policy, f);
    if (policy.kind === 'trust' && s.principal) {
      checkFederatedActions(s, s.principal, f);
      if (s.effect === 'Allow') checkIdentityProviderConditions(s, s.principal, f);
    }
    if (policy.kind === 'resource' && s.effect === 'Allow' && s.principal) checkServiceSource(s, s.principal, f);
  }
}

function trustWildcard(f: Findings, node: Parameters<typeof valueAt>[0]): void {
  f.add('ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
    '"Principal:" "*" is not supported in the principal element of a role trust policy. Replace the wildcard with a valid principal value.', valueAt(node));
}

function checkBlock(p: LoosePrincipal, policy: LoosePolicy, f: Findings): void {
  if (p.wildcard) {
    if (policy.kind === 'trust') trustWildcard(f, p.node);
    return;
  }
  for (const e of p.entries) {
    for (const v of e.values) {
      switch (e.type) {
        case 'AWS': checkAwsValue(v, policy, f); break;
        case 'Service': checkServiceValue(v, f); break;
        case 'Federated': checkFederatedValue(v, policy, f); break;
        case 'CanonicalUser':
          if (hasWildcard(v.value)) wildcardNotSupported(v, 'CanonicalUser', f);
          break;
      }
    }
  }
}

function wildcardNotSupported(v: JsonString, key: string, f: Findings): void {
  f.add('UNSUPPORTED_WILDCARD_IN_PRINCIPAL', `Wildcards (*, ?) are not supported with the principal key ${key}. Replace the wildcard with a valid principal value.`, valueAt(v));
}

function checkAwsValue(v: JsonString, policy: LoosePolicy, f: Findings): void {
  const value = v.value;
  if (value === '*') {
    if (policy.kind === 'trust') trustWildcard(f, v);
    return;
  }
  if (ACCOUNT.test(value) || AWS_ARN.test(value) && !hasWildcard(value.replace(/^arn:aws[a-z-]*:iam::\*:/, ''))) return;
  if (/^AIDA[A-Z0-9]{16,}$/.test(value)) {
    f.add('INVALID_USER_REFERENCE', `The Principal element includes the IAM user ID ${value}. We recommend that you use a user ARN instead.`, valueAt(v));
  } else if (/^AROA[A-Z0-9]{16,}$/.test(value)) {
    f.add('INVALID_ROLE_REFERENCE', `The Principal element includes the IAM role ID ${value}. We recommend that you use a role ARN instead.`, valueAt(v));
  } else if (hasWildcard(value)) {
    wildcardNotSupported(v, 'AWS', f);
  }
  // Anything else IAM refuses outright; the parser's finding names it.
}

function checkServiceValue(v: JsonString, f: Findings): void {
  if (hasWildcard(v.value)) {
    wildcardNotSupported(v, 'Service', f);
  } else if (!SERVICE_PRINCIPAL.test(v.value)) {
    f.add('INVALID_SERVICE_PRINCIPAL_FORMAT', 'The service principal does not match the expected format. Use the format servicename.amazonaws.com.', valueAt(v));
  }
}

function checkFederatedValue(v: JsonString, policy: LoosePolicy, f: Findings): void {
  if (policy.kind !== 'trust') {
    f.add('FEDERATED_PRINCIPAL_NOT_SUPPORTED', 'The policy type does not support a federated identity provider in the principal element. Use a supported principal.', valueAt(v));
    return;
  }
  if (hasWildcard(v.value)) {
    wildcardNotSupported(v, 'Federated', f);
  } else if (!SAML_PROVIDER.test(v.value) && !OIDC_PROVIDER.test(v.value) && !PROVIDER_DOMAIN.test(v.value)) {
    f.add('INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY',
      'The principal value specifies a federated principal that does not match the expected format. Update the federated principal to a domain name or a SAML metadata ARN.', valueAt(v));
  }
}

/** sts:AssumeRoleWithSAML needs SAML providers; sts:AssumeRoleWithWebIdentity needs OIDC providers. */
function checkFederatedActions(s: LooseStatement, p: LoosePrincipal, f: Findings): void {
  const principals = p.entries.flatMap((e) => e.values.map((v) => ({ type: e.type, value: v.value })));
  for (const a of s.action?.values ?? []) {
    const action = a.value.toLowerCase();
    let wrong: string[] = [];
    if (action === 'sts:assumerolewithsaml') {
      wrong = principals.filter((x) => x.type !== 'Federated' || !SAML_PROVIDER.test(x.value)).map((x) => x.value);
    } else if (action === 'sts:assumerolewithwebidentity') {
      wrong = principals.filter((x) => x.type !== 'Federated' || SAML_PROVIDER.test(x.value)).map((x) => x.value);
    }
    if (wrong.length === 0) continue;
    f.add('MISMATCHED_ACTION_FOR_PRINCIPAL',
      `The ${a.value} action is invalid with the following principal(s): ${wrong.join(', ')}. Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options.`,
      valueAt(a));
  }
}

/** The host an OIDC principal names, whose claims appear as "<host>:aud" etc. */
function oidcHost(value: string): string | undefined {
  const arn = OIDC_PROVIDER.exec(value);
  if (arn) return arn[1];
  if (SAML_PROVIDER.test(value) || !PROVIDER_DOMAIN.test(value)) return undefined;
  return value;
}

function checkIdentityProviderConditions(s: LooseStatement, p: LoosePrincipal, f: Findings): void {
  const clauses = s.condition?.clauses ?? [];
  for (const e of p.entries) {
    if (e.type !== 'Federated') continue;
    for (const v of e.values) {
      const host = oidcHost(v.value);
      if (!host) continue;
      const hostLower = host.toLowerCase();
      const own = clauses.filter((c) => c.key.toLowerCase().startsWith(`${hostLower}:`));
      if (hostLower === GITHUB) {
        const sub = own.filter((c) => c.key.toLowerCase() === `${GITHUB}:sub`);
        if (sub.length === 0) {
          f.add('MISSING_GITHUB_REPO_CONDITION_KEY',
            'Granting a federated GitHub principal permissions without a condition key can allow more sources to assume the role than you intended. Add the token.actions.githubusercontent.com:sub condition key and specify the branch and repository name in the value.', valueAt(v));
        }
        for (const c of sub) {
          for (const value of c.values) {
            if (typeof value.value === 'string' && value.value.includes('*')) {
              f.add('SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED',
                'Using a wildcard (*) in token.actions.githubusercontent.com:sub can allow requests from more sources than you intended. Specify the value of token.actions.githubusercontent.com:sub with the repository and branch name.', valueAt(value));
            }
          }
        }
      } else if (own.length === 0) {
        f.add('MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL',
          'Using an Open ID Connect principal without a condition can be overly permissive. Add condition keys with a prefix that matches your federated OIDC principals to ensure that only the intended identity provider assumes the role.', valueAt(v));
      }
    }
  }
}

/** A resource policy that lets a service act must say on whose behalf (confused deputy). */
function checkServiceSource(s: LooseStatement, p: LoosePrincipal, f: Findings): void {
  const keys = new Set((s.condition?.clauses ?? []).map((c) => c.key.toLowerCase()));
  if (SOURCE_KEYS.some((k) => keys.has(k))) return;
  for (const e of p.entries) {
    if (e.type !== 'Service') continue;
    f.add('RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL',
      'Granting access to a service principal without specifying a source is overly permissive. Use aws:SourceArn or aws:SourceAccount condition key and scope access to a specific source to grant fine-grained access.',
      keyAt(p.node.path, e.type, e.keySpan));
  }
}

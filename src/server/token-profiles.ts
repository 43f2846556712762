import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Claims the built-in test issuer puts in a token, shaped like the two ID tokens people
 * most often trade for AWS credentials. Explicit claims override; for GitHub, sub is
 * derived from repository and ref (as GitHub derives it) unless given; for EKS, from
 * the kubernetes.io namespace and service account.
 */
export type TokenProfile = 'github' | 'eks' | 'none';

type Claims = Record<string, unknown>;

function github(claims: Claims): Claims {
  const repository = typeof claims.repository === 'string' ? claims.repository : 'octo-org/octo-repo';
  const ref = typeof claims.ref === 'string' ? claims.ref : 'refs/heads/main';
  const [owner] = repository.split('/');
  const branch = ref.startsWith('refs/heads/');
  return {
    sub: `repo:${repository}:ref:${ref}`,
    aud: 'sts.amazonaws.com',
    ref,
    ref_type: branch ? 'branch' : ref.startsWith('refs/tags/') ? 'tag' : 'pull_request',
    sha: randomBytes(20).toString('hex'),
    repository,
    repository_owner: owner,
    repository_visibility: 'private',
    actor: owner,
    workflow: 'CI',
    workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
    job_workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
    event_name: 'push',
    run_id: String(Date.now() % 1e10),
    run_number: '1',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    ...claims,
  };
}

function eks(claims: Claims): Claims {
  const k8s = (typeof claims['kubernetes.io'] === 'object' && claims['kubernetes.io'] !== null ? claims['kubernetes.io'] : {}) as Claims;
  const namespace = typeof k8s.namespace === 'string' ? k8s.namespace : 'default';
  const account = (typeof k8s.serviceaccount === 'object' && k8s.serviceaccount !== null ? k8s.serviceaccount : {}) as Claims;
  const name = typeof account.name === 'string' ? account.name : 'default';
  return {
    sub: `system:serviceaccount:${namespace}:${name}`,
    aud: ['sts.amazonaws.com'],
    ...claims,
    'kubernetes.io': {
      namespace,
      pod: { name: `${name}-pod`, uid: randomUUID() },
      ...k8s,
      serviceaccount: { name, uid: randomUUID(), ...account },
    },
  };
}

/** The token's claims: the profile's, the caller's over them, then the issuer's own registered claims. */
export function profileClaims(profile: TokenProfile, claims: Claims): Claims {
  if (profile === 'github') return github(claims);
  if (profile === 'eks') return eks(claims);
  return { ...claims };
}

import { parsePolicy, policySize, POLICY_LIMITS } from '../../policy/index.js';
import { answeringPolicyErrors } from '../policy-errors.js';
import type { Store } from '../../store/store.js';
import type { Handler } from '../types.js';
import { noSuchEntity } from './errors.js';
import { paginate, type PageRequest } from './paginate.js';
import { encodePolicyDocument } from './policy-documents.js';
import { requireUser, type UserRow } from './user-rows.js';

/** IAM's quota on the summed size of a user's inline policies (white space not counted). */
const QUOTA = POLICY_LIMITS.userInline;

interface UserPolicyRow {
  policy_name: string;
  document: string;
}

function policiesOf(store: Store, user: UserRow): UserPolicyRow[] {
  return store
    .prepare<UserPolicyRow>('SELECT policy_name, document FROM user_policies WHERE account_id = ? AND user_id = ?')
    .all(user.account_id, user.user_id);
}

function noSuchPolicy(name: string) {
  return noSuchEntity(`The user policy with name ${name} cannot be found.`);
}

const putUserPolicy: Handler = (ctx, input: { UserName: string; PolicyName: string; PolicyDocument: string }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  // The quota is on all of the user's inline policies together; the one replaced does not count.
  const others = policiesOf(ctx.store, user)
    .filter((p) => p.policy_name.toLowerCase() !== input.PolicyName.toLowerCase())
    .reduce((n, p) => n + policySize(p.document), 0);
  answeringPolicyErrors(() => parsePolicy(input.PolicyDocument, {
    kind: 'identity',
    name: input.PolicyName,
    maxLength: QUOTA.max - others,
    tooLargeMessage: QUOTA.message(user.user_name),
  }));
  ctx.store
    .prepare(
      `INSERT INTO user_policies (account_id, user_id, policy_name, document, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, user_id, policy_name) DO UPDATE SET policy_name = excluded.policy_name, document = excluded.document`,
    )
    .run(user.account_id, user.user_id, input.PolicyName, input.PolicyDocument, ctx.now);
  return {};
};

const getUserPolicy: Handler = (ctx, input: { UserName: string; PolicyName: string }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  const policy = ctx.store
    .prepare<UserPolicyRow>('SELECT policy_name, document FROM user_policies WHERE account_id = ? AND user_id = ? AND policy_name = ?')
    .get(user.account_id, user.user_id, input.PolicyName);
  if (!policy) throw noSuchPolicy(input.PolicyName);
  return { UserName: user.user_name, PolicyName: policy.policy_name, PolicyDocument: encodePolicyDocument(policy.document) };
};

const listUserPolicies: Handler = (ctx, input: PageRequest & { UserName: string }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  const names = policiesOf(ctx.store, user).map((p) => p.policy_name);
  const { items, more } = paginate(names, input, (n) => n.toLowerCase());
  return { PolicyNames: items, ...more };
};

const deleteUserPolicy: Handler = (ctx, input: { UserName: string; PolicyName: string }) => {
  const user = requireUser(ctx.store, ctx.accountId, input.UserName);
  const { changes } = ctx.store
    .prepare('DELETE FROM user_policies WHERE account_id = ? AND user_id = ? AND policy_name = ?')
    .run(user.account_id, user.user_id, input.PolicyName);
  if (changes === 0) throw noSuchPolicy(input.PolicyName);
  return {};
};

export const userPolicyHandlers: Record<string, Handler> = {
  PutUserPolicy: putUserPolicy,
  GetUserPolicy: getUserPolicy,
  ListUserPolicies: listUserPolicies,
  DeleteUserPolicy: deleteUserPolicy,
};

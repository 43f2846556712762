import { operation } from '../../operation.js';
import { allowedNamespaces, grantingPolicies, resolveEntity } from './access-advisor-sources.js';
import { invalidInput } from '../../../identity/errors.js';
import { listPage } from '../shared/paginate.js';

/**
 * ListPoliciesGrantingServiceAccess: for each service namespace asked about, the policies
 * of the user, group or role the ARN names (acted on) that allow some action of it.
 */

interface ListPoliciesGrantingInput {
  Arn: string;
  ServiceNamespaces: string[];
  Marker?: string;
}

export const ListPoliciesGrantingServiceAccess = operation({
  writes: false,
  authorize: (_ctx, input: ListPoliciesGrantingInput) => ({ action: 'iam:ListPoliciesGrantingServiceAccess', resource: input.Arn }),
  run: (ctx, input: ListPoliciesGrantingInput) => {
    const entity = resolveEntity(ctx.store, ctx.accountId, input.Arn, false);
    if (input.ServiceNamespaces.length === 0) throw invalidInput('ServiceNamespaces must name at least one service.');
    const policies = grantingPolicies(ctx.store, entity).map((p) => ({ policy: p, allows: allowedNamespaces(p.document) }));
    const entries = input.ServiceNamespaces.map((ns) => ({
      ServiceNamespace: ns,
      Policies: policies
        .filter((p) => p.allows.has(ns.toLowerCase()))
        .map(({ policy: { document: _document, ...shape } }) => shape),
    }));
    return listPage('PoliciesGrantingServiceAccess', entries, { Marker: input.Marker });
  },
});

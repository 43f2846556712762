import {
  GetAccountAuthorizationDetailsCommand, GetAccountPasswordPolicyCommand, ListAccountAliasesCommand, ListInstanceProfilesCommand, ListPolicyTagsCommand,
  ListRolesCommand, type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand, DescribePolicyCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListPoliciesCommand,
  ListRootsCommand, ListTargetsForPolicyCommand,
} from '@aws-sdk/client-organizations';
import { errorCode, type Clients } from './clients.js';
import {
  byName, STATE_VERSION, toFileArn, type OrganizationState, type OuState, type PolicyDocument, type StateFile, type Tags,
} from './state-file.js';

/** `iamlocal export`: the account's state, read through the API, as a state file. */
export async function exportState(c: Clients): Promise<StateFile> {
  const details = await authorizationDetails(c);
  const arn = (a: string) => toFileArn(a, c.accountId);
  const doc = (text: string | undefined): PolicyDocument => JSON.parse(decodeURIComponent(text ?? '{}')) as PolicyDocument;
  const tags = (list: Array<{ Key?: string; Value?: string }> | undefined): Tags | undefined =>
    list?.length ? Object.fromEntries(list.map((t) => [t.Key!, t.Value!]).sort()) : undefined;
  const inline = (list: Array<{ PolicyName?: string; PolicyDocument?: string }> | undefined) =>
    Object.fromEntries((list ?? []).map((p) => [p.PolicyName!, doc(p.PolicyDocument)]).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const attached = (list: Array<{ PolicyArn?: string }> | undefined) => (list ?? []).map((p) => arn(p.PolicyArn!)).sort();

  const roleExtras = new Map<string, { description?: string; max: number }>();
  for (let marker: string | undefined, more = true; more; ) {
    const page = await c.iam.send(new ListRolesCommand({ Marker: marker }));
    for (const r of page.Roles ?? []) roleExtras.set(r.RoleName!, { description: r.Description, max: r.MaxSessionDuration ?? 3600 });
    marker = page.Marker;
    more = page.IsTruncated === true;
  }

  const state: StateFile = {
    iamlocal: STATE_VERSION,
    account: {},
    policies: [],
    groups: (details.GroupDetailList ?? []).map((g) => ({
      name: g.GroupName!, path: g.Path!, managedPolicies: attached(g.AttachedManagedPolicies), inlinePolicies: inline(g.GroupPolicyList),
    })).sort(byName),
    users: (details.UserDetailList ?? []).map((u) => ({
      name: u.UserName!, path: u.Path!, groups: [...(u.GroupList ?? [])].sort(),
      managedPolicies: attached(u.AttachedManagedPolicies), inlinePolicies: inline(u.UserPolicyList),
      ...(u.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: arn(u.PermissionsBoundary.PermissionsBoundaryArn) } : {}),
      ...(tags(u.Tags) ? { tags: tags(u.Tags) } : {}),
    })).sort(byName),
    // Service-linked and Identity Center (/aws-reserved/) roles belong to their services, not to the file.
    roles: (details.RoleDetailList ?? []).filter((r) => !r.Path!.startsWith('/aws-service-role/') && !r.Path!.startsWith('/aws-reserved/')).map((r) => ({
      name: r.RoleName!, path: r.Path!,
      ...(roleExtras.get(r.RoleName!)?.description ? { description: roleExtras.get(r.RoleName!)!.description } : {}),
      maxSessionDuration: roleExtras.get(r.RoleName!)?.max ?? 3600,
      assumeRolePolicy: doc(r.AssumeRolePolicyDocument),
      managedPolicies: attached(r.AttachedManagedPolicies), inlinePolicies: inline(r.RolePolicyList),
      ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: arn(r.PermissionsBoundary.PermissionsBoundaryArn) } : {}),
      ...(tags(r.Tags) ? { tags: tags(r.Tags) } : {}),
    })).sort(byName),
    instanceProfiles: [],
  };
  for (const p of details.Policies ?? []) {
    const version = p.PolicyVersionList?.find((v) => v.IsDefaultVersion);
    const policyTags = tags((await c.iam.send(new ListPolicyTagsCommand({ PolicyArn: p.Arn! }))).Tags);
    state.policies.push({
      name: p.PolicyName!, path: p.Path!, ...(p.Description ? { description: p.Description } : {}), document: doc(version?.Document),
      ...(policyTags ? { tags: policyTags } : {}),
    });
  }
  state.policies.sort(byName);

  for (let marker: string | undefined, more = true; more; ) {
    const page = await c.iam.send(new ListInstanceProfilesCommand({ Marker: marker }));
    for (const ip of page.InstanceProfiles ?? []) state.instanceProfiles.push({ name: ip.InstanceProfileName!, path: ip.Path!, roles: (ip.Roles ?? []).map((r) => r.RoleName!).sort() });
    marker = page.Marker;
    more = page.IsTruncated === true;
  }
  state.instanceProfiles.sort(byName);

  const alias = (await c.iam.send(new ListAccountAliasesCommand({}))).AccountAliases?.[0];
  if (alias) state.account.alias = alias;
  try {
    const { PasswordPolicy } = await c.iam.send(new GetAccountPasswordPolicyCommand({}));
    const { ExpirePasswords: _derived, ...policy } = PasswordPolicy!;
    state.account.passwordPolicy = Object.fromEntries(Object.entries(policy).sort());
  } catch (err) {
    if (errorCode(err) !== 'NoSuchEntity') throw err;
  }
  const organization = await exportOrganization(c);
  if (organization) state.organization = organization;
  return state;
}

async function authorizationDetails(c: Clients): Promise<GetAccountAuthorizationDetailsCommandOutput> {
  const all: GetAccountAuthorizationDetailsCommandOutput = { $metadata: {}, UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (let marker: string | undefined, more = true; more; ) {
    const page = await c.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'], Marker: marker }));
    all.UserDetailList!.push(...(page.UserDetailList ?? []));
    all.GroupDetailList!.push(...(page.GroupDetailList ?? []));
    all.RoleDetailList!.push(...(page.RoleDetailList ?? []));
    all.Policies!.push(...(page.Policies ?? []));
    marker = page.Marker;
    more = page.IsTruncated === true;
  }
  return all;
}

/** Every page of an Organizations list. */
export async function allPages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

/** The organization this account manages, or undefined (none, or the account is only a member). */
async function exportOrganization(c: Clients): Promise<OrganizationState | undefined> {
  let org;
  try {
    org = (await c.orgs.send(new DescribeOrganizationCommand({}))).Organization!;
  } catch (err) {
    if (errorCode(err) === 'AWSOrganizationsNotInUse') return undefined;
    throw err;
  }
  if (org.MasterAccountId !== c.accountId) return undefined;
  const root = (await c.orgs.send(new ListRootsCommand({}))).Roots![0];
  const state: OrganizationState = {
    featureSet: org.FeatureSet!,
    enabledPolicyTypes: (root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type!).sort(),
    organizationalUnits: [],
    policies: [],
    accounts: [],
    attachments: {},
  };
  // Targets by ID → how the file names them.
  const names = new Map<string, string>([[root.Id!, '/']]);
  const walk = async (parentId: string, path: string): Promise<OuState[]> => {
    for (const a of await allPages((t) => c.orgs.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: t })).then((p) => ({ items: p.Accounts ?? [], next: p.NextToken })))) {
      if (a.Id === c.accountId) {
        names.set(a.Id!, 'account:management');
        continue;
      }
      names.set(a.Id!, `account:${a.Email}`);
      state.accounts.push({ name: a.Name!, email: a.Email!, parent: path || '/' });
    }
    const ous = await allPages((t) => c.orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: t })).then((p) => ({ items: p.OrganizationalUnits ?? [], next: p.NextToken })));
    const out: OuState[] = [];
    for (const ou of ous) {
      const ouPath = `${path}/${ou.Name}`;
      names.set(ou.Id!, ouPath);
      out.push({ name: ou.Name!, children: await walk(ou.Id!, ouPath) });
    }
    return out.sort(byName);
  };
  state.organizationalUnits = await walk(root.Id!, '');
  state.accounts.sort((a, b) => (a.email < b.email ? -1 : 1));
  for (const type of state.enabledPolicyTypes) {
    const policies = await allPages((t) => c.orgs.send(new ListPoliciesCommand({ Filter: type as 'SERVICE_CONTROL_POLICY', NextToken: t })).then((p) => ({ items: p.Policies ?? [], next: p.NextToken })));
    for (const p of policies) {
      if (!p.AwsManaged) {
        const { Policy } = await c.orgs.send(new DescribePolicyCommand({ PolicyId: p.Id! }));
        state.policies.push({ name: p.Name!, type, description: p.Description ?? '', content: JSON.parse(Policy!.Content!) as PolicyDocument });
      }
      const targets = await allPages((t) => c.orgs.send(new ListTargetsForPolicyCommand({ PolicyId: p.Id!, NextToken: t })).then((r) => ({ items: r.Targets ?? [], next: r.NextToken })));
      const named = targets.map((t) => names.get(t.TargetId!)).filter((n): n is string => n !== undefined).sort();
      if (named.length) state.attachments[p.Name!] = named;
    }
  }
  state.policies.sort(byName);
  return state;
}

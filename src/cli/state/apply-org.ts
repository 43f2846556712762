import * as O from '@aws-sdk/client-organizations';
import { errorCode, type Clients } from './clients.js';
import { allPages } from './export.js';
import { canonical, type OrganizationState, type OuState } from './state-file.js';
import type { Say } from './apply-iam.js';

/**
 * `iamlocal apply`, organization part: the organization this account manages made what
 * the file says: policy types, the OU tree, member accounts (known by email; a missing one
 * is made with CreateAccount), customer SCPs/RCPs and where they are attached. What the
 * file does not name goes: accounts are removed from the organization (not closed), OUs
 * and policies deleted, and without "organization" the organization itself is deleted.
 */
const AWS_MANAGED: Record<string, string> = { FullAWSAccess: 'p-FullAWSAccess', RCPFullAWSAccess: 'p-RCPFullAWSAccess' };

export async function applyOrganization(c: Clients, want: OrganizationState | undefined, have: OrganizationState | undefined, say: Say): Promise<void> {
  const orgs = c.orgs;
  const send = async <T>(what: string, p: () => Promise<T>): Promise<T> => {
    say(what);
    return p();
  };
  if (!want && !have) return;
  if (want && !have) {
    try {
      await send('+ organization', () => orgs.send(new O.CreateOrganizationCommand({ FeatureSet: want.featureSet as O.OrganizationFeatureSet })));
    } catch (err) {
      if (errorCode(err) === 'AlreadyInOrganization') throw new Error('this account is a member of an organization it does not manage: apply its organization from the management account');
      throw err;
    }
  }
  const root = (await orgs.send(new O.ListRootsCommand({}))).Roots![0];
  // Where things are now: targets by file name, and the reverse.
  const ids = new Map<string, string>([['/', root.Id!], ['account:management', c.accountId]]);
  const ous = new Map<string, string>(); // path → id
  const walk = async (parentId: string, path: string): Promise<void> => {
    for (const ou of await allPages((t) => orgs.send(new O.ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: t })).then((p) => ({ items: p.OrganizationalUnits ?? [], next: p.NextToken })))) {
      ous.set(`${path}/${ou.Name}`, ou.Id!);
      await walk(ou.Id!, `${path}/${ou.Name}`);
    }
  };
  await walk(root.Id!, '');
  const accounts = await allPages((t) => orgs.send(new O.ListAccountsCommand({ NextToken: t })).then((p) => ({ items: p.Accounts ?? [], next: p.NextToken })));

  if (!want) {
    for (const a of accounts) if (a.Id !== c.accountId) await send(`- account ${a.Email} from the organization`, () => orgs.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: a.Id! })));
    await send('- organization', () => orgs.send(new O.DeleteOrganizationCommand({})));
    return;
  }

  // Policy types.
  const enabled = (root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type!);
  for (const t of want.enabledPolicyTypes) if (!enabled.includes(t as O.PolicyType)) await send(`+ policy type ${t}`, () => orgs.send(new O.EnablePolicyTypeCommand({ RootId: root.Id!, PolicyType: t as O.PolicyType })));
  for (const t of enabled) if (!want.enabledPolicyTypes.includes(t)) await send(`- policy type ${t}`, () => orgs.send(new O.DisablePolicyTypeCommand({ RootId: root.Id!, PolicyType: t })));

  // OUs, top down.
  const create = async (list: OuState[], parentId: string, path: string): Promise<void> => {
    for (const ou of list) {
      const ouPath = `${path}/${ou.name}`;
      let id = ous.get(ouPath);
      if (!id) {
        id = (await send(`+ OU ${ouPath}`, () => orgs.send(new O.CreateOrganizationalUnitCommand({ ParentId: parentId, Name: ou.name })))).OrganizationalUnit!.Id!;
        ous.set(ouPath, id);
      }
      await create(ou.children, id, ouPath);
    }
  };
  await create(want.organizationalUnits, root.Id!, '');
  for (const [path, id] of ous) ids.set(path, id);

  // Accounts, by email: made when missing, moved where the file puts them.
  const byEmail = new Map(accounts.filter((a) => a.Id !== c.accountId).map((a) => [a.Email!.toLowerCase(), a]));
  for (const a of want.accounts) {
    let id = byEmail.get(a.email.toLowerCase())?.Id;
    if (!id) {
      const { CreateAccountStatus } = await send(`+ account ${a.email}`, () => orgs.send(new O.CreateAccountCommand({ AccountName: a.name, Email: a.email })));
      const status = (await orgs.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }))).CreateAccountStatus!;
      if (status.State !== 'SUCCEEDED') throw new Error(`CreateAccount ${a.email}: ${status.State} ${status.FailureReason ?? ''}`);
      id = status.AccountId!;
    }
    ids.set(`account:${a.email}`, id);
    const target = ids.get(a.parent);
    if (!target) throw new Error(`account ${a.email}: no OU ${a.parent} in the file`);
    const { Parents } = await orgs.send(new O.ListParentsCommand({ ChildId: id }));
    const current = Parents![0].Id!;
    if (current !== target) await send(`~ account ${a.email} to ${a.parent}`, () => orgs.send(new O.MoveAccountCommand({ AccountId: id!, SourceParentId: current, DestinationParentId: target })));
  }
  const wantEmails = new Set(want.accounts.map((a) => a.email.toLowerCase()));
  for (const [email, a] of byEmail) if (!wantEmails.has(email)) await send(`- account ${a.Email} from the organization`, () => orgs.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: a.Id! })));

  // Policies: created or updated; attached where the file says (attach first: a target keeps one SCP).
  const policyIds = new Map<string, string>(Object.entries(AWS_MANAGED));
  const existing = new Map<string, O.PolicySummary & { type: string }>();
  for (const type of want.enabledPolicyTypes) {
    for (const p of await allPages((t) => orgs.send(new O.ListPoliciesCommand({ Filter: type as O.PolicyType, NextToken: t })).then((r) => ({ items: r.Policies ?? [], next: r.NextToken })))) {
      if (!p.AwsManaged) existing.set(p.Name!, { ...p, type });
    }
  }
  for (const p of want.policies) {
    const old = existing.get(p.name);
    if (!old) {
      const made = await send(`+ ${p.type} ${p.name}`, () => orgs.send(new O.CreatePolicyCommand({ Name: p.name, Description: p.description, Type: p.type as O.PolicyType, Content: JSON.stringify(p.content) })));
      policyIds.set(p.name, made.Policy!.PolicySummary!.Id!);
      continue;
    }
    policyIds.set(p.name, old.Id!);
    const { Policy } = await orgs.send(new O.DescribePolicyCommand({ PolicyId: old.Id! }));
    if (canonical(JSON.parse(Policy!.Content!)) !== canonical(p.content) || (old.Description ?? '') !== p.description) {
      await send(`~ ${p.type} ${p.name}`, () => orgs.send(new O.UpdatePolicyCommand({ PolicyId: old.Id!, Description: p.description, Content: JSON.stringify(p.content) })));
    }
  }
  const detachments: Array<[string, string, string]> = [];
  for (const [name, policyId] of policyIds) {
    if (!existing.has(name) && !want.policies.some((p) => p.name === name) && !(name in AWS_MANAGED)) continue;
    let current: string[];
    try {
      current = (await allPages((t) => orgs.send(new O.ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken: t })).then((r) => ({ items: r.Targets ?? [], next: r.NextToken })))).map((t) => t.TargetId!);
    } catch (err) {
      if (errorCode(err) === 'PolicyNotFound') continue;
      throw err;
    }
    const desired = (want.attachments[name] ?? []).map((t) => {
      const id = ids.get(t);
      if (!id) throw new Error(`attachment of ${name}: no target ${t} in the file`);
      return id;
    });
    for (const t of desired) if (!current.includes(t)) await send(`+ attach ${name} to ${nameOf(ids, t)}`, () => orgs.send(new O.AttachPolicyCommand({ PolicyId: policyId, TargetId: t })));
    for (const t of current) if (!desired.includes(t)) detachments.push([name, policyId, t]);
  }
  // OUs the file does not name are deleted below, their attachments with them.
  const wanted = new Set<string>();
  const collect = (list: OuState[], path: string) => list.forEach((ou) => (wanted.add(`${path}/${ou.name}`), collect(ou.children, `${path}/${ou.name}`)));
  collect(want.organizationalUnits, '');
  const going = new Set([...ous].filter(([path]) => !wanted.has(path)).map(([, id]) => id));
  for (const [name, policyId, t] of detachments) if (!going.has(t)) await send(`- detach ${name} from ${nameOf(ids, t)}`, () => orgs.send(new O.DetachPolicyCommand({ PolicyId: policyId, TargetId: t })));
  for (const [name, p] of existing) {
    if (want.policies.some((w) => w.name === name)) continue;
    for (const t of await allPages((tk) => orgs.send(new O.ListTargetsForPolicyCommand({ PolicyId: p.Id!, NextToken: tk })).then((r) => ({ items: r.Targets ?? [], next: r.NextToken })))) {
      await send(`- detach ${name} from ${nameOf(ids, t.TargetId!)}`, () => orgs.send(new O.DetachPolicyCommand({ PolicyId: p.Id!, TargetId: t.TargetId! })));
    }
    await send(`- ${p.type} ${name}`, () => orgs.send(new O.DeletePolicyCommand({ PolicyId: p.Id! })));
  }

  // OUs the file does not name, deepest first (their accounts have moved already).
  for (const path of [...ous.keys()].sort((a, b) => b.split('/').length - a.split('/').length)) {
    if (!wanted.has(path)) await send(`- OU ${path}`, () => orgs.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ous.get(path)! })));
  }
}

function nameOf(ids: Map<string, string>, id: string): string {
  for (const [name, v] of ids) if (v === id) return name;
  return id;
}

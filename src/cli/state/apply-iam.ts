import * as I from '@aws-sdk/client-iam';
import { errorCode, type Clients } from './clients.js';
import { canonical, fromFileArn, sameDocument, type StateFile, type Tags } from './state-file.js';

/**
 * `iamlocal apply`, IAM part: makes the account's IAM what the file says. It reads the
 * current state (as export does), then creates what is missing, updates what differs and
 * deletes what the file does not name, in an order IAM accepts (policies before their
 * attachments, detachments before deletions). Each change is one API call, printed.
 */
export type Say = (line: string) => void;

export async function applyIam(c: Clients, want: StateFile, have: StateFile, say: Say): Promise<void> {
  const iam = c.iam;
  const arn = (a: string) => fromFileArn(a, c.accountId);
  // Any IAM command: the SDK's per-command types do not unify, and the answer is not read.
  const send = async (what: string, command: object) => {
    say(what);
    await iam.send(command as never);
  };

  // Account alias and password policy.
  if (want.account.alias !== have.account.alias) {
    if (have.account.alias) await send(`- account alias ${have.account.alias}`, new I.DeleteAccountAliasCommand({ AccountAlias: have.account.alias }));
    if (want.account.alias) await send(`+ account alias ${want.account.alias}`, new I.CreateAccountAliasCommand({ AccountAlias: want.account.alias }));
  }
  if (canonical(want.account.passwordPolicy) !== canonical(have.account.passwordPolicy)) {
    if (want.account.passwordPolicy) await send('~ account password policy', new I.UpdateAccountPasswordPolicyCommand(want.account.passwordPolicy as I.UpdateAccountPasswordPolicyRequest));
    else await send('- account password policy', new I.DeleteAccountPasswordPolicyCommand({}));
  }

  // Customer managed policies: created or given a new default version (the oldest other one makes room).
  const haveP = new Map(have.policies.map((p) => [p.name, p]));
  for (const p of want.policies) {
    const policyArn = `arn:aws:iam::${c.accountId}:policy${p.path}${p.name}`;
    const old = haveP.get(p.name);
    if (!old) {
      await send(`+ policy ${p.name}`, new I.CreatePolicyCommand({ PolicyName: p.name, Path: p.path, Description: p.description, PolicyDocument: JSON.stringify(p.document), Tags: tagList(p.tags) }));
      continue;
    }
    if (!sameDocument(old.document, p.document)) {
      const { Versions } = await iam.send(new I.ListPolicyVersionsCommand({ PolicyArn: policyArn }));
      if ((Versions ?? []).length >= 5) {
        const oldest = Versions!.filter((v) => !v.IsDefaultVersion).sort((a, b) => a.CreateDate!.getTime() - b.CreateDate!.getTime())[0];
        await send(`- policy ${p.name} version ${oldest.VersionId}`, new I.DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: oldest.VersionId! }));
      }
      await send(`~ policy ${p.name} (new default version)`, new I.CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: JSON.stringify(p.document), SetAsDefault: true }));
    }
    await syncTags(`policy ${p.name}`, old.tags, p.tags, say, (Tags) => iam.send(new I.TagPolicyCommand({ PolicyArn: policyArn, Tags })), (TagKeys) => iam.send(new I.UntagPolicyCommand({ PolicyArn: policyArn, TagKeys })));
  }

  // Groups, then users (who join them), then roles and instance profiles.
  const haveG = new Map(have.groups.map((g) => [g.name, g]));
  for (const g of want.groups) {
    const old = haveG.get(g.name);
    if (!old) await send(`+ group ${g.name}`, new I.CreateGroupCommand({ GroupName: g.name, Path: g.path }));
    else if (old.path !== g.path) await send(`~ group ${g.name} path`, new I.UpdateGroupCommand({ GroupName: g.name, NewPath: g.path }));
    await syncGrants(`group ${g.name}`, old, g, say, {
      attach: (a) => iam.send(new I.AttachGroupPolicyCommand({ GroupName: g.name, PolicyArn: arn(a) })),
      detach: (a) => iam.send(new I.DetachGroupPolicyCommand({ GroupName: g.name, PolicyArn: arn(a) })),
      put: (n, d) => iam.send(new I.PutGroupPolicyCommand({ GroupName: g.name, PolicyName: n, PolicyDocument: d })),
      remove: (n) => iam.send(new I.DeleteGroupPolicyCommand({ GroupName: g.name, PolicyName: n })),
    });
  }

  const haveU = new Map(have.users.map((u) => [u.name, u]));
  for (const u of want.users) {
    const old = haveU.get(u.name);
    if (!old) await send(`+ user ${u.name}`, new I.CreateUserCommand({ UserName: u.name, Path: u.path }));
    else if (old.path !== u.path) await send(`~ user ${u.name} path`, new I.UpdateUserCommand({ UserName: u.name, NewPath: u.path }));
    for (const g of u.groups) if (!old?.groups.includes(g)) await send(`+ user ${u.name} in group ${g}`, new I.AddUserToGroupCommand({ UserName: u.name, GroupName: g }));
    for (const g of old?.groups ?? []) if (!u.groups.includes(g)) await send(`- user ${u.name} from group ${g}`, new I.RemoveUserFromGroupCommand({ UserName: u.name, GroupName: g }));
    if (u.permissionsBoundary !== old?.permissionsBoundary) {
      if (u.permissionsBoundary) await send(`~ user ${u.name} boundary`, new I.PutUserPermissionsBoundaryCommand({ UserName: u.name, PermissionsBoundary: arn(u.permissionsBoundary) }));
      else await send(`- user ${u.name} boundary`, new I.DeleteUserPermissionsBoundaryCommand({ UserName: u.name }));
    }
    await syncTags(`user ${u.name}`, old?.tags, u.tags, say, (Tags) => iam.send(new I.TagUserCommand({ UserName: u.name, Tags })), (TagKeys) => iam.send(new I.UntagUserCommand({ UserName: u.name, TagKeys })));
    await syncGrants(`user ${u.name}`, old, u, say, {
      attach: (a) => iam.send(new I.AttachUserPolicyCommand({ UserName: u.name, PolicyArn: arn(a) })),
      detach: (a) => iam.send(new I.DetachUserPolicyCommand({ UserName: u.name, PolicyArn: arn(a) })),
      put: (n, d) => iam.send(new I.PutUserPolicyCommand({ UserName: u.name, PolicyName: n, PolicyDocument: d })),
      remove: (n) => iam.send(new I.DeleteUserPolicyCommand({ UserName: u.name, PolicyName: n })),
    });
  }

  const haveR = new Map(have.roles.map((r) => [r.name, r]));
  for (const r of want.roles) {
    const old = haveR.get(r.name);
    if (!old) {
      await send(`+ role ${r.name}`, new I.CreateRoleCommand({
        RoleName: r.name, Path: r.path, AssumeRolePolicyDocument: JSON.stringify(r.assumeRolePolicy), Description: r.description,
        MaxSessionDuration: r.maxSessionDuration,
      }));
    } else {
      if (!sameDocument(old.assumeRolePolicy, r.assumeRolePolicy)) await send(`~ role ${r.name} trust policy`, new I.UpdateAssumeRolePolicyCommand({ RoleName: r.name, PolicyDocument: JSON.stringify(r.assumeRolePolicy) }));
      if (old.description !== r.description || old.maxSessionDuration !== r.maxSessionDuration) {
        await send(`~ role ${r.name}`, new I.UpdateRoleCommand({ RoleName: r.name, Description: r.description ?? '', MaxSessionDuration: r.maxSessionDuration }));
      }
    }
    if (r.permissionsBoundary !== old?.permissionsBoundary) {
      if (r.permissionsBoundary) await send(`~ role ${r.name} boundary`, new I.PutRolePermissionsBoundaryCommand({ RoleName: r.name, PermissionsBoundary: arn(r.permissionsBoundary) }));
      else await send(`- role ${r.name} boundary`, new I.DeleteRolePermissionsBoundaryCommand({ RoleName: r.name }));
    }
    await syncTags(`role ${r.name}`, old?.tags, r.tags, say, (Tags) => iam.send(new I.TagRoleCommand({ RoleName: r.name, Tags })), (TagKeys) => iam.send(new I.UntagRoleCommand({ RoleName: r.name, TagKeys })));
    await syncGrants(`role ${r.name}`, old, r, say, {
      attach: (a) => iam.send(new I.AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn(a) })),
      detach: (a) => iam.send(new I.DetachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn(a) })),
      put: (n, d) => iam.send(new I.PutRolePolicyCommand({ RoleName: r.name, PolicyName: n, PolicyDocument: d })),
      remove: (n) => iam.send(new I.DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: n })),
    });
  }

  const haveIp = new Map(have.instanceProfiles.map((ip) => [ip.name, ip]));
  for (const ip of want.instanceProfiles) {
    const old = haveIp.get(ip.name);
    if (!old) await send(`+ instance profile ${ip.name}`, new I.CreateInstanceProfileCommand({ InstanceProfileName: ip.name, Path: ip.path }));
    for (const r of old?.roles ?? []) if (!ip.roles.includes(r)) await send(`- role ${r} from instance profile ${ip.name}`, new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: ip.name, RoleName: r }));
    for (const r of ip.roles) if (!old?.roles.includes(r)) await send(`+ role ${r} in instance profile ${ip.name}`, new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: ip.name, RoleName: r }));
  }

  // Deletions: what the file does not name, each emptied first as IAM requires.
  const named = <T extends { name: string }>(list: T[]) => new Set(list.map((x) => x.name));
  const wantIp = named(want.instanceProfiles);
  for (const ip of have.instanceProfiles) {
    if (wantIp.has(ip.name)) continue;
    for (const r of ip.roles) await send(`- role ${r} from instance profile ${ip.name}`, new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: ip.name, RoleName: r }));
    await send(`- instance profile ${ip.name}`, new I.DeleteInstanceProfileCommand({ InstanceProfileName: ip.name }));
  }
  const wantR = named(want.roles);
  for (const r of have.roles) {
    if (wantR.has(r.name)) continue;
    await emptyGrants(r, (a) => iam.send(new I.DetachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn(a) })), (n) => iam.send(new I.DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: n })));
    if (r.permissionsBoundary) await iam.send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: r.name }));
    await send(`- role ${r.name}`, new I.DeleteRoleCommand({ RoleName: r.name }));
  }
  const wantU = named(want.users);
  for (const u of have.users) if (!wantU.has(u.name)) await deleteUser(c, u.name, say);
  const wantG = named(want.groups);
  for (const g of have.groups) {
    if (wantG.has(g.name)) continue;
    for (const u of want.users) if (u.groups.includes(g.name)) throw new Error(`user ${u.name} is in group ${g.name}, which the file does not have`);
    const { Users } = await iam.send(new I.GetGroupCommand({ GroupName: g.name }));
    for (const u of Users ?? []) await iam.send(new I.RemoveUserFromGroupCommand({ GroupName: g.name, UserName: u.UserName! }));
    await emptyGrants(g, (a) => iam.send(new I.DetachGroupPolicyCommand({ GroupName: g.name, PolicyArn: arn(a) })), (n) => iam.send(new I.DeleteGroupPolicyCommand({ GroupName: g.name, PolicyName: n })));
    await send(`- group ${g.name}`, new I.DeleteGroupCommand({ GroupName: g.name }));
  }
  const wantP = named(want.policies);
  for (const p of have.policies) {
    if (wantP.has(p.name)) continue;
    const policyArn = `arn:aws:iam::${c.accountId}:policy${p.path}${p.name}`;
    const { Versions } = await iam.send(new I.ListPolicyVersionsCommand({ PolicyArn: policyArn }));
    for (const v of Versions ?? []) if (!v.IsDefaultVersion) await iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: v.VersionId! }));
    await send(`- policy ${p.name}`, new I.DeletePolicyCommand({ PolicyArn: policyArn }));
  }
}

function tagList(tags: Tags | undefined): I.Tag[] | undefined {
  return tags && Object.keys(tags).length ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
}

async function syncTags(what: string, have: Tags | undefined, want: Tags | undefined, say: Say, tag: (t: I.Tag[]) => Promise<unknown>, untag: (k: string[]) => Promise<unknown>): Promise<void> {
  const gone = Object.keys(have ?? {}).filter((k) => !(k in (want ?? {})));
  const changed = Object.entries(want ?? {}).filter(([k, v]) => have?.[k] !== v);
  if (gone.length) {
    say(`- ${what} tags ${gone.join(', ')}`);
    await untag(gone);
  }
  if (changed.length) {
    say(`~ ${what} tags ${changed.map(([k]) => k).join(', ')}`);
    await tag(changed.map(([Key, Value]) => ({ Key, Value })));
  }
}

interface GrantOps {
  attach(arn: string): Promise<unknown>;
  detach(arn: string): Promise<unknown>;
  put(name: string, document: string): Promise<unknown>;
  remove(name: string): Promise<unknown>;
}

async function syncGrants(
  what: string, have: { managedPolicies: string[]; inlinePolicies: Record<string, unknown> } | undefined,
  want: { managedPolicies: string[]; inlinePolicies: Record<string, unknown> }, say: Say, ops: GrantOps,
): Promise<void> {
  for (const a of want.managedPolicies) if (!have?.managedPolicies.includes(a)) { say(`+ ${what} attach ${a}`); await ops.attach(a); }
  for (const a of have?.managedPolicies ?? []) if (!want.managedPolicies.includes(a)) { say(`- ${what} detach ${a}`); await ops.detach(a); }
  for (const [n, d] of Object.entries(want.inlinePolicies)) {
    if (!have || !(n in have.inlinePolicies) || !sameDocument(have.inlinePolicies[n], d)) { say(`~ ${what} inline policy ${n}`); await ops.put(n, JSON.stringify(d)); }
  }
  for (const n of Object.keys(have?.inlinePolicies ?? {})) if (!(n in want.inlinePolicies)) { say(`- ${what} inline policy ${n}`); await ops.remove(n); }
}

async function emptyGrants(x: { managedPolicies: string[]; inlinePolicies: Record<string, unknown> }, detach: (a: string) => Promise<unknown>, remove: (n: string) => Promise<unknown>): Promise<void> {
  for (const a of x.managedPolicies) await detach(a);
  for (const n of Object.keys(x.inlinePolicies)) await remove(n);
}

/** A user goes with everything IAM makes you remove first: keys, password, MFA, certificates, group memberships, policies. */
async function deleteUser(c: Clients, name: string, say: Say): Promise<void> {
  const iam = c.iam;
  const quiet = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      if (errorCode(err) !== 'NoSuchEntity') throw err;
    }
  };
  for (const k of (await iam.send(new I.ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata ?? []) await iam.send(new I.DeleteAccessKeyCommand({ UserName: name, AccessKeyId: k.AccessKeyId! }));
  await quiet(iam.send(new I.DeleteLoginProfileCommand({ UserName: name })));
  for (const d of (await iam.send(new I.ListMFADevicesCommand({ UserName: name }))).MFADevices ?? []) await iam.send(new I.DeactivateMFADeviceCommand({ UserName: name, SerialNumber: d.SerialNumber! }));
  for (const cert of (await iam.send(new I.ListSigningCertificatesCommand({ UserName: name }))).Certificates ?? []) await iam.send(new I.DeleteSigningCertificateCommand({ UserName: name, CertificateId: cert.CertificateId! }));
  for (const k of (await iam.send(new I.ListSSHPublicKeysCommand({ UserName: name }))).SSHPublicKeys ?? []) await iam.send(new I.DeleteSSHPublicKeyCommand({ UserName: name, SSHPublicKeyId: k.SSHPublicKeyId! }));
  for (const s of (await iam.send(new I.ListServiceSpecificCredentialsCommand({ UserName: name }))).ServiceSpecificCredentials ?? []) await iam.send(new I.DeleteServiceSpecificCredentialCommand({ UserName: name, ServiceSpecificCredentialId: s.ServiceSpecificCredentialId! }));
  for (const g of (await iam.send(new I.ListGroupsForUserCommand({ UserName: name }))).Groups ?? []) await iam.send(new I.RemoveUserFromGroupCommand({ UserName: name, GroupName: g.GroupName! }));
  for (const p of (await iam.send(new I.ListAttachedUserPoliciesCommand({ UserName: name }))).AttachedPolicies ?? []) await iam.send(new I.DetachUserPolicyCommand({ UserName: name, PolicyArn: p.PolicyArn! }));
  for (const p of (await iam.send(new I.ListUserPoliciesCommand({ UserName: name }))).PolicyNames ?? []) await iam.send(new I.DeleteUserPolicyCommand({ UserName: name, PolicyName: p }));
  await quiet(iam.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: name })));
  say(`- user ${name}`);
  await iam.send(new I.DeleteUserCommand({ UserName: name }));
}


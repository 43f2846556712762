import { render, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { session, useSession, whenSignedOut, type Session } from './api.js';
import { ErrorBox } from './ui.js';
import { SignIn, MfaStep, ChangePassword } from './pages/sign-in.js';
import { Dashboard } from './pages/dashboard.js';
import { Groups, GroupDetail, CreateGroup } from './pages/groups.js';
import { Users, UserDetail, CreateUser } from './pages/users.js';
import { Roles, RoleDetail, CreateRole } from './pages/roles.js';
import { Policies, PolicyDetail, CreatePolicy } from './pages/policies.js';
import { AccountSettings } from './pages/account.js';
import { MySecurityCredentials } from './pages/my-credentials.js';
import { SwitchRole } from './pages/switch-role.js';
import { Decisions } from './pages/decisions.js';
import { Buckets, BucketDetail, CreateBucket } from './pages/s3.js';
import { Instances, KeyPairs } from './pages/ec2.js';
import { DynamoTable, DynamoTables } from './pages/dynamodb.js';
import { AccessAnalyzer, CredentialReport, IdentityProviders, PolicySimulator } from './pages/tools.js';

/** The hash route: #/users/alice → ['users', 'alice']. */
function useRoute(): string[] {
  const parse = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(parse());
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

const NAV: Array<[string, string]> = [
  ['', 'Dashboard'],
  ['groups', 'User groups'],
  ['users', 'Users'],
  ['roles', 'Roles'],
  ['policies', 'Policies'],
  ['providers', 'Identity providers'],
  ['account', 'Account settings'],
  ['credential-report', 'Credential report'],
  ['access-analyzer', 'Access analyzer'],
  ['simulator', 'Policy simulator'],
  ['decisions', 'Decisions'],
];
const S3_NAV: Array<[string, string]> = [['s3', 'S3 buckets']];
const MORE_NAV: Array<[string, string]> = [['ec2', 'EC2 instances'], ['key-pairs', 'EC2 key pairs'], ['dynamodb', 'DynamoDB tables']];

function App() {
  const [s, setS] = useState<Session | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const route = useRoute();
  const update = (next: Session) => {
    useSession(next);
    setS(next);
  };
  useEffect(() => {
    whenSignedOut(() => update({ signedIn: false }));
    session.get().then(update, setError);
  }, []);
  if (error) return <main class="center"><ErrorBox error={error} /></main>;
  if (!s) return <main class="center"><p>Loading…</p></main>;
  if (!s.signedIn) return <SignIn onSignedIn={update} />;
  if (s.state === 'mfa') return <MfaStep session={s} onDone={update} />;
  if (s.state === 'password') return <ChangePassword session={s} onDone={update} />;
  const signOut = () => session.signOut().then(update, setError);
  const identity = s.role ?? (s.kind === 'root' ? `root @ ${s.accountLabel}` : `${s.userName} @ ${s.accountLabel}`);
  const [page, ...args] = route;
  return (
    <Shell s={s} page={page ?? ''} identity={identity} signOut={signOut} switchBack={() => session.switchBack().then(update, setError)}>
      <Page page={page ?? ''} args={args} s={s} update={update} />
    </Shell>
  );
}

function Shell({ s, page, identity, signOut, switchBack, children }: {
  s: Session; page: string; identity: string; signOut: () => void; switchBack: () => void; children: ComponentChildren;
}) {
  // On a phone the navigation is one sideways strip: keep the current page's link in sight.
  useEffect(() => {
    document.querySelector('.side a[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }, [page]);
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/">iamlocal <span>console</span></a>
        <div class="who">
          <span class={s.role ? 'identity role' : 'identity'} data-testid="identity">{identity}</span>
          {!s.role && <a href="#/my-credentials">My security credentials</a>}
          {s.role
            ? <button type="button" onClick={switchBack}>Switch back</button>
            : s.kind === 'user' && <a href="#/switch-role">Switch role</a>}
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <nav class="side" aria-label="IAM">
        <p class="section">Access management</p>
        <ul>
          {NAV.map(([to, label]) => (
            <li key={to}><a href={`#/${to}`} aria-current={page === to ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul>
        <p class="section">Storage</p>
        <ul>
          {S3_NAV.map(([to, label]) => (
            <li key={to}><a href={`#/${to}`} aria-current={page === to ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul>
        <p class="section">Compute and database</p>
        <ul>
          {MORE_NAV.map(([to, label]) => (
            <li key={to}><a href={`#/${to}`} aria-current={page === to ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <main class="content">{children}</main>
    </div>
  );
}

function Page({ page, args, s, update }: { page: string; args: string[]; s: Session; update: (s: Session) => void }) {
  switch (page) {
    case '': return <Dashboard s={s} />;
    case 'groups': return args[0] === '$create' ? <CreateGroup /> : args[0] ? <GroupDetail name={args[0]} /> : <Groups />;
    case 'users': return args[0] === '$create' ? <CreateUser /> : args[0] ? <UserDetail name={args[0]} tab={args[1]} s={s} /> : <Users />;
    case 'roles': return args[0] === '$create' ? <CreateRole s={s} /> : args[0] ? <RoleDetail name={args[0]} /> : <Roles />;
    case 'policies': return args[0] === '$create' ? <CreatePolicy /> : args[0] ? <PolicyDetail arn={args.join('/')} /> : <Policies />;
    case 'account': return <AccountSettings />;
    case 'my-credentials': return <MySecurityCredentials s={s} />;
    case 'switch-role': return <SwitchRole s={s} onSwitched={update} />;
    case 'decisions': return <Decisions />;
    case 'providers': return <IdentityProviders />;
    case 'credential-report': return <CredentialReport />;
    case 'access-analyzer': return <AccessAnalyzer />;
    case 'simulator': return <PolicySimulator />;
    case 'ec2': return <Instances />;
    case 'key-pairs': return <KeyPairs />;
    case 'dynamodb': return args[0] ? <DynamoTable name={args[0]} /> : <DynamoTables />;
    case 's3': return args[0] === '$create' ? <CreateBucket /> : args[0] ? <BucketDetail bucket={args[0]} tab={args[1]} /> : <Buckets />;
    default: return <p>No such page.</p>;
  }
}

render(<App />, document.getElementById('app')!);

/**
 * Child process for the kill -9 durability test: commits one transaction, prints
 * "committed", then waits to be killed. Run with no arguments (as a test runner scanning
 * test/ would), it does nothing.
 */
import { Store } from '../../src/store/store.js';
import { ensureAccount } from '../../src/identity/accounts.js';

const [dataDir, accountId, userName] = process.argv.slice(2);
if (dataDir && accountId && userName) {
  const store = new Store(dataDir);
  ensureAccount(store, accountId);
  store.tx(() => {
    store.db
      .prepare("INSERT INTO users (account_id, user_id, user_name, path, created_at) VALUES (?, 'AIDAKILLTESTKILLTEST1', ?, '/', ?)")
      .run(accountId, userName, Date.now());
  });
  process.stdout.write('committed\n');
  setInterval(() => {}, 1000);
}

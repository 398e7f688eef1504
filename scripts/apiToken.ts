// npm run api-token -- create --name NAME | list | revoke --id ID
// Manages the API tokens of integration clients until the back office has a page for it.
import { parseArgs } from 'node:util';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/apiTokens.ts';
import { withDatabase } from './scriptDatabase.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, id: { type: 'string' } } });
const [command] = positionals;
const usage = 'Usage: npm run api-token -- create --name NAME | list | revoke --id ID';

if (command === 'create' && values.name) {
  await withDatabase(async (db) => {
    const created = await createApiToken(db, values.name!);
    console.log(`Token ${created.id} for "${created.name}". Copy it now; it is not shown again:\n\n${created.token}\n`);
    return 0;
  });
} else if (command === 'list') {
  await withDatabase(async (db) => {
    for (const token of await listApiTokens(db)) {
      const state = token.revoked_at ? `revoked ${token.revoked_at.toISOString()}` : `last used ${token.last_used_at?.toISOString() ?? 'never'}`;
      console.log(`${token.id}\t${token.name}\tcreated ${token.created_at.toISOString()}\t${state}`);
    }
    return 0;
  });
} else if (command === 'revoke' && values.id && /^\d+$/.test(values.id)) {
  await withDatabase(async (db) => {
    const revoked = await revokeApiToken(db, Number(values.id));
    console.log(revoked ? `Token ${values.id} revoked.` : `No active token ${values.id}.`);
    return revoked ? 0 : 1;
  });
} else {
  console.error(usage);
  process.exit(2);
}

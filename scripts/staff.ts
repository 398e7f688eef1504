// `npm run staff -- create --email E --role R [--role R2] [--name N] [--language en|es]`
// creates a back-office account and prints a one-time link to set its password.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { STAFF_ROLES } from '../domain/accounts.ts';
import { LANGUAGES } from '../domain/language.ts';
import { createInvitedAccount } from '../services/identity/invitations.ts';
import { withDatabase } from './scriptDatabase.ts';

const USAGE = `Usage: npm run staff -- create --email someone@hospital.org --role ROLE [--role ROLE] [--name "Full Name"] [--language en|es]
Roles: ${STAFF_ROLES.join(', ')}`;

const argumentsSchema = z.object({
  command: z.literal('create', { error: 'the only command is "create"' }),
  email: z.email({ error: '--email must be an email address' }),
  role: z.array(z.enum(STAFF_ROLES, { error: `--role must be one of ${STAFF_ROLES.join(', ')}` })).min(1, { error: 'give at least one --role' }),
  name: z.string().min(1).optional(),
  language: z.enum(LANGUAGES, { error: '--language must be en or es' }).default('en'),
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, role: { type: 'string', multiple: true }, name: { type: 'string' }, language: { type: 'string' } },
});
const parsed = argumentsSchema.safeParse({ command: positionals[0], ...values });
if (!parsed.success) {
  console.error(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${USAGE}`);
  process.exit(2);
}
const { email, role, name, language } = parsed.data;

await withDatabase(async (db, config) => {
  const result = await db.transaction((trx) =>
    createInvitedAccount(trx, { config, now: () => new Date() }, {
      kind: 'staff',
      email,
      name: name ?? email.split('@')[0]!,
      roles: role,
      preferredLanguage: language,
      invitedBy: { actorType: 'system' },
    }),
  );
  if (!result.ok) {
    console.error(`There is already a staff account for ${email}.`);
    return 1;
  }
  console.log(`Staff account created for ${email} (${role.join(', ')}).`);
  console.log(`Send them this link to set a password (it works once, for ${config.tokens.invitationLinkHours} hours):\n${result.link}`);
  return 0;
});

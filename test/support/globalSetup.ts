// Mocha root hooks: stop the shared test PostgreSQL (if a test started it) at the end.
import { stopTestServer } from './database.ts';

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestServer();
}

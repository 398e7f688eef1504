// Mocha's global fixtures and root hooks, loaded with --require in every process.
// - The main process starts one test PostgreSQL (with its migrated template) before any file
//   runs, when the run has files outside test/unit, and passes its address to the parallel
//   workers in TEST_POSTGRES_URL; a process without it starts its own on first use.
// - Each file's wall time is written to TEST_TIMINGS_DIR, for the reporter's slowest files.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { needsDatabase, SHARED_SERVER_ENV, stopTestServer, testServer } from './database.ts';

// Read by test/support/summaryReporter.cjs, which prints the slowest files.
const TIMINGS_DIR_ENV = 'TEST_TIMINGS_DIR';
const TIMINGS_FILE = 'files.ndjson';

export async function mochaGlobalSetup(): Promise<void> {
  process.env[TIMINGS_DIR_ENV] ??= mkdtempSync(path.join(os.tmpdir(), 'portal-test-timings-'));
  if (!process.env[SHARED_SERVER_ENV] && needsDatabase(process.argv.slice(2))) {
    process.env[SHARED_SERVER_ENV] = (await testServer()).urlFor('postgres');
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestServer();
  const dir = process.env[TIMINGS_DIR_ENV];
  // The reporter has read the timings by now (it prints when the run ends, before teardown).
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// In parallel mode root hooks run once per file, in the worker running it; in serial mode once
// for the whole run, so the reporter times files itself there (see summaryReporter.cjs).
let started = 0;
export const mochaHooks = {
  beforeAll(): void {
    started = performance.now();
  },
  afterAll(this: Mocha.Context): void {
    const dir = process.env[TIMINGS_DIR_ENV];
    const root = this.test?.parent;
    const files = new Set((root?.suites ?? []).map((suite) => suite.file).filter(Boolean));
    if (!dir || !process.env.MOCHA_WORKER_ID || files.size !== 1) return;
    const [file] = files;
    appendFileSync(path.join(dir, TIMINGS_FILE), `${JSON.stringify({ file, ms: Math.round(performance.now() - started) })}\n`);
  },
};

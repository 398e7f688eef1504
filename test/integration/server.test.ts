import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import { freePort, temporaryDirectory } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Running {
  const { DATABASE_URL: _external, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env: { ...inherited, LOG_LEVEL: 'info', NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(server: Running, text: string): Promise<void> {
  await eventually(`the server to print "${text}"`, () => {
    if (server.output().includes(text)) return true;
    if (server.child.exitCode !== null) throw new Error(`the server exited before printing "${text}":\n${server.output()}`);
    return undefined;
  }, 60_000);
}

describe('the server process (npm start)', function () {
  this.timeout(120000);
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
  let env: Record<string, string>;

  before(async () => {
    dir = await temporaryDirectory('portal-server-');
    env = { DATA_DIR: dir.path, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
  });
  after(() => dir.remove());

  it('starts embedded PostgreSQL, serves, finishes an in-flight request on SIGTERM and exits 0 before its shutdown deadline', async () => {
    const server = startServer(env);
    await waitForOutput(server, 'Portal running at http://localhost:');
    expect(server.output()).to.include('database migrated');
    expect((await fetch(`http://127.0.0.1:${env.PORT}/`)).status).to.equal(200);

    const database = new pg.Client({ connectionString: `postgres://postgres:embedded-local-only@127.0.0.1:${env.EMBEDDED_PG_PORT}/portal` });
    await database.connect();
    await database.query(`INSERT INTO support_requests (reference, name, email, portal, topic, message, language) VALUES ('SR-KEEPME22', 'n', 'e@x.org', 'family', 'other', 'm', 'en')`);
    await database.end();

    // A request whose body is still arriving when the signal comes must still be answered. It asks
    // for "100 Continue", so the test knows the server has read its headers before signalling.
    const socket = connect(Number(env.PORT), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    const interim = new Promise((resolve) => socket.on('data', (chunk) => (response += chunk.toString()).includes('100 Continue') && resolve(undefined)));
    const body = 'name=Ana&email=a%40b.org';
    socket.write(`POST /contact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    await interim;
    server.child.kill('SIGTERM');
    await waitForOutput(server, 'shutting down');
    socket.end(body.slice(5));

    const code = await server.exited;
    expect(code).to.equal(0);
    // The server's own deadline (SHUTDOWN_DEADLINE_MS) exits 1 when stopping takes too long.
    expect(response).to.match(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 403/); // answered (no CSRF token), not cut off
  });

  it('reuses the same data on a second start', async () => {
    const server = startServer(env);
    await waitForOutput(server, 'Portal running at');
    expect(server.output()).not.to.include('database migrated');
    const database = new pg.Client({ connectionString: `postgres://postgres:embedded-local-only@127.0.0.1:${env.EMBEDDED_PG_PORT}/portal` });
    await database.connect();
    const { rows } = await database.query(`SELECT reference FROM support_requests`);
    await database.end();
    expect(rows).to.deep.equal([{ reference: 'SR-KEEPME22' }]);
    server.child.kill('SIGINT');
    expect(await server.exited).to.equal(0);
  });

  it('refuses to start with a bad variable, naming it', async () => {
    const server = startServer({ ...env, PORT: 'eighty' });
    expect(await server.exited).to.equal(1);
    expect(server.output()).to.include('PORT must be a whole number from 1 to 65535 (got "eighty")');
  });
});

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
  return watch(spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env: serverEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** `npm start` itself, as the leader of a process group of its own, as a terminal would start it. */
function startThroughNpm(env: Record<string, string>): Running {
  const running = watch(spawn('npm', ['start'], { env: serverEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  npmGroups.push(running.child.pid!);
  return running;
}
// Whatever a failed test left running in npm's group is killed after it, so the next test can start.
const npmGroups: number[] = [];

function serverEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _external, ...inherited } = process.env;
  return { ...inherited, LOG_LEVEL: 'info', NODE_ENV: 'development', ...env };
}

function watch(child: ChildProcess): Running {
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
  afterEach(() => {
    for (const group of npmGroups.splice(0)) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Nothing left in it: the test stopped everything itself.
      }
    }
  });

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

  it('stops completely, database included, when SIGTERM is sent to the npm start process alone', async () => {
    const server = startThroughNpm(env);
    await waitForOutput(server, 'Portal running at');
    expect((await fetch(`http://127.0.0.1:${env.PORT}/`)).status).to.equal(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    expect(server.output()).to.include('stopped');
    expect(await accepts(Number(env.PORT))).to.equal(false, 'the portal still serves');
    expect(await accepts(Number(env.EMBEDDED_PG_PORT))).to.equal(false, 'the database still runs');
  });

  it('lets a request in flight write to the database when Ctrl-C stops npm start', async () => {
    const server = startThroughNpm(env);
    await waitForOutput(server, 'Portal running at');
    const origin = `http://127.0.0.1:${env.PORT}`;
    const form = await fetch(`${origin}/contact`);
    const cookie = form.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const body = new URLSearchParams({ _csrf: token, name: 'Ana', email: 'ana@example.org', portal: 'family', topic: 'signIn', message: 'Sent while the portal stopped.' }).toString();

    const socket = connect(Number(env.PORT), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    const interim = new Promise((resolve) => socket.on('data', (chunk) => (response += chunk.toString()).includes('100 Continue') && resolve(undefined)));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.write(`POST /contact HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    await interim;
    // A terminal's Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-server.child.pid!, 'SIGINT');
    await waitForOutput(server, 'shutting down');
    // The rest of the body, without closing our side: the server closes once it has answered.
    socket.write(body.slice(5));
    await ended;

    expect(await server.exited).to.equal(0);
    // Stored, then sent on to "sent": the database was still there for it.
    expect(response).to.match(/HTTP\/1\.1 303[^]*Location: \/contact\/sent/);
    expect(await accepts(Number(env.EMBEDDED_PG_PORT))).to.equal(false, 'the database still runs');
  });

  it('refuses to start with a bad variable, naming it', async () => {
    const server = startServer({ ...env, PORT: 'eighty' });
    expect(await server.exited).to.equal(1);
    expect(server.output()).to.include('PORT must be a whole number from 1 to 65535 (got "eighty")');
  });
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

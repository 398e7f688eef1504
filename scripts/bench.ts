// npm run bench: requests/s, p50 and p99 for / and /healthz, beside a bare node:http
// server answering the same bytes (the floor this stack is measured against), and the
// gzip transfer size of the home page with its CSS and JavaScript. Loopback only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { openBenchDatabase, startBenchApp } from './benchHarness.ts';
import { benchImport } from './benchImport.ts';
import { benchMessages } from './benchMessages.ts';
import { benchRecord } from './benchRecord.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function measure(url: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  const portal = await startBenchApp(database);
  const appOrigin = portal.origin;

  // The bare server answers with exactly the bytes and content type the app sent.
  const captured = new Map<string, { body: Buffer; type: string }>();
  for (const path of ['/', '/healthz']) {
    const response = await fetch(appOrigin + path);
    captured.set(path, { body: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') ?? 'text/html' });
  }
  const bareServer = createServer((req, res) => {
    const answer = captured.get(req.url ?? '/') ?? captured.get('/')!;
    res.writeHead(200, { 'Content-Type': answer.type, 'Content-Length': answer.body.length });
    res.end(answer.body);
  });
  const bareOrigin = await listenOn(bareServer);

  console.log(`Each run: ${CONNECTIONS} connections for ${DURATION_SECONDS} s on loopback.\n`);
  console.log('path       server   requests/s   p50 ms   p99 ms   share of bare');
  for (const path of ['/', '/healthz']) {
    const bare = await measure(bareOrigin + path);
    const app = await measure(appOrigin + path);
    const row = (name: string, r: typeof bare, ratio: string) =>
      console.log(`${path.padEnd(10)} ${name.padEnd(8)} ${r.requestsPerSecond.toFixed(0).padStart(10)}   ${String(r.p50).padStart(6)}   ${String(r.p99).padStart(6)}   ${ratio}`);
    row('bare', bare, '');
    row('portal', app, `${((app.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)}%`);
  }

  const home = captured.get('/')!.body;
  const assets = [...home.toString().matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  let total = gzipSync(home).length;
  console.log(`\nHome page transfer size (gzip): HTML ${gzipSync(home).length} B`);
  for (const asset of assets) {
    const body = Buffer.from(await (await fetch(appOrigin + asset)).arrayBuffer());
    total += gzipSync(body).length;
    console.log(`  ${asset}: ${body.length} B raw, ${gzipSync(body).length} B gzip`);
  }
  console.log(`  total: ${total} B gzip (${(total / 1024).toFixed(1)} KiB); raw HTML ${home.length} B`);

  bareServer.close();
  await portal.close();
  await database.close();
}

// `npm run bench -- import` measures the FHIR import instead; `-- record` the health record pages;
// `-- messages` secure messaging.
const benchmarks: Record<string, () => Promise<void>> = { import: benchImport, record: benchRecord, messages: benchMessages };
(benchmarks[process.argv[2] ?? ''] ?? main)().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

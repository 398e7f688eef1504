// npm run bench -- import: generates 10,000 synthetic patients into one large transaction
// bundle file, imports it through the streaming JSON path in one transaction, and prints
// resources per second and the peak memory (RSS) while importing.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { entriesFromJsonStream, importFhir } from '../services/fhirImport/index.ts';
import { syntheticBundles } from '../synth/index.ts';
import { temporaryDirectory } from '../test/support/database.ts';
import { openBenchDatabase } from './benchHarness.ts';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const TODAY = '2026-11-22';
const MB = 1024 * 1024;

/** Writes every generated bundle's entries into one bundle, entry by entry. */
async function writeOneBundle(file: string): Promise<number> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"resourceType":"Bundle","type":"transaction","entry":[');
  let entries = 0;
  for (const bundle of syntheticBundles({ patients: PATIENTS, seed: 1, today: TODAY })) {
    for (const entry of bundle.entry) await write((entries++ ? ',' : '') + JSON.stringify(entry));
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return entries;
}

export async function benchImport(): Promise<void> {
  const database = await openBenchDatabase(4);
  const { db } = database;
  const dir = await temporaryDirectory('portal-bench-import-');
  try {
    const file = path.join(dir.path, 'bundle.json');
    let started = performance.now();
    const entries = await writeOneBundle(file);
    const size = (await stat(file)).size;
    console.log(`Generated ${PATIENTS} patients: ${entries} resources, one ${(size / MB).toFixed(0)} MB transaction bundle, in ${((performance.now() - started) / 1000).toFixed(1)} s.`);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    started = performance.now();
    const result = await importFhir(db, entriesFromJsonStream(createReadStream(file)), { timeZone: 'America/New_York', actor: { type: 'system' } });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.problems.slice(0, 3))}`);
    const stored = result.counts.created + result.counts.updated;
    console.log(`Imported ${stored} resources for ${result.patientCount} patients in ${seconds.toFixed(1)} s: ${Math.round(stored / seconds)} resources/s (${(size / MB / seconds).toFixed(1)} MB/s of JSON).`);
    console.log(`Peak RSS while importing: ${(peak / MB).toFixed(0)} MB (${(baseline / MB).toFixed(0)} MB before), for a ${(size / MB).toFixed(0)} MB file.`);
  } finally {
    await database.close();
    await dir.remove();
  }
}

// The synthetic hospital the benchmarks measure against: generated with synth/ into one large
// transaction bundle file, then imported through the FHIR importer's streaming JSON path in one
// transaction, as a real load would be. Shared by `npm run bench -- import` and `-- record`.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Database } from '../data/database.ts';
import { entriesFromJsonStream, importFhir } from '../services/fhirImport/index.ts';
import type { Bundle } from '../synth/fhir.ts';
import { syntheticBundles } from '../synth/index.ts';
import { temporaryDirectory } from '../test/support/database.ts';

export interface SyntheticLoad {
  patients: number;
  seed: number;
  /** 'YYYY-MM-DD' the record is "as of". */
  today: string;
  /** Bundles written after the generated ones (they may refer to the shared directory). */
  extraBundles?: Bundle[];
  /** Told when the file is written, before the (longer) import starts. */
  onGenerated?: (generated: { entries: number; bytes: number; seconds: number }) => void;
}

export interface SyntheticImport {
  entries: number;
  bytes: number;
  generateSeconds: number;
  importSeconds: number;
  /** Resources created or updated. */
  stored: number;
  patientCount: number;
  /** RSS before importing, and its peak while importing. */
  baselineRss: number;
  peakRss: number;
}

/** Writes every bundle's entries into one bundle, entry by entry. */
async function writeOneBundle(file: string, bundles: Iterable<Bundle>): Promise<number> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"resourceType":"Bundle","type":"transaction","entry":[');
  let entries = 0;
  for (const bundle of bundles) {
    for (const entry of bundle.entry) await write((entries++ ? ',' : '') + JSON.stringify(entry));
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return entries;
}

function* allBundles(load: SyntheticLoad): Generator<Bundle> {
  yield* syntheticBundles({ patients: load.patients, seed: load.seed, today: load.today });
  yield* load.extraBundles ?? [];
}

/** Generates and imports the synthetic patients; throws when the importer refuses them. */
export async function importSyntheticPatients(db: Database, load: SyntheticLoad): Promise<SyntheticImport> {
  const dir = await temporaryDirectory('portal-bench-import-');
  try {
    const file = path.join(dir.path, 'bundle.json');
    let started = performance.now();
    const entries = await writeOneBundle(file, allBundles(load));
    const bytes = (await stat(file)).size;
    const generateSeconds = (performance.now() - started) / 1000;
    load.onGenerated?.({ entries, bytes, seconds: generateSeconds });

    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    started = performance.now();
    try {
      const result = await importFhir(db, entriesFromJsonStream(createReadStream(file)), { timeZone: 'America/New_York', actor: { type: 'system' } });
      if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const importSeconds = (performance.now() - started) / 1000;
      return { entries, bytes, generateSeconds, importSeconds, stored: result.counts.created + result.counts.updated, patientCount: result.patientCount, baselineRss, peakRss };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await dir.remove();
  }
}

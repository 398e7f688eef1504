// npm run import -- FILE...: imports FHIR R4 files (a .json transaction or collection bundle,
// or .ndjson resources), each file all or nothing. Large files are streamed.
import { createReadStream } from 'node:fs';
import { importFhir, sourceFor } from '../services/fhirImport/index.ts';
import { withDatabase } from './scriptDatabase.ts';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('Usage: npm run import -- FILE... (.json bundles or .ndjson resources)');
  process.exit(2);
}

await withDatabase(async (db, config) => {
  let failed = 0;
  for (const file of files) {
    const format = /\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : 'json';
    const started = performance.now();
    const result = await importFhir(db, sourceFor(format, createReadStream(file)), {
      timeZone: config.hospital.timeZone,
      mrnSystem: config.fhir.mrnSystem,
      actor: { type: 'system' },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      const skipped = Object.entries(result.counts.skipped).map(([type, n]) => `${n} ${type}`).join(', ');
      console.log(`${file}: ${result.counts.created} created, ${result.counts.updated} updated${skipped ? `, not kept: ${skipped}` : ''} (${seconds} s)`);
    } else {
      failed += 1;
      console.error(`${file}: refused, nothing stored (${result.problemCount} problems)`);
      for (const problem of result.problems) console.error(`  ${problem.location}: ${problem.message}`);
    }
  }
  return failed ? 1 : 0;
});

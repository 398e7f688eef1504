// npm run bench -- import: generates 10,000 synthetic patients into one large transaction
// bundle file, imports it through the streaming JSON path in one transaction, and prints
// resources per second and the peak memory (RSS) while importing.
import { openBenchDatabase } from './benchHarness.ts';
import { importSyntheticPatients } from './benchPatients.ts';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const TODAY = '2026-11-22';
const MB = 1024 * 1024;

export async function benchImport(): Promise<void> {
  const database = await openBenchDatabase(4);
  try {
    const load = await importSyntheticPatients(database.db, {
      patients: PATIENTS,
      seed: 1,
      today: TODAY,
      onGenerated: ({ entries, bytes, seconds }) =>
        console.log(`Generated ${PATIENTS} patients: ${entries} resources, one ${(bytes / MB).toFixed(0)} MB transaction bundle, in ${seconds.toFixed(1)} s.`),
    });
    const size = load.bytes / MB;
    console.log(
      `Imported ${load.stored} resources for ${load.patientCount} patients in ${load.importSeconds.toFixed(1)} s: ${Math.round(load.stored / load.importSeconds)} resources/s (${(size / load.importSeconds).toFixed(1)} MB/s of JSON).`,
    );
    console.log(`Peak RSS while importing: ${(load.peakRss / MB).toFixed(0)} MB (${(load.baselineRss / MB).toFixed(0)} MB before), for a ${size.toFixed(0)} MB file.`);
  } finally {
    await database.close();
  }
}

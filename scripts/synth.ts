// npm run synth -- --patients N --seed S [--out DIR] [--today YYYY-MM-DD]
// Writes synthetic pediatric FHIR R4: directory.json (clinics, practices, clinicians), then
// one transaction bundle per family. Import them with `npm run import -- DIR/*.json`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { localDateOf } from '../domain/localDate.ts';
import { syntheticBundles } from '../synth/index.ts';

const { values } = parseArgs({
  options: { patients: { type: 'string' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'synthetic' }, today: { type: 'string' } },
});
const config = loadConfig();
const patients = Number(values.patients);
const seed = Number(values.seed);
const today = values.today ?? localDateOf(new Date(), config.hospital.timeZone);
if (!Number.isInteger(patients) || patients < 1 || !Number.isInteger(seed) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
  console.error('Usage: npm run synth -- --patients N --seed S [--out DIR] [--today YYYY-MM-DD]');
  process.exit(2);
}

await mkdir(values.out, { recursive: true });
let index = 0;
for (const bundle of syntheticBundles({ patients, seed, today, timeZone: config.hospital.timeZone, mrnSystem: config.fhir.mrnSystem })) {
  const name = index === 0 ? 'directory.json' : `family-${String(index).padStart(6, '0')}.json`;
  await writeFile(path.join(values.out, name), JSON.stringify(bundle));
  index += 1;
}
console.log(`Wrote ${index} bundles (${patients} patients, seed ${seed}, as of ${today}) to ${values.out}/`);

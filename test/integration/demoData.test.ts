import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { DEMO_PATIENTS, findDemoPatients, importDemoData } from '../../services/demoData.ts';

describe('demo data', () => {
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
  });
  after(() => database.drop());
  const count = async (table: string) => Number((await database.db(table).count({ n: '*' }).first())!.n);

  it('imports about 200 patients into an empty record, once, even when started twice at the same time', async () => {
    expect(await findDemoPatients(database.db)).to.deep.equal({});
    const [first, second] = await Promise.all([importDemoData(database.db, { today: '2026-11-22' }), importDemoData(database.db, { today: '2026-11-22' })]);
    expect([first, second].map((r) => r.imported).sort()).to.deep.equal([false, true]);
    expect(first.patients + second.patients).to.equal(200);
    expect(await count('patients')).to.equal(200);
    expect(await importDemoData(database.db, { today: '2026-11-22' })).to.deep.equal({ imported: false, patients: 0 });
  });

  it('finds the well-known demo patients by their fixed MRNs', async () => {
    const found = await findDemoPatients(database.db);
    expect(Object.keys(found).sort()).to.deep.equal(Object.keys(DEMO_PATIENTS).sort());
    const teen = found.teenWithConfidentialVisit!;
    expect(teen.mrn).to.equal('90000002');
    const confidential = await database.db('encounters').where({ patient_id: teen.id, confidential: true }).first();
    expect(confidential.department_code).to.be.oneOf(['adolescent-medicine', 'gynecology']);
    const sensitive = await database.db('lab_observations').where({ patient_id: teen.id, confidential: true }).first();
    expect(sensitive.sensitivity_labels).to.have.length(1);
    const guardian = await database.db('related_persons').where({ patient_id: found.adultWithGuardian!.id }).first();
    expect(guardian).to.include({ relationship_code: 'GUARD', is_legal_guardian: true, guardianship_papers_on_file: true });
    const siblings = await database.db('patients').whereIn('id', [found.sixYearOld!.id, teen.id]).pluck('family_name');
    expect(siblings[0]).to.equal(siblings[1]);
    expect(await database.db('patients').where({ id: found.spanishSpeakingChild!.id }).first()).to.include({ preferred_language: 'es' });
  });
});

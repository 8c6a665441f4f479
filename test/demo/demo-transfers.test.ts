import { loadConfig } from '../../src/config';
import { loadAgencies } from '../../src/access/agreements';
import { loadCrimeCatalogue } from '../../src/domains/case-transfer';
import { showTransfers, transferableCases } from '../../src/demo/demo-transfers';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestHub } from '../support/test-hub';

/*
 * The demo leaves one case transfer at each stage of 两法衔接 through the API, deterministically
 * (the world's catalogue cases by case number), and a restart adds none.
 */

const config = loadConfig({});
const catalogue = loadCrimeCatalogue(config.crimeCatalogueFile);
let t: TestHub;

beforeAll(async () => {
  // Large enough for seven catalogue cases the transport system has not transferred.
  t = await startTestHub('demo_transfers', { size: 0.2 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it('leaves one transfer at each stage, every step audited, and adds none on a restart', async () => {
  const cases = transferableCases(t.world, catalogue);
  expect(cases).toHaveLength(7);
  const printed = await showTransfers(t.world, catalogue, config.dataDir, loadAgencies(config.agreementsFile), t.hub.graphqlUrl);
  const owner = ownerPool(t.hub.db.url);
  try {
    const { rows } = await owner.query<{ case_number: string; status: string; invited: boolean }>(
      'select case_number, status, invited from case_transfer order by case_number',
    );
    expect(rows.map((r) => [r.case_number, r.invited ? `${r.status}+INVITED` : r.status])).toEqual([
      [cases[0].caseNumber, 'PREPARED'],
      [cases[1].caseNumber, 'PREPARED+INVITED'],
      [cases[2].caseNumber, 'SUBMITTED'],
      [cases[3].caseNumber, 'ACKNOWLEDGED'],
      [cases[4].caseNumber, 'FILED'],
      [cases[5].caseNumber, 'NOT_FILED'],
      [cases[6].caseNumber, 'RETURNED'],
    ]);
    expect(printed).toContain(cases[4].caseNumber);
    const again = await showTransfers(t.world, catalogue, config.dataDir, loadAgencies(config.agreementsFile), t.hub.graphqlUrl);
    expect(again).toContain('7 in the hub');
    expect((await owner.query('select 1 from case_transfer')).rowCount).toBe(7);
  } finally {
    await owner.end();
  }
});

import type { TestCaller, TestHub } from './test-hub';

/**
 * A caller that may read every plate's captures: a police case officer under an open case
 * transferred to the police, declaring `caseScope: ALL_PLATES` (which its agreement allows). API
 * tests of capture paging use it; what a case unlocks is tested in test/access/case-scope.test.ts.
 * The world's first open case is transferred in the hub's database for it.
 */
export async function policeWithAllPlates(t: TestHub): Promise<TestCaller> {
  const open = t.world.enforcementCases.find((c) => c.status !== 'CLOSED');
  if (!open) throw new Error('the test world has no open case');
  await t.hub.db.pool.query('update enforcement_case set transferred_to_police = true where case_number = $1', [open.caseNumber]);
  return { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation', caseNumber: open.caseNumber, caseScope: 'ALL_PLATES' };
}

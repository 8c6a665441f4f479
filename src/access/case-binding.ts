import type { SqlClient } from '../db/sql-client';

/**
 * Which agencies hold an enforcement case: the transport bureau, whose cases they are, and the
 * police once the case was transferred to them (两法衔接). Checkpoint captures are read only under
 * an open case the caller's agency holds.
 */
export async function isOpenCaseHeldBy(sql: SqlClient, caseNumber: string, agency: string): Promise<boolean> {
  const [row] = await sql.query<{ status: string; transferred_to_police: boolean }>(
    'select status, transferred_to_police from enforcement_case where case_number = $1 and deleted_at is null', [caseNumber]);
  if (!row || row.status === 'CLOSED') return false;
  if (agency === 'suzhou-transport') return true;
  return agency === 'suzhou-psb' && row.transferred_to_police;
}

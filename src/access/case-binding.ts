import type { EntityMetadata } from '@mikro-orm/postgresql';
import type { ReadScope } from '../db/read-scope';
import { EnforcementCase } from '../domains/enforcement/enforcement-case.entity';
import { rowScopePredicate } from './row-scope-sql';

/**
 * Which agencies hold an enforcement case: the transport bureau, whose cases they are, and the
 * police once the case was transferred to them (两法衔接). Checkpoint captures are read only under
 * an open case the caller's agency holds, and that the caller itself may see (a district officer
 * cannot borrow another district's case).
 */
export async function isOpenCaseHeldBy(scope: ReadScope, caseNumber: string, agency: string): Promise<boolean> {
  const params: unknown[] = [caseNumber];
  const meta = scope.em.getMetadata().get(EnforcementCase.name) as unknown as EntityMetadata;
  const scoped = rowScopePredicate(scope, meta, null, (value) => `$${params.push(value)}`);
  const [row] = await scope.sql.query<{ status: string; transferred_to_police: boolean }>(
    `select status, transferred_to_police from enforcement_case where case_number = $1 and deleted_at is null${scoped ? ` and ${scoped}` : ''}`, params);
  if (!row || row.status === 'CLOSED') return false;
  if (agency === 'suzhou-transport') return true;
  return agency === 'suzhou-psb' && row.transferred_to_police;
}

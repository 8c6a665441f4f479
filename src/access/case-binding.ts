import type { EntityMetadata } from '@mikro-orm/postgresql';
import type { ReadScope } from '../read-kit/rows/read-scope';
import { AccessDeniedError, ErrorCode } from '../errors';
import type { AccessGrant, CaseBinding } from './access-grant';
import { rowScopePredicate, scopePredicate } from '../read-kit/rows/row-scope-sql';

/** The only case scope a request may declare: captures of any plate, not only the case's vehicles. */
export const ALL_PLATES = 'ALL_PLATES';

/** The type holding cases, named as the agreements file names it (`cases.holds` conditions are on it). */
const CASE_TYPE = 'EnforcementCase';

/**
 * Binds the request's checkpoint captures to the case it names. The case must be open, one the
 * caller may see (a district officer cannot borrow another district's), and one its agreement's
 * consumer holds (`cases.holds` in the agreements file: the transport bureau its own cases, the
 * police those transferred to them, 两法衔接). A case unlocks only what it is about: the
 * captures of the vehicle it names and of its party enterprise's vehicles, unless the request
 * declares `caseScope: "ALL_PLATES"` and the agreement allows that (`cases.allPlates`).
 */
export async function bindCase(scope: ReadScope, grant: AccessGrant, caseNumber: string, caseScope: string | null): Promise<CaseBinding> {
  const agency = grant.viewer.agency;
  const rules = grant.agreement?.cases ?? null;
  if (caseScope !== null && caseScope !== ALL_PLATES) {
    throw new AccessDeniedError(ErrorCode.CASE_SCOPE, `caseScope must be "${ALL_PLATES}" or absent, got "${caseScope}"`, { caseScope });
  }
  if (caseScope === ALL_PLATES && !rules?.allPlates) {
    throw new AccessDeniedError(ErrorCode.CASE_SCOPE, `Agreement ${grant.agreement?.id ?? '(none)'} does not allow caseScope ${ALL_PLATES}; captures are read only for the vehicles the case names`, {
      caseScope, agreement: grant.agreement?.id ?? null,
    });
  }
  const notHeld = () => new AccessDeniedError(ErrorCode.CASE_NOT_VALID, `Case ${caseNumber} is not an open case held by ${agency}`, { caseNumber });
  if (!rules) throw notHeld();
  const params: unknown[] = [caseNumber];
  const place = (value: unknown) => `$${params.push(value)}`;
  const meta = scope.em.getMetadata().get(CASE_TYPE) as unknown as EntityMetadata;
  const visible = rowScopePredicate(scope, meta, 'k', place);
  const held = rules.holds.length ? scopePredicate(scope, meta, 'k', [rules.holds], place) : null;
  // One statement: the case, and the plates it names (its vehicle, its party enterprise's fleet).
  const [row] = await scope.sql.query<{ status: string; plates: Array<[string, string]> }>(`
    select k.status, (select coalesce(json_agg(json_build_array(n.p, n.c)), '[]'::json) from (
        select k.vehicle_plate_number as p, k.vehicle_plate_color as c where k.vehicle_plate_number is not null
        union
        select v.plate_number, v.plate_color from vehicle v where v.owner_uscc = k.party_uscc and v.deleted_at is null) n) as plates
      from enforcement_case k where k.case_number = $1 and k.deleted_at is null${visible ? ` and ${visible}` : ''}${held ? ` and ${held}` : ''}`, params);
  if (!row || row.status === 'CLOSED') throw notHeld();
  if (caseScope === ALL_PLATES) return { caseNumber, scope: ALL_PLATES };
  return { caseNumber, scope: 'CASE_VEHICLES', plates: row.plates.map(([p, c]) => [p, c] as const) };
}

import type { ReadScope } from '../read-kit/rows/read-scope';
import { AccessDeniedError, ErrorCode } from '../errors';
import type { AccessGrant, CaseBinding } from './access-grant';

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
    throw new AccessDeniedError(
      ErrorCode.CASE_SCOPE,
      `Agreement ${grant.agreement?.id ?? '(none)'} does not allow caseScope ${ALL_PLATES}; captures are read only for the vehicles the case names`,
      {
        caseScope,
        agreement: grant.agreement?.id ?? null,
      },
    );
  }
  const notHeld = () => new AccessDeniedError(ErrorCode.CASE_NOT_VALID, `Case ${caseNumber} is not an open case held by ${agency}`, { caseNumber });
  if (!rules) throw notHeld();
  // One statement: the case (one the caller sees and the consumer holds), and the plates it names.
  const row = (await scope.reads.decisionRow(
    CASE_TYPE,
    { caseNumber },
    {
      within: rules.holds.length ? [rules.holds] : null,
      properties: ['status', 'vehiclePlateNumber', 'vehiclePlateColor'],
      related: { fleet: { type: 'Vehicle', on: [['partyUscc', 'ownerUscc']], properties: ['plateNumber', 'plateColor'] } },
    },
  )) as { status: string; vehiclePlateNumber: string | null; vehiclePlateColor: string; fleet: Array<[string, string]> } | null;
  if (!row || row.status === 'CLOSED') throw notHeld();
  if (caseScope === ALL_PLATES) return { caseNumber, scope: ALL_PLATES };
  // Its vehicle and its party enterprise's fleet, each plate once.
  const plates = new Map(row.fleet.map(([p, c]) => [`${p}|${c}`, [p, c] as const]));
  if (row.vehiclePlateNumber !== null) plates.set(`${row.vehiclePlateNumber}|${row.vehiclePlateColor}`, [row.vehiclePlateNumber, row.vehiclePlateColor]);
  return { caseNumber, scope: 'CASE_VEHICLES', plates: [...plates.values()] };
}

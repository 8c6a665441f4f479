import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import type { CaseStatus, PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { instant, type Ordering, type Page } from '../../read-kit/pagination';
import { EnforcementCase } from './enforcement-case.entity';

loadAlways(EnforcementCase, ['caseNumber', 'partyUscc', 'partyIdNumber', 'vehiclePlateNumber', 'vehiclePlateColor', 'occurredAt']);

export interface EnforcementCaseFilter {
  divisionCode?: string | null;
  status?: CaseStatus | null;
  partyUscc?: string | null;
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  occurredFrom?: Date | null;
  occurredTo?: Date | null;
  transferredToPolice?: boolean | null;
}

export type EnforcementCaseOrderName = 'OCCURRED_AT_DESC' | 'OCCURRED_AT_ASC';

const occurredKeys: Ordering<EnforcementCase>['keys'] = [
  { property: 'occurredAt', column: 'occurred_at', type: 'instant', value: (c) => instant(c.occurredAt) },
  { property: 'caseNumber', column: 'case_number', type: 'text', value: (c) => c.caseNumber },
];

export const ENFORCEMENT_CASE_ORDERINGS: Record<EnforcementCaseOrderName, Ordering<EnforcementCase>> = {
  OCCURRED_AT_DESC: { name: 'OCCURRED_AT_DESC', direction: 'desc', keys: occurredKeys },
  OCCURRED_AT_ASC: { name: 'OCCURRED_AT_ASC', direction: 'asc', keys: occurredKeys },
};

const NEWEST_FIRST = [['occurredAt', 'desc'], ['caseNumber', 'asc']] as const;

/** Queries over enforcement cases. */
export class EnforcementCaseRepository {
  constructor(private readonly scope: ReadScope) {}

  findByCaseNumbers(caseNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(EnforcementCase, ['caseNumber'], caseNumbers.map((c) => [c]));
  }

  findByPartyUsccs(usccs: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(EnforcementCase, ['partyUscc'], usccs.map((u) => [u]), NEWEST_FIRST);
  }

  findByPartyIdNumbers(idNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(EnforcementCase, ['partyIdNumber'], idNumbers.map((i) => [i]), NEWEST_FIRST);
  }

  findByVehicles(keys: readonly VehicleKey[]): Promise<EnforcementCase[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.scope.reads.byKeys(EnforcementCase, ['vehiclePlateNumber', 'vehiclePlateColor'], keys.map((k) => [k.plateNumber, k.plateColor]), NEWEST_FIRST);
  }

  findPage(filter: EnforcementCaseFilter, order: EnforcementCaseOrderName, first?: number | null, after?: string | null): Promise<Page<EnforcementCase>> {
    return this.scope.reads.page(EnforcementCase, {
      divisionCode: filter.divisionCode, status: filter.status, partyUscc: filter.partyUscc,
      vehiclePlateNumber: filter.plateNumber, vehiclePlateColor: filter.plateColor,
      occurredAt: { gte: filter.occurredFrom, lt: filter.occurredTo }, transferredToPolice: filter.transferredToPolice,
    }, { ordering: ENFORCEMENT_CASE_ORDERINGS[order], first, after });
  }
}

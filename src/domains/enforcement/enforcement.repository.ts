import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import type { CaseStatus, PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { paginate, type Page } from '../../read-kit/pagination';
import { EnforcementCase } from './enforcement-case.entity';
import { enforcementCaseOrderings, type EnforcementCaseOrderName } from './enforcement.orderings';

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

const NEWEST_FIRST = [['occurredAt', 'desc'], ['caseNumber', 'asc']] as const;

/** Queries over enforcement cases. */
export class EnforcementCaseRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByCaseNumbers(caseNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return findRowsByKeys(this.scope, EnforcementCase, ['caseNumber'], caseNumbers.map((c) => [c]));
  }

  findByPartyUsccs(usccs: readonly string[]): Promise<EnforcementCase[]> {
    return findRowsByKeys(this.scope, EnforcementCase, ['partyUscc'], usccs.map((u) => [u]), NEWEST_FIRST);
  }

  findByPartyIdNumbers(idNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return findRowsByKeys(this.scope, EnforcementCase, ['partyIdNumber'], idNumbers.map((i) => [i]), NEWEST_FIRST);
  }

  findByVehicles(keys: readonly VehicleKey[]): Promise<EnforcementCase[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return findRowsByKeys(this.scope, EnforcementCase, ['vehiclePlateNumber', 'vehiclePlateColor'], keys.map((k) => [k.plateNumber, k.plateColor]), NEWEST_FIRST);
  }

  findPage(filter: EnforcementCaseFilter, order: EnforcementCaseOrderName, first?: number | null, after?: string | null): Promise<Page<EnforcementCase>> {
    const qb = this.em.createQueryBuilder(EnforcementCase, 'e').where({ deletedAt: null });
    if (filter.divisionCode) qb.andWhere({ divisionCode: filter.divisionCode });
    if (filter.status) qb.andWhere({ status: filter.status });
    if (filter.partyUscc) qb.andWhere({ partyUscc: filter.partyUscc });
    if (filter.plateNumber) qb.andWhere({ vehiclePlateNumber: filter.plateNumber });
    if (filter.plateColor) qb.andWhere({ vehiclePlateColor: filter.plateColor });
    if (filter.occurredFrom) qb.andWhere({ occurredAt: { $gte: filter.occurredFrom } });
    if (filter.occurredTo) qb.andWhere({ occurredAt: { $lt: filter.occurredTo } });
    if (filter.transferredToPolice !== null && filter.transferredToPolice !== undefined) {
      qb.andWhere({ transferredToPolice: filter.transferredToPolice });
    }
    return paginate(this.scope, qb, { ordering: enforcementCaseOrderings.ordering(order), first, after }, EnforcementCase);
  }
}

import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { EnterpriseStatus, LicenceScope, LicenceStatus } from '../common/enums';
import { rowsOf } from '../../read-kit/rows/where';
import type { Page } from '../../read-kit/pagination';
import { AbnormalOperation } from './abnormal-operation.entity';
import { Enterprise } from './enterprise.entity';
import { enterpriseOrderings, type EnterpriseOrderName } from './enterprise.orderings';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { ENTERPRISE_GROUPS, ENTERPRISE_STATS_READS, enterpriseAggregate, type EnterpriseGroupBy } from './enterprise.stats';

const ENTERPRISE_UNIT_READS = unitReads(ENTERPRISE_GROUPS, ENTERPRISE_STATS_READS.reads.groupBy);

export interface EnterpriseFilter {
  divisionCode?: string | null;
  status?: EnterpriseStatus | null;
  nameContains?: string | null;
  licenceScope?: LicenceScope | null;
  licenceStatus?: LicenceStatus | null;
}

/** Queries over enterprises and their abnormal-operation listings. */
export class EnterpriseRepository {
  constructor(private readonly scope: ReadScope) {}

  findByUsccs(usccs: readonly string[]): Promise<Enterprise[]> {
    return this.scope.reads.byKeys(
      Enterprise,
      ['uscc'],
      usccs.map((u) => [u]),
    );
  }

  findPage(filter: EnterpriseFilter, order: EnterpriseOrderName, first?: number | null, after?: string | null): Promise<Page<Enterprise>> {
    return this.scope.reads.page(
      Enterprise,
      {
        divisionCode: filter.divisionCode,
        status: filter.status,
        name: { contains: filter.nameContains },
        uscc:
          filter.licenceScope || filter.licenceStatus
            ? rowsOf('OperatorLicence', 'holderUscc', { scopes: filter.licenceScope ? { has: filter.licenceScope } : null, status: filter.licenceStatus })
            : null,
      },
      { ordering: enterpriseOrderings.ordering(order), first, after },
    );
  }

  findAbnormalOperationsByUsccs(usccs: readonly string[]): Promise<AbnormalOperation[]> {
    return this.scope.reads.byKeys(
      AbnormalOperation,
      ['uscc'],
      usccs.map((u) => [u]),
      [
        ['listedOn', 'desc'],
        ['sourceId', 'asc'],
      ],
    );
  }

  /** Enterprises counted by `groupBy`, as `enterpriseAggregate` defines units and suppression. */
  aggregate(
    filter: { divisionCode: string | null; status: EnterpriseStatus | null },
    groupBy: readonly EnterpriseGroupBy[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: enterpriseAggregate,
      where: { divisionCode: { startsWith: filter.divisionCode }, status: filter.status },
      groups: groupBy.map((g) => ENTERPRISE_GROUPS[g]),
      unitReads: ENTERPRISE_UNIT_READS,
      measures: [],
      ...options,
    });
  }
}

import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { CaseStatus, PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import type { Page } from '../../read-kit/pagination';
import { EnforcementCase } from './enforcement-case.entity';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { CASE_GROUPS, CASE_STATS_READS, caseAggregate, type CaseGroupBy } from './enforcement.stats';
import { enforcementCaseOrderings, type EnforcementCaseOrderName } from './enforcement.orderings';

const CASE_UNIT_READS = unitReads(CASE_GROUPS, CASE_STATS_READS.reads.groupBy);

export interface EnforcementCaseFilter {
  divisionCode?: string | null;
  status?: CaseStatus | null;
  partyUscc?: string | null;
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  occurredFrom?: Date | null;
  occurredTo?: Date | null;
  transferredToPolice?: boolean | null;
  decidedFrom?: Date | null;
  decidedTo?: Date | null;
}

const NEWEST_FIRST = [
  ['occurredAt', 'desc'],
  ['caseNumber', 'asc'],
] as const;

/** Queries over enforcement cases. */
export class EnforcementCaseRepository {
  constructor(private readonly scope: ReadScope) {}

  findByCaseNumbers(caseNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(
      EnforcementCase,
      ['caseNumber'],
      caseNumbers.map((c) => [c]),
    );
  }

  findByPartyUsccs(usccs: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(
      EnforcementCase,
      ['partyUscc'],
      usccs.map((u) => [u]),
      NEWEST_FIRST,
    );
  }

  findByPartyIdNumbers(idNumbers: readonly string[]): Promise<EnforcementCase[]> {
    return this.scope.reads.byKeys(
      EnforcementCase,
      ['partyIdNumber'],
      idNumbers.map((i) => [i]),
      NEWEST_FIRST,
    );
  }

  findByVehicles(keys: readonly VehicleKey[]): Promise<EnforcementCase[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.scope.reads.byKeys(
      EnforcementCase,
      ['vehiclePlateNumber', 'vehiclePlateColor'],
      keys.map((k) => [k.plateNumber, k.plateColor]),
      NEWEST_FIRST,
    );
  }

  findPage(filter: EnforcementCaseFilter, order: EnforcementCaseOrderName, first?: number | null, after?: string | null): Promise<Page<EnforcementCase>> {
    return this.scope.reads.page(
      EnforcementCase,
      {
        divisionCode: filter.divisionCode,
        status: filter.status,
        partyUscc: filter.partyUscc,
        vehiclePlateNumber: filter.plateNumber,
        vehiclePlateColor: filter.plateColor,
        occurredAt: { gte: filter.occurredFrom, lt: filter.occurredTo },
        decidedAt: { gte: filter.decidedFrom, lt: filter.decidedTo },
        transferredToPolice: filter.transferredToPolice,
      },
      { ordering: enforcementCaseOrderings.ordering(order), first, after },
    );
  }

  /** Cases in a window counted (and measured) by `groupBy`, as `caseAggregate` defines units and suppression. */
  aggregate(
    filter: { from: Date; to: Date; divisionCode: string | null; violationCode: string | null },
    groupBy: readonly CaseGroupBy[],
    measures: readonly string[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: caseAggregate,
      where: {
        occurredAt: { gte: filter.from, lt: filter.to },
        divisionCode: { startsWith: filter.divisionCode },
        violationCode: filter.violationCode,
      },
      groups: groupBy.map((g) => CASE_GROUPS[g]),
      unitReads: CASE_UNIT_READS,
      measures,
      ...options,
    });
  }
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import type { PractitionerStatus, QualificationCategory } from '../common/enums';
import { paginate, type Page } from '../../read-kit/pagination';
import { Practitioner } from './practitioner.entity';
import { practitionerOrderings, type PractitionerOrderName } from './practitioner.orderings';

export interface PractitionerFilter {
  employerUscc?: string | null;
  qualificationCategory?: QualificationCategory | null;
  status?: PractitionerStatus | null;
}

/** Queries over practitioners. */
export class PractitionerRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByIdNumbers(idNumbers: readonly string[]): Promise<Practitioner[]> {
    return findRowsByKeys(this.scope, Practitioner, ['idNumber'], idNumbers.map((i) => [i]));
  }

  findByEmployers(usccs: readonly string[]): Promise<Practitioner[]> {
    return findRowsByKeys(this.scope, Practitioner, ['employerUscc'], usccs.map((u) => [u]), [['certificateNumber', 'asc'], ['idNumber', 'asc']]);
  }

  findPage(filter: PractitionerFilter, order: PractitionerOrderName, first?: number | null, after?: string | null): Promise<Page<Practitioner>> {
    const qb = this.em.createQueryBuilder(Practitioner, 'e').where({ deletedAt: null });
    if (filter.employerUscc) qb.andWhere({ employerUscc: filter.employerUscc });
    if (filter.qualificationCategory) qb.andWhere({ qualificationCategory: filter.qualificationCategory });
    if (filter.status) qb.andWhere({ status: filter.status });
    return paginate(this.scope, qb, { ordering: practitionerOrderings.ordering(order), first, after }, Practitioner);
  }
}

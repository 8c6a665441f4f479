import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import { loadAlways } from '../../read-kit/rows/projection';
import type { PractitionerStatus, QualificationCategory } from '../common/enums';
import { paginate, type Ordering, type Page } from '../../read-kit/pagination';
import { Practitioner } from './practitioner.entity';

loadAlways(Practitioner, ['idNumber', 'employerUscc']);

export interface PractitionerFilter {
  employerUscc?: string | null;
  qualificationCategory?: QualificationCategory | null;
  status?: PractitionerStatus | null;
}

export type PractitionerOrderName = 'RECORD_HASH' | 'CERTIFICATE_NUMBER_ASC';

export const PRACTITIONER_ORDERINGS: Record<PractitionerOrderName, Ordering<Practitioner>> = {
  // The content hash is unique per record and follows no value a caller could compare.
  RECORD_HASH: { name: 'RECORD_HASH', direction: 'asc', keys: [
    { property: 'provenance', column: 'provenance_content_hash', type: 'text', value: (p) => p.provenance.contentHash, opaque: true }] },
  CERTIFICATE_NUMBER_ASC: { name: 'CERTIFICATE_NUMBER_ASC', direction: 'asc', keys: [
    { property: 'certificateNumber', column: 'certificate_number', type: 'text', value: (p) => p.certificateNumber },
    { property: 'idNumber', column: 'id_number', type: 'text', value: (p) => p.idNumber }] },
};

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
    return paginate(this.scope, qb, { ordering: PRACTITIONER_ORDERINGS[order], first, after }, Practitioner);
  }
}

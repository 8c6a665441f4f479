import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import type { PractitionerStatus, QualificationCategory } from '../common/enums';
import type { Ordering, Page } from '../../read-kit/pagination';
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

  findByIdNumbers(idNumbers: readonly string[]): Promise<Practitioner[]> {
    return this.scope.reads.byKeys(Practitioner, ['idNumber'], idNumbers.map((i) => [i]));
  }

  findByEmployers(usccs: readonly string[]): Promise<Practitioner[]> {
    return this.scope.reads.byKeys(Practitioner, ['employerUscc'], usccs.map((u) => [u]), [['certificateNumber', 'asc'], ['idNumber', 'asc']]);
  }

  findPage(filter: PractitionerFilter, order: PractitionerOrderName, first?: number | null, after?: string | null): Promise<Page<Practitioner>> {
    return this.scope.reads.page(Practitioner, {
      employerUscc: filter.employerUscc, qualificationCategory: filter.qualificationCategory, status: filter.status,
    }, { ordering: PRACTITIONER_ORDERINGS[order], first, after });
  }
}

import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { PractitionerStatus, QualificationCategory } from '../common/enums';
import type { Page } from '../../read-kit/pagination';
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

  findByIdNumbers(idNumbers: readonly string[]): Promise<Practitioner[]> {
    return this.scope.reads.byKeys(
      Practitioner,
      ['idNumber'],
      idNumbers.map((i) => [i]),
    );
  }

  findByEmployers(usccs: readonly string[]): Promise<Practitioner[]> {
    return this.scope.reads.byKeys(
      Practitioner,
      ['employerUscc'],
      usccs.map((u) => [u]),
      [
        ['certificateNumber', 'asc'],
        ['idNumber', 'asc'],
      ],
    );
  }

  findPage(filter: PractitionerFilter, order: PractitionerOrderName, first?: number | null, after?: string | null): Promise<Page<Practitioner>> {
    return this.scope.reads.page(
      Practitioner,
      {
        employerUscc: filter.employerUscc,
        qualificationCategory: filter.qualificationCategory,
        status: filter.status,
      },
      { ordering: practitionerOrderings.ordering(order), first, after },
    );
  }
}

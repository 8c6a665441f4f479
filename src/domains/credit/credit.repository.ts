import type { ReadScope } from '../../read-kit/rows/read-scope';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

/** Queries over credit ratings and list entries. */
export class CreditRepository {
  constructor(private readonly scope: ReadScope) {}

  findRatingsBySubjects(usccs: readonly string[]): Promise<CreditRating[]> {
    return this.scope.reads.byKeys(
      CreditRating,
      ['subjectUscc'],
      usccs.map((u) => [u]),
      [
        ['year', 'desc'],
        ['sourceId', 'asc'],
      ],
    );
  }

  findListEntriesBySubjects(usccs: readonly string[]): Promise<CreditListEntry[]> {
    return this.scope.reads.byKeys(
      CreditListEntry,
      ['subjectUscc'],
      usccs.map((u) => [u]),
      [
        ['listedOn', 'desc'],
        ['sourceId', 'asc'],
      ],
    );
  }
}

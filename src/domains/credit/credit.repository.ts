import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../db/read-scope';
import { findRowsByKeys, loadAlways } from '../../db/row-mapper';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

// Read whatever an operation selects: keys, and the references the hub's own resolvers follow.
loadAlways(CreditRating, ['sourceId', 'subjectUscc']);
loadAlways(CreditListEntry, ['sourceId', 'subjectUscc']);

/** Queries over credit ratings and list entries. */
export class CreditRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findRatingsBySubjects(usccs: readonly string[]): Promise<CreditRating[]> {
    return findRowsByKeys(this.scope, CreditRating, ['subjectUscc'], usccs.map((u) => [u]), [['year', 'desc'], ['sourceId', 'asc']]);
  }

  findListEntriesBySubjects(usccs: readonly string[]): Promise<CreditListEntry[]> {
    return findRowsByKeys(this.scope, CreditListEntry, ['subjectUscc'], usccs.map((u) => [u]), [['listedOn', 'desc'], ['sourceId', 'asc']]);
  }
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { findRowsByKeys } from '../../db/row-mapper';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

/** Queries over credit ratings and list entries. */
export class CreditRepository {
  constructor(private readonly em: EntityManager) {}

  findRatingsBySubjects(usccs: readonly string[]): Promise<CreditRating[]> {
    return findRowsByKeys(this.em, CreditRating, ['subjectUscc'], usccs.map((u) => [u]), [['year', 'desc'], ['sourceId', 'asc']]);
  }

  findListEntriesBySubjects(usccs: readonly string[]): Promise<CreditListEntry[]> {
    return findRowsByKeys(this.em, CreditListEntry, ['subjectUscc'], usccs.map((u) => [u]), [['listedOn', 'desc'], ['sourceId', 'asc']]);
  }
}

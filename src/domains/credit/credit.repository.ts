import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

/** Queries over credit ratings and list entries. */
export class CreditRepository {
  constructor(private readonly em: EntityManager) {}

  findRatingsBySubjects(usccs: readonly string[]): Promise<CreditRating[]> {
    return this.em.find(CreditRating, { subjectUscc: { $in: [...usccs] } }, { orderBy: { year: 'desc', sourceId: 'asc' } });
  }

  findListEntriesBySubjects(usccs: readonly string[]): Promise<CreditListEntry[]> {
    return this.em.find(CreditListEntry, { subjectUscc: { $in: [...usccs] } }, { orderBy: { listedOn: 'desc', sourceId: 'asc' } });
  }
}

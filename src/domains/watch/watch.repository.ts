import type { Page } from '../../read-kit/pagination';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { Watch } from './watch.entity';
import { watchOrderings, type WatchOrderName } from './watch.orderings';

/** Queries over watches. */
export class WatchRepository {
  constructor(private readonly scope: ReadScope) {}

  /** An agency's watches, live ones only unless `includeEnded` (removed, or expired by `now`). */
  findOwnedPage(
    ownerAgency: string,
    includeEnded: boolean,
    now: Date,
    order: WatchOrderName,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<Watch>> {
    return this.scope.reads.page(Watch, includeEnded ? { ownerAgency } : { ownerAgency, endsAt: { gt: now } }, {
      ordering: watchOrderings.ordering(order),
      first,
      after,
    });
  }
}

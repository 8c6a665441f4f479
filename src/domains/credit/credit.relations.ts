import { Classification } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import { relation } from '../../read-kit/relations';
import type { CreditLoaders } from './credit.loaders';
import type { EnterpriseLoaders } from '../enterprise';
import { Enterprise } from '../enterprise';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

/** What Credit's relations read: the loaders of this domain and of the ones its fields follow. */
export type CreditContext = RequestContext<{ credit: CreditLoaders; enterprise: EnterpriseLoaders }>;

export const creditRelations = [
  relation({
    on: () => Enterprise,
    field: 'creditRatings',
    returns: () => [CreditRating],
    description: 'Credit ratings, newest year first.',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    load: (ctx: CreditContext, { uscc }) => ctx.loaders.credit.ratingsBySubject.load(uscc),
  }),
  relation({
    on: () => Enterprise,
    field: 'creditListEntries',
    returns: () => [CreditListEntry],
    description: 'Credit list entries, newest first, including removed ones.',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    load: (ctx: CreditContext, { uscc }) => ctx.loaders.credit.listEntriesBySubject.load(uscc),
  }),
  relation({
    on: () => CreditRating,
    field: 'subject',
    returns: () => Enterprise,
    nullable: true,
    description: 'The rated enterprise, when the hub knows it.',
    classification: Classification.INTERNAL,
    parentKey: 'subjectUscc',
    load: (ctx: CreditContext, { subjectUscc }) => ctx.loaders.enterprise.byUscc.load(subjectUscc),
  }),
  relation({
    on: () => CreditListEntry,
    field: 'subject',
    returns: () => Enterprise,
    nullable: true,
    description: 'The listed enterprise, when the hub knows it.',
    classification: Classification.INTERNAL,
    parentKey: 'subjectUscc',
    load: (ctx: CreditContext, { subjectUscc }) => ctx.loaders.enterprise.byUscc.load(subjectUscc),
  }),
];

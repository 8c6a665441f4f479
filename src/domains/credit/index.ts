export { CreditRating } from './credit-rating.entity';
export { CreditListEntry } from './credit-list-entry.entity';
export { CreditRepository } from './credit.repository';
export { createCreditLoaders, type CreditLoaders } from './credit.loaders';
export { CreditListEntryResolver, CreditRatingResolver, EnterpriseCreditResolver } from './credit.resolver';
export type { CreditContext } from './credit.resolver';

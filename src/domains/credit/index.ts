import { domain } from '../../read-kit/domain-descriptor';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';
import { createCreditLoaders } from './credit.loaders';
import { creditRelations } from './credit.relations';
import { CreditRepository } from './credit.repository';

export { CreditRating, CreditListEntry };
export type { CreditLoaders } from './credit.loaders';
export type { CreditContext } from './credit.relations';

/** Credit ratings and credit-list entries of enterprises. */
export const creditDomain = domain({
  name: 'credit',
  entities: [CreditRating, CreditListEntry],
  resolvers: [],
  loaders: (scope) => createCreditLoaders(new CreditRepository(scope)),
  relations: creditRelations,
  orderings: [],
});

import { orderings, type OrderName } from '../../read-kit/pagination';
import { Enterprise } from './enterprise.entity';

/** How a list of enterprises can be ordered; the credit code, unique, ends each so the order is total. */
export const enterpriseOrderings = orderings(() => Enterprise, 'EnterpriseOrder', {
  NAME_ASC: {
    direction: 'asc',
    keys: [
      { property: 'name', column: 'name', type: 'text', value: (e) => e.name },
      { property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc },
    ],
  },
  USCC_ASC: { direction: 'asc', keys: [{ property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc }] },
  ESTABLISHED_ON_DESC: {
    direction: 'desc',
    keys: [
      { property: 'establishedOn', column: 'established_on', type: 'date', value: (e) => e.establishedOn },
      { property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc },
    ],
  },
});

export type EnterpriseOrderName = OrderName<typeof enterpriseOrderings>;

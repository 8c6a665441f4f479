import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { Watch } from './watch.entity';

/** Watches newest first; the id, unique, ends the order. */
export const watchOrderings = orderings(() => Watch, 'WatchOrder', {
  CREATED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'createdAt', column: 'created_at', type: 'instant', value: (w) => instant(w.createdAt) },
      { property: 'id', column: 'id', type: 'text', value: (w) => w.id },
    ],
  },
});

export type WatchOrderName = OrderName<typeof watchOrderings>;

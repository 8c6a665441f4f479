import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { Weighing } from './weighing.entity';

/** How a list of weighings can be ordered; the source id, unique, ends each. */
export const weighingOrderings = orderings(() => Weighing, 'WeighingOrder', {
  MEASURED_AT_DESC: {
    direction: 'desc',
    keys: [
      { property: 'measuredAt', column: 'measured_at', type: 'instant', value: (w) => instant(w.measuredAt) },
      { property: 'sourceId', column: 'source_id', type: 'text', value: (w) => w.sourceId },
    ],
  },
  OVERLOAD_RATIO_DESC: {
    direction: 'desc',
    keys: [
      { property: 'overloadRatio', column: 'overload_ratio', type: 'float', value: (w) => w.overloadRatio },
      { property: 'sourceId', column: 'source_id', type: 'text', value: (w) => w.sourceId },
    ],
  },
});

export type WeighingOrderName = OrderName<typeof weighingOrderings>;

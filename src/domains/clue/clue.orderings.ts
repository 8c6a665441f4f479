import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { Clue } from './clue.entity';

/**
 * How a list of clues can be ordered; the id, unique, ends each. "Last seen" is `listedAt`: the
 * exact time, or only its day for the capture-derived kinds (see `Clue.listedAt`).
 */
export const clueOrderings = orderings(() => Clue, 'ClueOrder', {
  LAST_SEEN_DESC: {
    direction: 'desc',
    keys: [
      { property: 'listedAt', column: 'listed_at', type: 'instant', value: (c) => instant(c.listedAt) },
      { property: 'id', column: 'id', type: 'text', value: (c) => c.id },
    ],
  },
  SEVERITY_DESC: {
    direction: 'desc',
    keys: [
      { property: 'severityRank', column: 'severity_rank', type: 'int', value: (c) => c.severityRank },
      { property: 'listedAt', column: 'listed_at', type: 'instant', value: (c) => instant(c.listedAt) },
      { property: 'id', column: 'id', type: 'text', value: (c) => c.id },
    ],
  },
});

export type ClueOrderName = OrderName<typeof clueOrderings>;

import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { Clue } from './clue.entity';

/** How a list of clues can be ordered; the id, unique, ends each. */
export const clueOrderings = orderings(() => Clue, 'ClueOrder', {
  LAST_SEEN_DESC: {
    direction: 'desc',
    keys: [
      { property: 'lastSeen', column: 'last_seen', type: 'instant', value: (c) => instant(c.lastSeen) },
      { property: 'id', column: 'id', type: 'text', value: (c) => c.id },
    ],
  },
  SEVERITY_DESC: {
    direction: 'desc',
    keys: [
      { property: 'severityRank', column: 'severity_rank', type: 'int', value: (c) => c.severityRank },
      { property: 'lastSeen', column: 'last_seen', type: 'instant', value: (c) => instant(c.lastSeen) },
      { property: 'id', column: 'id', type: 'text', value: (c) => c.id },
    ],
  },
});

export type ClueOrderName = OrderName<typeof clueOrderings>;

import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { CaseTransfer } from './case-transfer.entity';

/** Transfers newest first; the id, unique, ends the order. */
export const caseTransferOrderings = orderings(() => CaseTransfer, 'CaseTransferOrder', {
  PREPARED_AT_DESC: {
    direction: 'desc',
    keys: [
      { property: 'preparedAt', column: 'prepared_at', type: 'instant', value: (t) => instant(t.preparedAt) },
      { property: 'id', column: 'id', type: 'text', value: (t) => t.id },
    ],
  },
});

export type CaseTransferOrderName = OrderName<typeof caseTransferOrderings>;

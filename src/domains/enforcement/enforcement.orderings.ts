import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { EnforcementCase } from './enforcement-case.entity';

const occurredKeys = [
  { property: 'occurredAt', column: 'occurred_at', type: 'instant', value: (c: EnforcementCase) => instant(c.occurredAt) },
  { property: 'caseNumber', column: 'case_number', type: 'text', value: (c: EnforcementCase) => c.caseNumber },
] as const;

/** How a list of enforcement cases can be ordered; the case number breaks ties within one instant. */
export const enforcementCaseOrderings = orderings(() => EnforcementCase, 'EnforcementCaseOrder', {
  OCCURRED_AT_DESC: { direction: 'desc', keys: occurredKeys },
  OCCURRED_AT_ASC: { direction: 'asc', keys: occurredKeys },
});

export type EnforcementCaseOrderName = OrderName<typeof enforcementCaseOrderings>;

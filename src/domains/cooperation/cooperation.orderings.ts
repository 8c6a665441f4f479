import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { AssistanceRequest } from './assistance-request.entity';
import { CooperationMessage } from './cooperation-message.entity';
import { JointCase } from './joint-case.entity';
import { RecognisedCreditDecision } from './recognised-credit-decision.entity';
import { RecognisedInspectionResult } from './recognised-inspection-result.entity';

/** Messages newest first; the id, unique, ends the order. */
export const cooperationMessageOrderings = orderings(() => CooperationMessage, 'CooperationMessageOrder', {
  CREATED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'createdAt', column: 'created_at', type: 'instant', value: (m) => instant(m.createdAt) },
      { property: 'id', column: 'id', type: 'text', value: (m) => m.id },
    ],
  },
});

export const assistanceRequestOrderings = orderings(() => AssistanceRequest, 'AssistanceRequestOrder', {
  REQUESTED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'requestedAt', column: 'requested_at', type: 'instant', value: (r) => instant(r.requestedAt) },
      { property: 'id', column: 'id', type: 'text', value: (r) => r.id },
    ],
  },
});

export const jointCaseOrderings = orderings(() => JointCase, 'JointCaseOrder', {
  CREATED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'createdAt', column: 'created_at', type: 'instant', value: (c) => instant(c.createdAt) },
      { property: 'id', column: 'id', type: 'text', value: (c) => c.id },
    ],
  },
});

export const recognisedCreditDecisionOrderings = orderings(() => RecognisedCreditDecision, 'RecognisedCreditDecisionOrder', {
  RECOGNISED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'recognisedAt', column: 'recognised_at', type: 'instant', value: (d) => instant(d.recognisedAt) },
      { property: 'id', column: 'id', type: 'text', value: (d) => d.id },
    ],
  },
});

export const recognisedInspectionResultOrderings = orderings(() => RecognisedInspectionResult, 'RecognisedInspectionResultOrder', {
  RECOGNISED_DESC: {
    direction: 'desc',
    keys: [
      { property: 'recognisedAt', column: 'recognised_at', type: 'instant', value: (r) => instant(r.recognisedAt) },
      { property: 'id', column: 'id', type: 'text', value: (r) => r.id },
    ],
  },
});

export type CooperationMessageOrderName = OrderName<typeof cooperationMessageOrderings>;

import { registerEnumType } from 'type-graphql';

/** Which way a cooperation message travels, seen from this hub. */
export enum CooperationDirection {
  /** This hub's outbox: sent (or still to be sent) to a peer. */
  OUTBOUND = 'OUTBOUND',
  /** This hub's inbox: received from a peer. */
  INBOUND = 'INBOUND',
}

/** What a cooperation message carries. */
export enum CooperationKind {
  /** A supervision clue with its evidence (跨区域线索通报), shaped by the receiver's agreement. */
  CLUE_SHARED = 'CLUE_SHARED',
  /** A request for assistance (协查) with a due date. */
  ASSISTANCE_REQUESTED = 'ASSISTANCE_REQUESTED',
  /** The answer to an assistance request. */
  ASSISTANCE_ANSWERED = 'ASSISTANCE_ANSWERED',
  /** A joint case (联合办案组) as its sender holds it: lead, members and linked cases. */
  JOINT_CASE = 'JOINT_CASE',
  /** A credit decision (a list entry) for the receiver to recognise (信用互认). */
  CREDIT_DECISION = 'CREDIT_DECISION',
  /** A published random-inspection result for the receiver to recognise (检查结果互认). */
  INSPECTION_RESULT = 'INSPECTION_RESULT',
}

/** Where a message stands. */
export enum DeliveryStatus {
  /** In the outbox, not yet acknowledged by the peer (retried through the queue while it is down). */
  PENDING = 'PENDING',
  /** Acknowledged by the peer (once, whatever the number of tries). */
  DELIVERED = 'DELIVERED',
  /** Refused by the peer for good (its agreement or its checks): not retried; `lastError` says why. */
  REFUSED = 'REFUSED',
  /** In the inbox. */
  RECEIVED = 'RECEIVED',
}

/** Where an assistance request stands. */
export enum AssistanceStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
}

registerEnumType(CooperationDirection, { name: 'CooperationDirection', description: 'OUTBOUND: in this hub’s outbox; INBOUND: in its inbox.' });
registerEnumType(CooperationKind, { name: 'CooperationKind', description: 'What a message between peer bureaus’ hubs carries.' });
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'Where a cooperation message stands (outbox: PENDING, DELIVERED or REFUSED; inbox: RECEIVED).',
});
registerEnumType(AssistanceStatus, { name: 'AssistanceStatus', description: 'Where an assistance request (协查) stands.' });

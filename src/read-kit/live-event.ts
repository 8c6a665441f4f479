import type { Viewer } from './request-context';

/**
 * One event of the hub's outbox (`hub_event`) as a subscription receives it: what kind, the
 * division it concerns, and the payload its trigger wrote. Events carry keys and routing facts;
 * what a subscriber sees of the record is read and masked under its own agreement when the event
 * is delivered.
 */
export interface LiveEvent {
  id: string;
  kind: string;
  division: string | null;
  payload: Record<string, unknown>;
}

/**
 * A subscription field as the live layer routes to it: the outbox events it takes, and whether
 * one concerns a subscriber (its arguments, its token) before the event is executed, read under
 * its agreement and audited. The field's resolver decides again on what it reads.
 */
export interface LiveTopic {
  /** The Subscription field, e.g. `watchHits`. */
  field: string;
  /** The `hub_event.kind` it takes. */
  eventKind: string;
  accepts(event: LiveEvent, args: Record<string, unknown>, viewer: Viewer): boolean;
}

/** Whether a division code falls under one of a caller's division prefixes. */
export const withinDivisions = (division: string | null, divisions: readonly string[]): boolean =>
  division !== null && divisions.some((prefix) => division.startsWith(prefix));

/**
 * The `subscribe` of a subscription field: never called. The live layer (src/live) executes each
 * event as an operation of its own, so graphql's subscribe is not used; type-graphql still wants one.
 */
export function servedByTheLiveLayer(): never {
  throw new Error('subscriptions are delivered by the live layer (src/live), which executes each event');
}

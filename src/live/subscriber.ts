import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { Logger } from '../logger';
import type { LiveEvent, LiveTopic } from '../read-kit/live-event';
import type { Viewer } from '../read-kit/request-context';

/** A subscription's operation as its client sent it. */
export interface LiveRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions: Record<string, unknown>;
}

/** When a connection's next delivery may go: shared by its subscriptions, so the rate is the connection's. */
export interface DeliveryPace {
  next: number;
}

export interface SubscriberOptions {
  topic: LiveTopic;
  args: Record<string, unknown>;
  request: LiveRequest;
  viewer: Viewer;
  execute(viewer: Viewer, request: LiveRequest, event: LiveEvent | null): Promise<FormattedExecutionResult>;
  queueLimit: number;
  deliveriesPerSecond: number;
  pace: DeliveryPace;
  /** The queue is full: the connection is to be closed (with the reason) rather than the queue grown. */
  onOverflow(): void;
  logger: Logger;
}

/**
 * One subscription on one connection: the events that concern it wait in a bounded queue and are
 * delivered at most `deliveriesPerSecond` (with the connection's other subscriptions), each executed as its own operation (read, masked and
 * audited under the subscriber's agreement). An event that reads nothing for the subscriber (a
 * clue its row scope hides) is not sent.
 */
export class Subscriber {
  private readonly queue: LiveEvent[] = [];
  private wakeUp: (() => void) | null = null;
  private ended = false;

  constructor(private readonly options: SubscriberOptions) {}

  /** Takes an event from the bus if it concerns this subscription. */
  offer(event: LiveEvent): void {
    const { topic, args, viewer } = this.options;
    if (this.ended || event.kind !== topic.eventKind || !topic.accepts(event, args, viewer)) return;
    if (this.queue.length >= this.options.queueLimit) {
      this.end();
      this.options.onOverflow();
      return;
    }
    this.queue.push(event);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.queue.length = 0;
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  async *stream(): AsyncGenerator<ExecutionResult> {
    const interval = 1000 / this.options.deliveriesPerSecond;
    try {
      while (!this.ended) {
        const event = this.queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (this.wakeUp = resolve));
          continue;
        }
        // The delivery rate: events beyond it wait in the (bounded) queue.
        // The slot is taken before waiting, so subscriptions of one connection queue behind each other.
        const pace = this.options.pace;
        const slot = Math.max(Date.now(), pace.next);
        pace.next = slot + interval;
        const wait = slot - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.ended) break;
        const result = await this.options.execute(this.options.viewer, this.options.request, event);
        const data = result.data as Record<string, unknown> | null | undefined;
        if (!result.errors?.length && (!data || Object.values(data).every((v) => v === null))) continue;
        // graphql-ws sends what it is given as JSON: the formatted result, as HTTP answers it.
        yield result as ExecutionResult;
      }
    } finally {
      this.ended = true;
    }
  }
}

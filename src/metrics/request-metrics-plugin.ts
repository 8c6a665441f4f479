import type { ApolloServerPlugin } from '@apollo/server';
import { outcomeOfAnswer, type RequestMeter } from './request-meter';

/** What the plugin reads on a request's context: its meter, and the operation's analysis once resolved. */
export interface MeteredContext {
  /** Null where the request is not measured. */
  meter: RequestMeter | null;
  operation: { analysis: { signature: string } | null };
}

/**
 * Tells each request's meter which operation ran (its signature, as the audit records it) and
 * how its answer ended. The outcome is read here and kept, not the answer: holding the answer
 * until the request ends kept every cell of a large one alive while its audit event committed and
 * its bytes were written, where each young collection copied them (a 5,000-cell aggregate: ~4 ms
 * of collection per request). The audit cannot replace a metered answer afterwards: the HTTP front,
 * the only one with a meter, defers the audit's write and sends its refusal through its own
 * `refuse`, which tells the meter.
 */
export function requestMetricsPlugin(): ApolloServerPlugin<MeteredContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (!contextValue.meter) return;
          contextValue.meter.answered(
            contextValue.operation.analysis?.signature ?? null,
            outcomeOfAnswer(response.body.kind === 'single' ? response.body.singleResult : null),
          );
        },
      };
    },
  };
}

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
 * how its answer ended. The answer is read when the request ends, not here: `willSendResponse`
 * hooks run side by side, and the audit's may still replace the answer with `AUDIT_UNAVAILABLE`.
 */
export function requestMetricsPlugin(): ApolloServerPlugin<MeteredContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          contextValue.meter?.answered(contextValue.operation.analysis?.signature ?? null, () =>
            outcomeOfAnswer(response.body.kind === 'single' ? response.body.singleResult : null),
          );
        },
      };
    },
  };
}

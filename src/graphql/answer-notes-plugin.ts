import type { ApolloServerPlugin } from '@apollo/server';
import type { AnswerNotes } from '../read-kit/operation/answer-notes';

/** What the plugin reads on a request's context. */
interface NotedContext {
  answer: AnswerNotes;
}

/**
 * Adds the request's `AnswerNotes` to the response's `extensions` (e.g. `aggregateSources:
 * { caseStats: "ROLLUP" }`), beside what the data itself may select (`source`). Only to an answer
 * that carries data: a refusal says nothing of how data it withheld would have been computed.
 */
export function answerNotesPlugin(): ApolloServerPlugin<NotedContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.data) return;
          // Only of fields that were answered: an aggregate that failed after it was computed says nothing.
          const notes = contextValue.answer.extensions(response.body.singleResult.data);
          if (notes) response.body.singleResult.extensions = { ...response.body.singleResult.extensions, ...notes };
        },
      };
    },
  };
}

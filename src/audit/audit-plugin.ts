import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestAudit } from './request-audit';

/** Where the audit finds a request's event on its context (the composed context has it). */
export interface AuditedContext {
  /** The request's audit event; null only where access control (and so the audit) is off. */
  effectAudit: RequestAudit | null;
}

/**
 * Tells each request's audit event (`RequestAudit`) when the request starts, when it executes
 * and when its answer is about to leave, which is when the event is written.
 */
export function auditPlugin(): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const audit = contextValue.effectAudit;
      if (!audit) return;
      audit.begin(request);
      return {
        async executionDidStart() {
          audit.executionStarted();
        },
        async willSendResponse({ response, operationName, operation }) {
          await audit.finish(response, operationName, operation);
        },
      };
    },
  };
}

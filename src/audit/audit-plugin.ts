import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { AuditUnavailableError } from '../errors';
import type { HubContext } from '../graphql/context';
import type { AuditEventContent } from './audit-event';
import type { AuditLog } from './audit-log';
import { countRecords } from './count-records';
import { personalVariablesOf } from './personal-variables';
import { redactVariables } from './redact-variables';
import { SOURCE_AGENCY_OF_TYPE } from './source-agency';

/**
 * Appends one audit event per operation, after it ran and before its answer leaves: who, under
 * which agreement, why, what was asked (document hash, redacted variables), what came back
 * (classified fields and record counts per type and per providing agency), the outcome and the
 * time taken. Fail closed: if the event cannot be written the caller gets an error, not the data.
 */
export function auditPlugin(schema: GraphQLSchema, log: AuditLog, redactionKey: string, onFailure: (error: unknown) => void): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue, document, operationName }) {
          const { viewer, caller, access } = contextValue;
          if (!viewer || !caller) return;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const data = body?.data ?? null;
          const records = caller.authorized && data ? countRecords(data, caller.authorized.pathTypes) : {};
          if (data) {
            for (const [type, count] of Object.entries(caller.resolvedEntities)) records[type] = (records[type] ?? 0) + count;
          }
          const fieldsReturned: Record<string, number> = {};
          for (const field of caller.authorized?.fields ?? []) {
            const count = records[field.slice(0, field.indexOf('.'))];
            if (count) fieldsReturned[field] = count;
          }
          const sources: Record<string, number> = {};
          for (const [type, count] of Object.entries(records)) {
            const source = SOURCE_AGENCY_OF_TYPE[type];
            if (source) sources[source] = (sources[source] ?? 0) + count;
          }
          const errors = body?.errors ?? [];
          const content: AuditEventContent = {
            agency: viewer.agency,
            subject: viewer.subject,
            roles: viewer.roles,
            // The agreements it read under; for a refused caller, those that name it (lapsed ones too).
            agreement: (access?.agreements.length ? access.agreements : caller.covering).map((a) => a.id).join(',') || null,
            purpose: caller.reason.purpose,
            // A case number the operation was checked against, or the one a refused request claimed
            // (its refusal code says so); one that nothing needed would link this record to a case
            // it had nothing to do with.
            caseNumber: caller.authorized?.verifiedCaseNumber ?? (caller.denied ? caller.reason.caseNumber : null),
            // Declared widening of a case to every plate (access/case-binding.ts): recorded when it was granted.
            ...(access?.caseBinding?.scope === 'ALL_PLATES' ? { caseScope: 'ALL_PLATES' } : {}),
            operationName: operationName ?? request.operationName ?? null,
            documentHash: createHash('sha256').update(request.query ?? '').digest('hex'),
            variables: redactVariables(request.variables, personalVariablesOf(schema, document), redactionKey),
            fieldsReturned,
            sources,
            refusal: caller.denied ? caller.denied.code : null,
            outcome: caller.denied ? 'DENIED' : errors.length === 0 ? 'OK' : data ? 'PARTIAL' : 'ERROR',
            durationMs: Math.round((performance.now() - started) * 100) / 100,
          };
          try {
            await log.append(content);
          } catch (error) {
            onFailure(error);
            // Set after formatting, so written here in its formatted shape.
            const refusal = new AuditUnavailableError();
            response.body = { kind: 'single', singleResult: { errors: [{ message: refusal.message, extensions: { code: refusal.code } }] } };
            response.http.status = 503;
          }
        },
      };
    },
  };
}

import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { AuditUnavailableError, type EffectMade } from '../errors';
import type { AccessContext } from '../access/access-context';
import type { AuditEventContent } from './audit-event';
import type { AuditLog } from './audit-log';
import type { EffectAudit } from './effect-audit';
import { resolvedVariables } from '../read-kit/operation/resolved-variables';
import { auditedArguments } from './audited-arguments';
import { countedTypes, countRecords, type RecordCounts } from './count-records';
import { personalVariablesOf } from './personal-variables';
import { newDigestSalt, redactVariables, saltedDigest } from './redact-variables';
import { SOURCE_AGENCY_OF_TYPE } from './source-agency';

/** What the audit reads of a request (the caller, its grant and analysis) and where a mutation records itself. */
type AuditedContext = AccessContext & { effectAudit: EffectAudit | null };

/** Records per providing agency, from records per type. */
function perSource(byType: Record<string, number>): Record<string, number> {
  const sources: Record<string, number> = {};
  for (const [type, count] of Object.entries(byType)) {
    const source = SOURCE_AGENCY_OF_TYPE[type];
    if (source) sources[source] = (sources[source] ?? 0) + count;
  }
  return sources;
}

/**
 * Appends one audit event per operation, after it ran and before its answer leaves: who, under
 * which agreement, why, what was asked (document hash, the server's signature of the operation,
 * every argument and variable with personal values digested), what came back (fields, records
 * returned and counted per type and per providing agency), the outcome and the time taken. Fail
 * closed: if the event cannot be written the caller gets an error, not the data. A mutation
 * writes its event itself, in the transaction of its effect (`contextValue.effectAudit`), and then
 * this plugin writes none: one event per request.
 */
export function auditPlugin(schema: GraphQLSchema, log: AuditLog, redactionKey: string, onFailure: (error: unknown) => void): ApolloServerPlugin<AuditedContext> {
  const counted = countedTypes(schema);
  return {
    async requestDidStart({ request, contextValue: requestContext }) {
      const started = performance.now();
      /**
       * The mutation's own event: not tried, failed to append, appended in a transaction not (yet)
       * committed (rolled back if the request ends so), or committed with the effect.
       */
      let effect: 'none' | 'failed' | 'appended' | 'committed' = 'none';
      let executed = false;
      // Without a resolved operation (a document that does not parse or validate) nothing says
      // which variables it declares: the analysis is null and every variable is digested.
      const contentOf = (contextValue: AuditedContext, operationName: string | null | undefined,
        body: { data?: Record<string, unknown> | null; errors?: ReadonlyArray<unknown> } | null): AuditEventContent | null => {
          const { viewer, caller, access } = contextValue;
          if (!viewer || !caller) return null;
          const analysis = contextValue.operation.analysis;
          const data = body?.data ?? null;
          const records: RecordCounts = caller.authorized && analysis && data
            ? countRecords(data, analysis.responsePaths(), counted)
            : { returned: {}, counted: {}, reached: new Set() };
          if (data) {
            for (const [type, count] of Object.entries(caller.resolvedEntities)) records.returned[type] = (records.returned[type] ?? 0) + count;
          }
          const fieldsReturned: Record<string, number> = {};
          for (const field of caller.authorized ? analysis?.fields ?? [] : []) {
            const count = records.returned[field.slice(0, field.indexOf('.'))];
            if (count) fieldsReturned[field] = count;
          }
          const sources = perSource(records.returned);
          const sourcesCounted = perSource(records.counted);
          // A count or a page's information is a read of the counted type's provider, rows or not.
          for (const type of [...records.reached, ...Object.keys(records.counted)]) {
            const source = SOURCE_AGENCY_OF_TYPE[type];
            if (source) sources[source] ??= 0;
          }
          const errors = body?.errors ?? [];
          const digestSalt = newDigestSalt();
          const digest = saltedDigest(redactionKey, digestSalt);
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
            operationSignature: analysis?.signature ?? null,
            variables: redactVariables(request.variables, personalVariablesOf(analysis), digest),
            arguments: analysis ? auditedArguments(analysis, resolvedVariables(analysis, request.variables), digest) : [],
            digestSalt,
            fieldsReturned,
            recordsCounted: records.counted,
            sources,
            sourcesCounted,
            refusal: caller.denied ? caller.denied.code : null,
            outcome: caller.denied ? 'DENIED' : errors.length === 0 ? 'OK' : data ? 'PARTIAL' : 'ERROR',
            durationMs: Math.round((performance.now() - started) * 100) / 100,
          };
          return content;
      };
      const effectAudit: EffectAudit = {
        async appendWithin(client) {
          // A second mutation field of the same request: the request's one event is committed already, before this effect too.
          if (effect === 'committed') return;
          const content = requestContext.operation.analysis && contentOf(requestContext, requestContext.operation.analysis.operation.name?.value ?? request.operationName, null);
          try {
            if (!content) throw new Error('no verified caller or resolved operation to audit');
            await log.appendWithin(client, content);
            effect = 'appended';
          } catch (error) {
            effect = 'failed';
            onFailure(error);
            throw new AuditUnavailableError('NONE');
          }
        },
        committed() {
          effect = 'committed';
        },
      };
      requestContext.effectAudit = effectAudit;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse({ response, contextValue, operationName, operation }) {
          // Written already, with the mutation's effect.
          if (effect === 'committed') return;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const content = contentOf(contextValue, operationName, body);
          if (!content) return;
          let written = true;
          try {
            await log.append(content);
          } catch (error) {
            onFailure(error);
            written = false;
          }
          // A mutation refused because its own event could not be written is unaudited whatever this one did.
          if (written && effect !== 'failed') return;
          // Nothing changed when the mutation's own event was not committed (its effect rolled back
          // with it), or when no mutation ran; a mutation that ran without writing one may have.
          const made: EffectMade = effect !== 'none' || !executed || operation?.operation !== 'mutation' ? 'NONE' : 'UNKNOWN';
          // Set after formatting, so written here in its formatted shape.
          const refusal = new AuditUnavailableError(made);
          response.body = { kind: 'single', singleResult: { errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.details } }] } };
          response.http.status = 503;
        },
      };
    },
  };
}

import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';

/** Orchestrators' probes and Prometheus' scrapes: polled every few seconds, traced by nobody. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/**
 * What is traced, and what each instrumentation is told never to record. None records a value a
 * caller sent or a row holds: statement parameters, GraphQL variables and argument literals, Redis
 * command arguments. What they still record as text (SQL, URLs, errors) the
 * `RedactingSpanProcessor` cleans.
 */
export function hubInstrumentations(): NonNullable<NodeSDKConfiguration['instrumentations']> {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => PROBES.has(new URL(request.url ?? '/', 'http://hub.invalid').pathname),
    }),
    // Only within a traced request or job: the hub's pollers (revocations, statistics, audit head)
    // would otherwise each start a trace every few hundred milliseconds.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    // BullMQ's arguments are job payloads and keys; the command name is what a trace needs.
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    // Argument literals become `*` in the recorded document; variables are not recorded. Fields
    // read straight off their parent and list items of one path add nothing to a trace.
    new GraphQLInstrumentation({ allowValues: false, ignoreTrivialResolveSpans: true, mergeItems: true }),
  ];
}

import { loadConfig } from '../../src/config';
import { redactSqlLiterals } from '../../src/telemetry/redact-sql';
import { execute } from '../support/graphql-client';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import {
  descendantsOf,
  exportedOf,
  OTLP_SPAN_KIND,
  personalValuesOf,
  startOtlpReceiver,
  statementOf,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../support/otlp-receiver';
import { ALL_SEEING_OFFICER, startTestHub, type TestHub } from '../support/test-hub';

/**
 * Traces of GraphQL requests, as the hub process exports them by OTLP to a collector (here a
 * receiver in the test): one request is one trace, from the HTTP server span through GraphQL's
 * spans to the SQL it sent; and no span carries a personal value, whether the caller sent it
 * (argument literal, variable, URL) or the hub read it.
 */

let t: TestHub;
let receiver: OtlpReceiver;
let hub: NodeProcess;
let spans: ReceivedSpan[];
/** The read statements the request sends, as the in-process hub over the same database sends them. */
let expectedStatements: string[];

const practitioner = () => t.world.practitioners.find((p) => p.phone)!;
const vehicle = () => t.world.vehicles.find((v) => v.ownerUscc)!;
const LOOKUP = () => `query TracedLookup($id: String!) {
  practitioner(idNumber: $id) { idNumber name phone enforcementCases { caseNumber } employer { name } }
  vehicle(plateNumber: "${vehicle().plateNumber}", plateColor: ${vehicle().plateColor}) { plateNumber owner { name } }
}`;

/** The officer of the test hub's default caller, on an open case of the world. */
const officer = () => t.headersAs({ ...ALL_SEEING_OFFICER, caseNumber: t.world.enforcementCases.find((c) => c.status !== 'CLOSED')!.caseNumber });

beforeAll(async () => {
  t = await startTestHub('graphql_trace');
  receiver = await startOtlpReceiver();
  const redisUrl = loadConfig().redisUrl;
  hub = startNodeProcess('src/main.js', [], {
    DATABASE_URL: t.hub.db.url,
    PORT: '0',
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: `xt_gql_trace_${process.pid}`,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  const [, graphqlUrl] = await hub.waitForOutput(/GraphQL at (\S+) /);

  const variables = { id: practitioner().idNumber };
  const headers = await officer();
  const traced = await execute(graphqlUrl, LOOKUP(), variables, headers);
  expect(traced.errors).toBeUndefined();
  // The same request to the in-process hub, whose statements the test can see as they are sent.
  const { result, sent } = await t.hub.db.counter.capture(() => execute(t.hub.graphqlUrl, LOOKUP(), variables, headers));
  expect(result.raw).toBe(traced.raw);
  expectedStatements = sent.map((s) => s.text);
  // GraphQL over GET: the document and its variables are in the URL.
  const search = new URLSearchParams({
    query: 'query TracedOverGet($id: String!) { practitioner(idNumber: $id) { name } }',
    variables: JSON.stringify(variables),
  });
  const overGet = await fetch(`${graphqlUrl}?${search}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
  expect(overGet.status).toBe(200);
  // What polls the hub every few seconds starts no trace.
  for (const path of ['/health', '/ready', '/metrics']) expect((await fetch(new URL(path, graphqlUrl))).status).toBe(200);

  // Shutting down exports what is still buffered.
  expect(await hub.stop()).toBe(0);
  spans = receiver.spans();
}, 120_000);

afterAll(async () => {
  hub?.child.kill('SIGKILL');
  await receiver?.close();
  await t?.close();
});

const serverSpanOf = (operation: string) => {
  const execution = spans.find((s) => s.attributes['graphql.operation.name'] === operation)!;
  expect(execution).toBeDefined();
  const server = spans.filter((s) => s.traceId === execution.traceId && s.kind === OTLP_SPAN_KIND.SERVER);
  expect(server).toHaveLength(1);
  return server[0];
};

describe('a GraphQL request, traced', () => {
  it('is one trace: the HTTP server span, GraphQL parse, validate and execute beneath it, and its SQL', () => {
    const server = serverSpanOf('TracedLookup');
    expect(server.service).toBe('xietong-hub');
    expect(server.parentSpanId).toBeNull();
    const trace = spans.filter((s) => s.traceId === server.traceId);
    // Every span of the trace hangs from the request's server span.
    expect(descendantsOf(server, spans)).toHaveLength(trace.length - 1);
    const names = new Set(trace.map((s) => s.name));
    for (const name of ['graphql.parse', 'graphql.validate', 'query TracedLookup']) expect(names).toContain(name);
    expect(trace.some((s) => s.name === 'graphql.resolve practitioner')).toBe(true);
    // Nothing of this request's GraphQL or SQL went to another trace.
    const elsewhere = spans.filter((s) => s.traceId !== server.traceId && s.attributes['graphql.operation.name'] === 'TracedLookup');
    expect(elsewhere).toEqual([]);
    // The two requests are all the traces there are: start-up, the hub's pollers, probes and scrapes start none.
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(2);
    // Its SQL: every read statement the request sent is a span of its trace, text and all.
    const statements = trace.map(statementOf).filter((s): s is string => s !== undefined);
    expect(expectedStatements.length).toBeGreaterThan(1);
    for (const sql of expectedStatements) expect(statements).toContain(redactSqlLiterals(sql));
    // ... and so is the bookkeeping beside the reads: the request's audit event (its group commit, one round trip), its literals redacted.
    expect(statements.some((sql) => /^begin; select pg_advisory_xact_lock\(\d+\);\s+insert into audit_event/.test(sql) && sql.includes("'?'"))).toBe(true);
    expect(trace.filter((s) => statementOf(s) !== undefined).every((s) => s.kind === OTLP_SPAN_KIND.CLIENT)).toBe(true);
  });

  it('GraphQL over GET is its own trace, its URL naming the parameters sent but not their values', () => {
    const server = serverSpanOf('TracedOverGet');
    const urls = Object.entries(server.attributes).filter(([key]) => ['http.url', 'http.target', 'url.full', 'url.query'].includes(key));
    expect(urls.length).toBeGreaterThan(0);
    for (const [, url] of urls) expect(String(url)).toMatch(/query=\?&variables=\?$/);
    expect(server.traceId).not.toBe(serverSpanOf('TracedLookup').traceId);
  });

  it('exports no personal value of the world: ID numbers, names, phones, plates', () => {
    const personal = personalValuesOf(t.world);
    // What the request asked for and was answered with is among them.
    expect(personal).toEqual(expect.arrayContaining([practitioner().idNumber, practitioner().name, practitioner().phone, vehicle().plateNumber]));
    expect(receiver.bodies().join('')).toContain('TracedLookup');
    expect(exportedOf(receiver, personal)).toEqual([]);
  });
});

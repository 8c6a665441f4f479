import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../../src/demo/world';

/** An OTLP attribute value as OTLP/JSON encodes it. */
type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: OtlpValue[] } };
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  events?: Array<{ name: string; attributes?: OtlpAttribute[] }>;
  status?: { code?: number; message?: string };
  links?: Array<{ traceId: string; spanId: string }>;
}
interface ExportTraceServiceRequest {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: Array<{ scope?: { name: string }; spans?: OtlpSpan[] }> }>;
}

/** A span as received, flattened: which service sent it, and its attributes as plain values. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  /** The spans this one links to (not its parent), as trace and span ids. */
  links: Array<{ traceId: string; spanId: string }>;
}

/** SpanKind in OTLP's numbering. */
export const OTLP_SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

const plain = (value: OtlpValue): unknown =>
  value.stringValue ??
  (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
  value.doubleValue ??
  value.boolValue ??
  value.arrayValue?.values?.map(plain);

const attributesOf = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map((a) => [a.key, plain(a.value)]));

/**
 * A trace collector for tests: an OTLP/HTTP receiver on loopback that takes what a hub process
 * exports with `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, as a real collector would, and keeps it.
 */
export interface OtlpReceiver {
  /** For `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  endpoint: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Every request body received so far, as sent (to search for what must never be exported). */
  bodies(): string[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !(req.headers['content-type'] ?? '').includes('json')) {
        res.writeHead(415).end();
        return;
      }
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bodies: () => [...bodies],
    spans: () =>
      bodies.flatMap((body) =>
        ((JSON.parse(body) as ExportTraceServiceRequest).resourceSpans ?? []).flatMap((rs) => {
          const service = String(attributesOf(rs.resource?.attributes)['service.name']);
          return (rs.scopeSpans ?? []).flatMap((ss) =>
            (ss.spans ?? []).map((s) => ({
              service,
              scope: ss.scope?.name ?? '',
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || null,
              name: s.name,
              kind: s.kind,
              attributes: attributesOf(s.attributes),
              links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
            })),
          );
        }),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The spans of `spans` beneath `root` (its children, theirs…), `root` excluded. */
export function descendantsOf(root: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const found: ReceivedSpan[] = [];
  let parents = new Set([root.spanId]);
  while (parents.size) {
    const children = spans.filter((s) => s.traceId === root.traceId && s.parentSpanId !== null && parents.has(s.parentSpanId));
    found.push(...children);
    parents = new Set(children.map((s) => s.spanId));
  }
  return found;
}

/** The SQL text a `pg` span records (current and older semantic conventions). */
export const statementOf = (span: ReceivedSpan): string | undefined =>
  (span.attributes['db.query.text'] ?? span.attributes['db.statement']) as string | undefined;

/** The world's values that are personal data: resident ID numbers, names and phones of practitioners, plates. */
export const personalValuesOf = (world: World): string[] =>
  [...world.practitioners.flatMap((p) => [p.idNumber, p.name, p.phone]), ...world.vehicles.map((v) => v.plateNumber)].filter(
    (value): value is string => typeof value === 'string' && value.length >= 2,
  );

/** Which of `values` the receiver was sent, as they are or as a URL carries them. */
export function exportedOf(receiver: OtlpReceiver, values: readonly string[]): string[] {
  // Parsed and written again, so that no escaping (\uXXXX) hides a value from the search.
  const exported = receiver
    .bodies()
    .map((body) => JSON.stringify(JSON.parse(body)))
    .join('\n');
  return values.filter((value) => exported.includes(value) || exported.includes(encodeURIComponent(value)));
}

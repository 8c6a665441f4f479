import type http from 'node:http';
import {
  graphql,
  GraphQLEnumType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type SelectionNode,
} from 'graphql';
import { ConcurrencyGate } from '../admission/concurrency-gate';
import type { SharedRateLimits } from '../admission/shared-rate-limits';
import { TokenBucket } from '../admission/token-bucket';
import type { PublicLimits } from '../config';
import { InspectionOutcome, InspectionRepository, resultIdOf, type InspectionResult } from '../domains/inspection';
import { ErrorCode, HubError, InvalidInputError } from '../errors';
import type { RowReads } from '../read-kit/rows/read-gateway';
import { readBody } from './read-body';
import type { HubRoute } from './hub-server';
import { escapeHtml } from './html-escape';
import { requireResultCount } from '../read-kit/pagination';

/**
 * The unauthenticated side of 一公开: published inspection results (`GET /public/inspections`,
 * JSON or, for a browser, an HTML page), each task's draw document to recompute
 * (`GET /public/draws/<task>`), and a public GraphQL subset (`/public/graphql`) whose schema holds
 * only the public fields of a result: the enterprise's name and credit code, the items, the date
 * and the outcome. No inspector, no finding text, nothing personal. Nobody signs in, so the load
 * is bounded here: a rate per source address, a total rate shared by every instance, a few
 * requests at once, and one page per GraphQL request (aliases cannot multiply it). A rate refusal
 * answers 429, a full instance 503, both with Retry-After.
 */
export const PUBLIC_INSPECTIONS_PATH = '/public/inspections';
export const PUBLIC_DRAWS_PATH = '/public/draws/';
export const PUBLIC_GRAPHQL_PATH = '/public/graphql';

export interface PublicInspectionsOptions {
  /** Reads for nobody in particular: results and draw documents are public, so no row scope narrows them. */
  reads: RowReads;
  limits: PublicLimits;
  /** The buckets every instance shares: the public pages' total rate is one of them. */
  shared: Pick<SharedRateLimits, 'take'>;
  maxTokens: number;
}

/**
 * Whom a per-address bucket is for: an IPv4 address, or an IPv6 address's /64 (one subscriber's
 * network hands out as many addresses as it likes within it).
 */
export function sourceOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  // Expand `::` so that the first four groups are the /64.
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The shared bucket of all public requests (beside the agreements' buckets, which are named by agreement id). */
const PUBLIC_BUCKET = 'public:*';
/** How long a public request may wait for one of the instance's public slots before it is refused. */
const PUBLIC_SLOT_WAIT_MS = 1_000;

/** What the public sees of a result. */
interface PublicResult {
  id: string;
  enterpriseName: string;
  uscc: string;
  itemCodes: string[];
  inspectedOn: string;
  outcome: string;
  publishedAt: string;
}

const publicOf = (r: InspectionResult): PublicResult => ({
  id: resultIdOf(r),
  enterpriseName: r.enterpriseName,
  uscc: r.uscc,
  itemCodes: r.itemCodes,
  inspectedOn: r.inspectedOn,
  outcome: r.outcome,
  publishedAt: r.publishedAt.toISOString(),
});

const MAX_PAGE = 100;
const MAX_BUCKETS = 10_000;
const MAX_PUBLIC_BODY = 16 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const error = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** A page of published results, as the page and the GraphQL endpoint alike take it: `first` within 1…MAX_PAGE, `after` a cursor of theirs. */
function pageOfResults(repository: InspectionRepository, first: number, after: string | null): ReturnType<InspectionRepository['results']> {
  requireResultCount('first', first, MAX_PAGE);
  return repository.results(first, after);
}

const OUTCOME_TEXT: Record<string, string> = { COMPLIANT: '未发现问题', ISSUES_FOUND: '发现问题', NOT_FOUND_AT_ADDRESS: '通过登记的住所无法联系' };

function page(results: PublicResult[], next: string | null): string {
  const rows = results
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.enterpriseName)}</td><td>${escapeHtml(r.uscc)}</td><td>${escapeHtml(r.itemCodes.join(', '))}</td><td>${escapeHtml(r.inspectedOn)}</td><td>${escapeHtml(OUTCOME_TEXT[r.outcome] ?? r.outcome)}</td></tr>`,
    )
    .join('\n');
  const more = next ? `<p><a href="${PUBLIC_INSPECTIONS_PATH}?after=${encodeURIComponent(next)}">更多</a></p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>双随机抽查结果公示</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head>
<body><h1>“双随机、一公开”抽查结果公示</h1><table><thead><tr><th>企业名称</th><th>统一社会信用代码</th><th>抽查事项</th><th>检查日期</th><th>检查结果</th></tr></thead>
<tbody>${rows}</tbody></table>${more}</body></html>`;
}

function publicSchema(repository: InspectionRepository): GraphQLSchema {
  const outcome = new GraphQLEnumType({
    name: 'InspectionOutcome',
    values: Object.fromEntries(Object.values(InspectionOutcome).map((v) => [v, { value: v }])),
  });
  const result = new GraphQLObjectType({
    name: 'PublicInspectionResult',
    description: 'A published random-inspection result: public fields only.',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLString) },
      enterpriseName: { type: new GraphQLNonNull(GraphQLString) },
      uscc: { type: new GraphQLNonNull(GraphQLString) },
      itemCodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))) },
      inspectedOn: { type: new GraphQLNonNull(GraphQLString) },
      outcome: { type: new GraphQLNonNull(outcome) },
      publishedAt: { type: new GraphQLNonNull(GraphQLString) },
    },
  });
  const pageType = new GraphQLObjectType({
    name: 'PublicInspectionResultPage',
    fields: { results: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(result))) }, cursor: { type: GraphQLString } },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        inspectionResults: {
          type: new GraphQLNonNull(pageType),
          args: { first: { type: GraphQLInt, defaultValue: 20 }, after: { type: GraphQLString } },
          resolve: async (_root, args: { first: number; after?: string | null }) => {
            const { results, cursor } = await pageOfResults(repository, args.first, args.after ?? null);
            return { results: results.map(publicOf), cursor };
          },
        },
      },
    }),
  });
}

export function publicInspectionsRoute(options: PublicInspectionsOptions): HubRoute {
  const repository = new InspectionRepository({ reads: options.reads });
  const schema = publicSchema(repository);
  const buckets = new Map<string, TokenBucket>();
  const slots = new ConcurrencyGate(options.limits.maxConcurrent, options.limits.maxConcurrent * 4);
  /** The address's own bucket (in memory): one address over its rate costs nothing shared. */
  const addressWait = (req: http.IncomingMessage): number => {
    const source = sourceOf(req.socket.remoteAddress);
    let bucket = buckets.get(source);
    if (!bucket) {
      // A flood of addresses cannot grow the map without bound: the oldest bucket goes.
      if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
      bucket = new TokenBucket(options.limits.perAddress);
      buckets.set(source, bucket);
    }
    return bucket.take();
  };
  const refuseRate = (res: http.ServerResponse, wait: number) =>
    sendJson(res, 429, error('Too many requests to the public pages; retry later', 'QUERY_LIMIT_EXCEEDED'), { 'retry-after': String(Math.ceil(wait)) });
  return async (req, res, url) => {
    const path = url.pathname;
    if (path !== PUBLIC_INSPECTIONS_PATH && path !== PUBLIC_GRAPHQL_PATH && !path.startsWith(PUBLIC_DRAWS_PATH)) return false;
    let release: (() => void) | null = null;
    try {
      const wait = addressWait(req);
      if (wait > 0) {
        refuseRate(res, wait);
        return true;
      }
      // A slot before the shared bucket: at most a few public requests at once ask the database anything.
      release = await slots.acquire(PUBLIC_SLOT_WAIT_MS);
      if (!release) {
        sendJson(res, 503, error('The public pages are busy; retry shortly', 'SERVICE_UNAVAILABLE'), { 'retry-after': '1' });
        return true;
      }
      const shared = await options.shared.take(PUBLIC_BUCKET, options.limits.total);
      if (shared > 0) {
        refuseRate(res, shared);
        return true;
      }
      return await serve(req, res, url, path);
    } catch {
      sendJson(res, 500, error('Internal server error', 'INTERNAL_SERVER_ERROR'));
      return true;
    } finally {
      release?.();
    }
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL, path: string): Promise<true> {
    if (path === PUBLIC_GRAPHQL_PATH) return await graphqlRequest(req, res, url, schema, options.maxTokens);
    if (req.method !== 'GET') {
      sendJson(res, 405, error('public pages are read with GET', 'BAD_REQUEST'), { allow: 'GET' });
      return true;
    }
    if (path.startsWith(PUBLIC_DRAWS_PATH)) {
      const taskId = decodeURIComponent(path.slice(PUBLIC_DRAWS_PATH.length));
      const draw = /^[A-Za-z0-9-]{1,64}$/.test(taskId) ? await repository.publishedDraw(taskId) : null;
      if (!draw) sendJson(res, 404, error(`No task ${taskId}`, 'NOT_FOUND'));
      else sendJson(res, 200, draw);
      return true;
    }
    let answer: Awaited<ReturnType<InspectionRepository['results']>>;
    try {
      answer = await pageOfResults(repository, Number(url.searchParams.get('first') ?? 50), url.searchParams.get('after'));
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      sendJson(res, 400, { errors: [e.answered()] });
      return true;
    }
    const { results, cursor } = answer;
    const published = results.map(publicOf);
    const wantsHtml = url.searchParams.get('format') === 'html' || (url.searchParams.get('format') !== 'json' && /text\/html/.test(req.headers.accept ?? ''));
    if (wantsHtml) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(page(published, cursor));
    } else {
      sendJson(res, 200, { results: published, cursor });
    }
    return true;
  }
}

/** The root fields a document reads, through fragments, aliases and every operation (introspection aside). */
function rootFieldsOf(document: DocumentNode): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const count = (selections: readonly SelectionNode[], seen: Set<string>): number =>
    selections.reduce((n, s) => {
      if (s.kind === Kind.FIELD) return n + (s.name.value.startsWith('__') ? 0 : 1);
      if (s.kind === Kind.INLINE_FRAGMENT) return n + count(s.selectionSet.selections, seen);
      // Validation refuses fragment cycles; `seen` keeps an unvalidated one finite all the same.
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return n;
      return n + count(fragment.selectionSet.selections, new Set(seen).add(s.name.value));
    }, 0);
  return document.definitions.reduce((n, d) => n + (d.kind === Kind.OPERATION_DEFINITION ? count(d.selectionSet.selections, new Set()) : 0), 0);
}

async function graphqlRequest(req: http.IncomingMessage, res: http.ServerResponse, url: URL, schema: GraphQLSchema, maxTokens: number): Promise<true> {
  let query: string | null = null;
  let variables: Record<string, unknown> | undefined;
  if (req.method === 'GET') {
    query = url.searchParams.get('query');
    const v = url.searchParams.get('variables');
    try {
      variables = v ? (JSON.parse(v) as Record<string, unknown>) : undefined;
    } catch {
      sendJson(res, 400, error('variables is not JSON', 'BAD_REQUEST'));
      return true;
    }
  } else if (req.method === 'POST') {
    try {
      const body = JSON.parse(await readBody(req, MAX_PUBLIC_BODY)) as { query?: unknown; variables?: unknown };
      query = typeof body.query === 'string' ? body.query : null;
      variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : undefined;
    } catch {
      sendJson(res, 400, error('the body is not a JSON GraphQL request (at most 16 KiB)', 'BAD_REQUEST'));
      return true;
    }
  } else {
    sendJson(res, 405, error('use GET or POST', 'BAD_REQUEST'), { allow: 'GET, POST' });
    return true;
  }
  if (!query) {
    sendJson(res, 400, error('no query', 'BAD_REQUEST'));
    return true;
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens });
  } catch (e) {
    sendJson(res, 400, error((e as Error).message, 'GRAPHQL_PARSE_FAILED'));
    return true;
  }
  const invalid = validate(schema, document);
  const pages = invalid.length ? 0 : rootFieldsOf(document);
  if (pages > 1) {
    sendJson(res, 400, error(`A public request reads one page (it asked for ${pages}); send one request per page`, 'QUERY_LIMIT_EXCEEDED'));
    return true;
  }
  if (invalid.length) {
    sendJson(res, 400, {
      errors: invalid.map((v) => ({ message: v.message.replace(/\s*Did you mean [^]*$/, ''), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
    });
    return true;
  }
  const result = await graphql({ schema, source: query, variableValues: variables });
  // A hub error keeps its code and safe details, as on /graphql; any other fault of a resolver is masked.
  const errors = result.errors?.map((e) =>
    e.originalError instanceof HubError
      ? { ...e.originalError.answered(), path: e.path }
      : e.originalError
        ? { message: 'Internal server error', path: e.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }
        : { message: e.message, path: e.path },
  );
  sendJson(res, 200, { data: result.data ?? null, ...(errors ? { errors } : {}) });
  return true;
}

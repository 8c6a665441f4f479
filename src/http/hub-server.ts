import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { HubContext } from '../graphql/context';
import type { Viewer } from '../read-kit/request-context';
import { AuthenticationError } from '../auth/authentication-error';
import { statusOf } from '../errors/hub-graphql-error';
import { BodyTooLargeError, readBody } from './read-body';
import { BadRequestError, HubError, ServiceUnavailableError, RateLimitError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors';
import { isUnavailable } from '../db/unavailable';
import type { Admission } from '../admission/agency-admission';
import { partsOfSearch, requestShapeProblem, type RequestParts } from './request-shape';
import type { Logger } from '../logger';
import { errorCodeOf, REQUEST_ID_HEADER, RequestLine } from './request-line';
import type { RequestMeter } from '../metrics/request-meter';
import { TRANSLATED_HEADER, type NamespacedOperation, type NamespacedSubgraph } from '../graphql/namespace/namespaced-subgraph';

/** Largest GraphQL request body accepted (bytes). */
export const MAX_BODY_BYTES = 1_000_000;

export interface HubServerOptions {
  apollo: ApolloServer<HubContext>;
  /** Verifies the caller's bearer token; absent only where access control is off (benchmarks). */
  authenticate?: (authorization: string | undefined) => Promise<Viewer>;
  /**
   * Records a refused authentication (the audit, counted per source address and reason): every
   * request leaves a trace, even unidentified.
   */
  onAuthenticationFailure?: (reason: string, source: string) => Promise<void>;
  /** Records a verified caller's request refused at the edge, before Apollo (the audit). */
  onRequestRefused?: (viewer: Viewer, refusal: HubError) => Promise<void>;
  /** Admits a verified caller's request within its agency's share (concurrency, rate), or refuses it. */
  admit?: (viewer: Viewer) => Promise<Admission>;
  /** Records a request refused by its agency's slots or rate limit (counted for the audit). */
  onThrottled?: (viewer: Viewer, limit: string) => void;
  /**
   * Further routes (GraphiQL, the token endpoint…), tried in order before `/graphql` is served as
   * an API: each answers the requests it owns and resolves false for the others.
   */
  routes?: ReadonlyArray<HubRoute>;
  /**
   * The hub's subgraph under its federation namespace, served at `path` like `/graphql` (each
   * operation translated into the hub's own names first, its answer's type names back after).
   */
  namespaced?: { path: string; subgraph: NamespacedSubgraph };
  /** Measures each `/graphql` request from its arrival to its answer (the hub's metrics). */
  meterRequest?: () => RequestMeter;
  createContext: (req: http.IncomingMessage, viewer: Viewer | null, admission: Admission | null, meter: RequestMeter | null) => Promise<HubContext>;
  isReady: () => Promise<boolean>;
  /** Paths of `routes` that machines poll every few seconds (a metrics scrape): logged at debug, like `/health` and `/ready`. */
  polledPaths?: readonly string[];
  /** Where each request's line goes (see `RequestLine`), and failures the front itself meets. */
  logger: Logger;
}

/** A route of the hub's HTTP front beside `/graphql`: true when it answered the request. */
export type HubRoute = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  // Every "not now" says when to try again, so clients back off instead of hammering a hub that is shedding load.
  if (status === 503 && !res.hasHeader('retry-after')) res.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The hub's HTTP front: `/graphql` through Apollo, the OAuth token endpoint and keys, plus
 * `/health` (the process answers) and `/ready` (the database answers and every migration is
 * applied) for orchestrators.
 */
export function createHubServer(options: HubServerOptions): http.Server {
  const { apollo, authenticate, onAuthenticationFailure, onRequestRefused, admit, onThrottled, createContext, isReady, routes = [] } = options;
  const logger = options.logger.child({ component: 'http' });
  const polled = new Set(['/health', '/ready', ...(options.polledPaths ?? [])]);
  const server = http.createServer(async (req, res) => {
    // Shutting down: a request that came on a connection kept alive is not started, and the connection closes.
    if (!server.listening) {
      res.setHeader('connection', 'close');
      const refusal = new ServiceUnavailableError('shuttingDown');
      return sendJson(res, 503, { errors: [refusal.answered()] });
    }
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const line = new RequestLine(logger, req.method ?? 'GET', polled);
    res.setHeader(REQUEST_ID_HEADER, line.requestId);
    const log = logger.child({ requestId: line.requestId });
    let meter: RequestMeter | null = null;
    /** Answers with a refusal of the edge's own, before GraphQL. */
    const refuse = (status: number, error: { message: string; extensions: { code: string } & Record<string, unknown> }) => {
      meter?.refused(error.extensions.code);
      line.refused(error.extensions.code);
      sendJson(res, status, { errors: [error] });
    };
    try {
      if (url.pathname === '/health' && req.method === 'GET') {
        line.served(url.pathname);
        return sendJson(res, 200, { status: 'ok' });
      }
      if (url.pathname === '/ready' && req.method === 'GET') {
        line.served(url.pathname);
        const ready = await isReady();
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
      }
      for (const route of routes) {
        if (await route(req, res, url)) return line.served(url.pathname);
      }
      const namespaced = options.namespaced && url.pathname === options.namespaced.path ? options.namespaced.subgraph : null;
      if (url.pathname !== '/graphql' && !namespaced) return sendJson(res, 404, { error: 'not found' });
      line.served(url.pathname);
      if (options.meterRequest) {
        const measured = (meter = options.meterRequest());
        // Ended when the answer is out, or when the client left before it (the meter ends once).
        res.once('finish', () => measured.end(res.statusCode, true));
        res.once('close', () => measured.end(res.statusCode, res.writableFinished));
      }

      // Who is calling comes first: an unverified request reaches neither Apollo nor the database.
      let viewer: Viewer | null = null;
      if (authenticate) {
        try {
          viewer = await authenticate(req.headers.authorization);
          line.caller(viewer);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          // The reason with the code (the refusal below names only the code).
          line.refused(`UNAUTHENTICATED:${error.reason}`);
          await onAuthenticationFailure?.(error.reason, req.socket.remoteAddress ?? 'unknown').catch((failure: unknown) =>
            log.error({ err: failure }, 'audit of a refused token failed'),
          );
          res.setHeader('www-authenticate', `Bearer realm="xietong", error="invalid_token", error_description="${error.reason}"`);
          return refuse(401, { message: `Authentication failed: ${error.reason}`, extensions: { code: 'UNAUTHENTICATED', reason: error.reason } });
        }
        meter?.callerIs(viewer.agency);
      }
      // One agency's load waits in its own queue, or is refused, before it takes anything shared.
      let admission: Admission | null = null;
      if (viewer && admit) {
        try {
          admission = await admit(viewer);
        } catch (error) {
          if (!(error instanceof RateLimitError)) throw error;
          onThrottled?.(viewer, error.limit);
          res.setHeader('retry-after', String(error.retryAfterSeconds));
          return refuse(429, error.answered());
        }
        // A client that left while queued already closed: its slot goes back now, or never would.
        if (res.closed || req.socket.destroyed) return admission.release();
        res.once('close', admission.release);
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown;
      if (req.method === 'POST') {
        const raw = await readBody(req, MAX_BODY_BYTES);
        if (raw.length > 0 && (headers.get('content-type') ?? '').includes('json')) {
          try {
            body = JSON.parse(raw);
          } catch {
            return refuse(400, { message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
          }
        } else {
          body = raw;
        }
      }
      // What the audit could not record as sent, or would record too much of, never reaches Apollo.
      const refusal = requestShapeProblem(typeof body === 'object' && body !== null ? (body as RequestParts) : partsOfSearch(url.search));
      if (refusal) {
        if (viewer) await onRequestRefused?.(viewer, refusal).catch((failure: unknown) => log.error({ err: failure }, 'audit of a refused request failed'));
        return refuse(statusOf(refusal.code), refusal.answered());
      }
      let translated: NamespacedOperation | null = null;
      if (namespaced) {
        const outcome = namespacedOperation(namespaced, req.method, body);
        if (outcome instanceof HubError) {
          if (viewer) await onRequestRefused?.(viewer, outcome).catch((failure: unknown) => log.error({ err: failure }, 'audit of a refused request failed'));
          return refuse(statusOf(outcome.code), outcome.answered());
        }
        if (outcome) {
          translated = outcome;
          body = { ...(body as RequestParts), query: outcome.query };
        }
      }
      headers.delete(TRANSLATED_HEADER);
      if (translated) headers.set(TRANSLATED_HEADER, '1');
      const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
      let made: HubContext | null = null;
      const context = async () => {
        made = await createContext(req, viewer, admission, meter);
        // The answer is sent here, below: its audit event is written while Apollo serialises it.
        made.effectAudit?.deferWrite();
        line.ran(made);
        return made;
      };
      const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context });
      // Nothing leaves before the request's audit event is written; its refusal replaces the answer
      // if it was not (what the metrics and the log line count, not the answer Apollo's plugins saw).
      const unaudited = await (made as HubContext | null)?.effectAudit?.beforeSending();
      if (unaudited) return refuse(503, unaudited.answered());
      for (const [key, value] of response.headers) if (!(translated && key === 'content-length')) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (res.statusCode === 503 && !res.hasHeader('retry-after')) res.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      if (response.body.kind === 'complete') {
        if (res.statusCode >= 400) line.refused(errorCodeOf(response.body.string));
        // As bytes: given a string, Node measures its UTF-8 length for Content-Length and encodes it
        // again as it writes, each slower than the copy (a 380 KB answer: ~1.2 ms to measure, against
        // 0.1 ms for Buffer.from; `end` was 17 % of the hub's CPU answering a month of flow).
        res.end(Buffer.from(translated ? translated.answer(response.body.string) : response.body.string));
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return refuse(413, { message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } });
      }
      if (isUnavailable(error) && !res.headersSent) {
        // Met before GraphQL (authentication, admission): the database is down or the pool full, not a fault of the hub's.
        const refusal = new ServiceUnavailableError('database');
        log.warn({ err: error }, 'database unavailable');
        return refuse(503, refusal.answered());
      }
      log.error({ err: error }, 'http error');
      line.refused('INTERNAL_SERVER_ERROR');
      if (!res.headersSent) refuse(500, { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      else res.end();
    } finally {
      // A client that left while its request waited for a slot got no answer (nginx's 499).
      line.end(res.headersSent ? res.statusCode : 499);
    }
  });
  return server;
}

/**
 * A request to the namespaced subgraph as the hub runs it: its operation translated, a refusal
 * (not a JSON POST; no operation text: a persisted operation's hash names the hub's own operation),
 * or null when the text does not parse (Apollo answers it as on `/graphql`).
 */
function namespacedOperation(subgraph: NamespacedSubgraph, method: string | undefined, body: unknown): NamespacedOperation | HubError | null {
  if (method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return new BadRequestError('The namespaced subgraph takes one operation as a JSON POST body');
  }
  const { query, operationName } = body as RequestParts;
  if (typeof query !== 'string')
    return new BadRequestError("The namespaced subgraph takes the operation's text, not a persisted operation", { argument: 'query' });
  return subgraph.translate(query, typeof operationName === 'string' ? operationName : undefined);
}

/** Starts listening and resolves with the bound address. */
export function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { HubRoute } from './hub-server';
import { isLoopback } from './loopback';

export const METRICS_PATH = '/metrics';

/** What the route serves: the exposition text of the hub's metrics. */
export interface MetricsExposition {
  contentType: string;
  scrape(): Promise<string>;
}

export interface MetricsRouteOptions {
  /** `METRICS_TOKEN`: the bearer token a scraper must send; null lets loopback clients in without one. */
  token: string | null;
  metrics: MetricsExposition;
  /** Counts a refused scrape for the audit (per source address and reason), like a refused bearer token. */
  onRefused(reason: string, source: string): void;
}

/** Why a scrape was refused. */
type Refusal = { status: 401; reason: 'MISSING_TOKEN' | 'WRONG_TOKEN' } | { status: 403; reason: 'LOOPBACK_ONLY' };

const REFUSAL_MESSAGES: Record<Refusal['reason'], string> = {
  MISSING_TOKEN: '/metrics needs the configured bearer token (Authorization: Bearer <METRICS_TOKEN>)',
  WRONG_TOKEN: 'the bearer token is not the configured METRICS_TOKEN',
  LOOPBACK_ONLY: '/metrics answers this machine only; set METRICS_TOKEN to scrape it from elsewhere',
};

/** Compared as digests, so that neither the content nor the length of the token leaks through timing. */
const digest = (value: string) => createHash('sha256').update(value).digest();

function refusalOf(req: http.IncomingMessage, token: Buffer | null): Refusal | null {
  if (!token) return isLoopback(req) ? null : { status: 403, reason: 'LOOPBACK_ONLY' };
  const presented = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (presented === undefined) return { status: 401, reason: 'MISSING_TOKEN' };
  return timingSafeEqual(digest(presented), token) ? null : { status: 401, reason: 'WRONG_TOKEN' };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * `GET /metrics` for Prometheus. With `METRICS_TOKEN` set, every scraper (loopback ones too: a
 * reverse proxy on the same machine makes every client look local) must send it as a bearer
 * token; without it, only this machine is answered.
 */
export function metricsRoute(options: MetricsRouteOptions): HubRoute {
  const token = options.token === null ? null : digest(options.token);
  return async (req, res, { pathname }) => {
    if (pathname !== METRICS_PATH) return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, { errors: [{ message: 'metrics are read with GET', extensions: { code: 'BAD_REQUEST' } }] }, { allow: 'GET' });
      return true;
    }
    const refusal = refusalOf(req, token);
    if (refusal) {
      options.onRefused(`metrics:${refusal.reason}`, req.socket.remoteAddress ?? 'unknown');
      const code = refusal.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      const challenge: Record<string, string> = refusal.status === 401 ? { 'www-authenticate': 'Bearer realm="xietong-metrics"' } : {};
      sendJson(res, refusal.status, { errors: [{ message: REFUSAL_MESSAGES[refusal.reason], extensions: { code, reason: refusal.reason } }] }, challenge);
      return true;
    }
    const body = await options.metrics.scrape();
    res.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' });
    res.end(body);
    return true;
  };
}

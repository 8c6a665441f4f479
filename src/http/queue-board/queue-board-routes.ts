import type http from 'node:http';
import { createBullBoard } from '@bull-board/api';
import type { BaseAdapter } from '@bull-board/api/dist/queueAdapters/base';
import type { ControllerHandlerReturnType } from '@bull-board/api/typings/app';
import { decodeJwt } from 'jose';
import type { QueueAction } from '../../access/agreements';
import type { QueueBoardGrant } from '../../access/queue-board-grant';
import type { QueueActionEffect, QueueBoardFacts } from '../../audit/queue-board-events';
import { AuthenticationError } from '../../auth/authentication-error';
import { unrecordable } from '../../db/recordable-text';
import { AccessDeniedError, AuditUnavailableError, ErrorCode, type HubError } from '../../errors';
import type { Logger } from '../../logger';
import type { Viewer } from '../../read-kit/request-context';
import { BoardQueues } from '../../sync/operator/board-queues';
import type { QueueBackend } from '../../sync/queue-backend';
import type { HubRoute } from '../hub-server';
import { BodyTooLargeError, readBody } from '../read-body';
import { sendStaticAsset } from '../static-asset';
import { signInPage } from './board-page';
import { BoardServerAdapter, type BoardCall, type BoardRoute } from './board-server-adapter';
import { carriesCsrfToken, clearedCookies, fromOwnPages, isCompactJwt, sessionCookies, sessionTokenOf, type CookieScope } from './board-session';

/** Where the dashboard is served. */
export const QUEUE_BOARD_PATH = '/admin/queues';
const SIGN_IN = '/sign-in';
const SIGN_OUT = '/sign-out';

/** Largest body the dashboard reads: a sign-in form with one token, or an action's small JSON. */
const MAX_BOARD_BODY_BYTES = 16 * 1024;
/** Longest path segment or query value accepted: queue names, job ids and statuses are short, and each may be audited. */
const MAX_BOARD_VALUE_LENGTH = 200;
/**
 * How long a call to the queues may take before the caller is told it failed: a Redis that is
 * down holds commands until it is back instead of failing them.
 */
const BOARD_CALL_TIMEOUT_MS = 10_000;

/**
 * The dashboard's routes that change something, and the queue action an agreement must grant for
 * each. Reads are the `GET` routes; every other route Bull Board offers (adding or editing jobs,
 * schedulers, limits, obliterating a queue) is in neither and is refused to everyone.
 */
const ACTION_ROUTES: Readonly<Record<string, QueueAction>> = {
  'PUT /api/queues/pause': 'pause',
  'PUT /api/queues/resume': 'resume',
  'PUT /api/queues/:queueName/pause': 'pause',
  'PUT /api/queues/:queueName/resume': 'resume',
  'PUT /api/queues/:queueName/retry/:queueStatus': 'retry',
  'PUT /api/queues/:queueName/:jobId/retry': 'retry',
  'PUT /api/queues/:queueName/promote': 'promote',
  'PUT /api/queues/:queueName/:jobId/promote': 'promote',
  'PUT /api/queues/:queueName/clean/:queueStatus': 'clean',
  'PUT /api/queues/:queueName/:jobId/clean': 'clean',
  'PUT /api/queues/:queueName/empty': 'clean',
};

/** The page loads only the hub's own files (the UI package's) and talks only to the hub. */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

export interface QueueBoardOptions {
  /** The queues' store; the dashboard opens its own queues on it at first use. */
  backend: QueueBackend;
  /** Verifies a bearer token, as for `/graphql` (expiry and revocation included). */
  authenticate(authorization: string | undefined): Promise<Viewer>;
  /** Counts a refused token for the audit, as `/graphql` does. */
  onAuthenticationFailure(reason: string, source: string): void;
  /** The caller's dashboard grant, or `AccessDeniedError`. */
  grantOf(viewer: Viewer): QueueBoardGrant;
  /** Appends a request's audit event; rejects when it cannot. */
  audit(facts: QueueBoardFacts): Promise<void>;
  /** Session cookies only over HTTPS (the hub's public address is HTTPS). */
  secureCookies: boolean;
  /** Where failures to audit the dashboard's requests are reported. */
  logger: Logger;
}

/** The dashboard's routes, and the queues it opened. */
export interface QueueBoard {
  route: HubRoute;
  close(): Promise<void>;
}

/** Bull Board's answer to a refusal or failure, so the UI shows it: a translation key, the hub's code and a message. */
const boardError = (key: string, code: string, message: string) => ({ error: { key }, code, message });

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers });
  res.end(status === 204 ? '' : JSON.stringify(body));
}

function sendHtml(res: http.ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY, ...NO_STORE, ...headers });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { location, ...NO_STORE, ...headers });
  res.end();
}

/** Whether the request is a person's browser opening a page (rather than the UI's own API calls). */
const opensPage = (req: http.IncomingMessage) => req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');

/** The path's segments below the board, decoded, or null when one cannot be (or could not be audited). */
function segmentsOf(subPath: string): string[] | null {
  const segments: string[] = [];
  for (const raw of subPath.split('/').filter(Boolean)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment.length > MAX_BOARD_VALUE_LENGTH || unrecordable(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function queryOf(url: URL): Record<string, string> | null {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key.length > MAX_BOARD_VALUE_LENGTH || value.length > MAX_BOARD_VALUE_LENGTH || unrecordable(key) || unrecordable(value)) return null;
    query[key] = value;
  }
  return query;
}

/** What the audit records of a request: which queue, job, status, scheduler or page; never a body. */
function targetOf(params: Record<string, string>, query: Record<string, string>): Record<string, string> {
  const target: Record<string, string> = {};
  const queue = params.queueName ?? query.activeQueue ?? query.queueName;
  if (queue) target.queue = queue;
  if (params.jobId) target.jobId = params.jobId;
  const status = params.queueStatus ?? query.status;
  if (status) target.status = status;
  if (params.schedulerId) target.scheduler = params.schedulerId;
  if (query.page) target.page = query.page;
  return target;
}

type ApiRoute = Extract<BoardRoute, { kind: 'api' }>;

/**
 * Bull Board's answer to a call, within `BOARD_CALL_TIMEOUT_MS`; `failed` when the queues threw or
 * did not answer in time (an action may then have been made or not).
 */
async function answerOf(route: ApiRoute, call: BoardCall): Promise<{ answer: ControllerHandlerReturnType; failed: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      route.answer(call),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the queues did not answer within ${BOARD_CALL_TIMEOUT_MS} ms`)), BOARD_CALL_TIMEOUT_MS);
      }),
    ]);
    return { answer, failed: false };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { answer: { status: 500, body: boardError('ERRORS.INTERNAL_SERVER_ERROR', 'QUEUE_UNAVAILABLE', message) }, failed: true };
  } finally {
    clearTimeout(timer);
  }
}

/** When the token stops being accepted, in seconds from now (at least 1); it was verified already. */
function secondsLeft(token: string): number {
  const { exp } = decodeJwt(token);
  return Math.max(1, Math.floor((exp ?? 0) - Date.now() / 1000));
}

/**
 * The queue dashboard at `/admin/queues`: Bull Board over the sync queues, for the callers whose
 * agreement grants `triggerSync` (the bureau's administrators), with the same tokens as
 * `/graphql`. A browser signs in once by POSTing its access token to `/admin/queues/sign-in`; the
 * token then travels in an HttpOnly, SameSite=Strict cookie scoped to the dashboard and living as
 * long as the token, and is verified on every request like a bearer token (so expiry and
 * revocation apply at once). Scripts may send `Authorization: Bearer` instead. Read-only unless
 * the agreement grants queue actions (`queueActions`), enforced here, per route, whatever the UI
 * shows; a session's actions must also carry its CSRF token and come from the hub's own pages.
 * Every request for data or the page is audited like a read (who, which queue); an action is
 * audited before it runs (no effect without an event) and again with its effect.
 */
export function createQueueBoard(options: QueueBoardOptions): QueueBoard {
  const base = QUEUE_BOARD_PATH;
  const scope: CookieScope = { path: base, secure: options.secureCookies };
  let opened: { queues: BoardQueues; readOnly: BoardServerAdapter; writable: BoardServerAdapter } | null = null;

  const board = (adapters: readonly BaseAdapter[]) => {
    const adapter = new BoardServerAdapter(`${base}/`);
    createBullBoard({
      queues: adapters,
      serverAdapter: adapter,
      options: {
        uiConfig: { boardTitle: 'Xietong sync queues', hideDocsLink: true, miscLinks: [{ text: 'Sign out', url: `${base}${SIGN_OUT}` }] },
      },
    });
    return adapter;
  };
  // The queues are opened at the first verified request, not at start: most hubs never show them.
  const boards = () => {
    if (!opened) {
      const queues = new BoardQueues(options.backend);
      opened = { queues, readOnly: board(queues.readOnly), writable: board(queues.writable) };
    }
    return opened;
  };

  const refusedToken = (req: http.IncomingMessage, res: http.ServerResponse, error: AuthenticationError) => {
    options.onAuthenticationFailure(error.reason, req.socket.remoteAddress ?? 'unknown');
    if (opensPage(req)) return redirect(res, `${base}${SIGN_IN}`, { 'set-cookie': clearedCookies(scope) });
    res.setHeader('www-authenticate', `Bearer realm="xietong", error="invalid_token", error_description="${error.reason}"`);
    sendJson(res, 401, boardError('ERRORS.FORBIDDEN', 'UNAUTHENTICATED', `Authentication failed: ${error.reason}`));
  };

  /**
   * Audits a verified caller's refused request and answers it (403; a person's browser gets the
   * sign-in page, to sign in as someone else). An event that cannot be written is logged: nothing was done.
   */
  const refuse = async (req: http.IncomingMessage, res: http.ServerResponse, facts: Omit<QueueBoardFacts, 'outcome' | 'refusal'>, refusal: HubError) => {
    await options
      .audit({ ...facts, outcome: 'DENIED', refusal: refusal.code })
      .catch((error: unknown) => options.logger.error({ err: error }, 'audit of a refused queue dashboard request failed'));
    if (opensPage(req)) sendHtml(res, 403, signInPage(`${base}${SIGN_IN}`, refusal.message), { 'set-cookie': clearedCookies(scope) });
    else sendJson(res, 403, boardError('ERRORS.FORBIDDEN', refusal.code, refusal.message));
  };

  const auditUnavailable = (res: http.ServerResponse, error: unknown) => {
    options.logger.error({ err: error }, 'queue dashboard audit append failed');
    const refusal = new AuditUnavailableError('NONE');
    sendJson(res, 503, boardError('ERRORS.INTERNAL_SERVER_ERROR', refusal.code, refusal.message));
  };

  const signIn = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();
    if (!fromOwnPages(req)) return sendHtml(res, 403, signInPage(`${base}${SIGN_IN}`, 'Sign in from the dashboard\u2019s own page.'));
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const token =
      type === 'application/x-www-form-urlencoded' ? (new URLSearchParams(await readBody(req, MAX_BOARD_BODY_BYTES)).get('token') ?? '').trim() : '';
    if (!isCompactJwt(token)) return sendHtml(res, 400, signInPage(`${base}${SIGN_IN}`, 'Paste an access token (a JWT: three parts separated by dots).'));
    let viewer: Viewer;
    try {
      viewer = await options.authenticate(`Bearer ${token}`);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      options.onAuthenticationFailure(error.reason, req.socket.remoteAddress ?? 'unknown');
      return sendHtml(res, 401, signInPage(`${base}${SIGN_IN}`, `The token was refused: ${error.reason}.`));
    }
    const facts = { viewer, route: `POST ${SIGN_IN}`, target: {} };
    let grant: QueueBoardGrant;
    try {
      grant = options.grantOf(viewer);
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      await options
        .audit({ ...facts, agreement: null, outcome: 'DENIED', refusal: error.code, durationMs: performance.now() - started })
        .catch((failure: unknown) => options.logger.error({ err: failure }, 'audit of a refused queue dashboard sign-in failed'));
      return sendHtml(res, 403, signInPage(`${base}${SIGN_IN}`, error.message));
    }
    try {
      await options.audit({ ...facts, agreement: grant.agreement.id, outcome: 'OK', durationMs: performance.now() - started });
    } catch (error) {
      options.logger.error({ err: error }, 'queue dashboard audit append failed');
      return sendHtml(res, 503, signInPage(`${base}${SIGN_IN}`, new AuditUnavailableError('NONE').message));
    }
    redirect(res, `${base}/`, { 'set-cookie': sessionCookies(token, secondsLeft(token), scope) });
  };

  /**
   * An action: refused unless it comes with the session's CSRF token (from a browser) and the
   * caller's agreement grants it; then its event first (refused if it cannot be written), the
   * action, and its effect's event.
   */
  const attempt = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: ApiRoute,
    call: BoardCall,
    { grant, sessionToken, ...facts }: Omit<QueueBoardFacts, 'outcome' | 'action'> & { grant: QueueBoardGrant; sessionToken: string | null },
  ): Promise<void> => {
    // Read first, so a body over the limit is refused before anything is audited or done.
    const raw = await readBody(req, MAX_BOARD_BODY_BYTES);
    try {
      call.body = raw.trim() ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, boardError('ERRORS.INVALID_REQUEST_BODY', 'BAD_REQUEST', 'The request body is not JSON'));
    }
    if (sessionToken && !(fromOwnPages(req) && carriesCsrfToken(req, sessionToken))) {
      return refuse(req, res, facts, new AccessDeniedError(ErrorCode.FORBIDDEN, 'Actions must come from the dashboard\u2019s own page with its CSRF token'));
    }
    const action = ACTION_ROUTES[facts.route];
    if (!action || !grant.actions.has(action)) {
      const reason = action
        ? `Agreement ${grant.agreement.id} does not grant the queue action "${action}"`
        : `The queue dashboard does not offer ${facts.route} on this hub`;
      return refuse(req, res, facts, new AccessDeniedError(ErrorCode.FORBIDDEN, reason, { action: action ?? null }));
    }
    const started = performance.now();
    const event = (effect: QueueActionEffect, outcome: QueueBoardFacts['outcome']) =>
      options.audit({ ...facts, action: { name: action, effect }, outcome, durationMs: performance.now() - started });
    try {
      await event('REQUESTED', 'OK');
    } catch (error) {
      return auditUnavailable(res, error);
    }
    const { answer, failed } = await answerOf(route, call);
    const effect: QueueActionEffect = failed ? 'UNKNOWN' : (answer.status ?? 200) < 400 ? 'MADE' : 'NONE';
    // The action was recorded before it ran; a failure to record its effect is logged, and the caller still learns what happened.
    await event(effect, effect === 'MADE' ? 'OK' : 'ERROR').catch((error: unknown) =>
      options.logger.error({ err: error }, "audit of a queue action's effect failed"),
    );
    sendJson(res, answer.status ?? 200, answer.body);
  };

  /** A verified caller's request for the board's page, files or API: what it asks, whether its grant allows it, its audit and answer. */
  const serve = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    viewer: Viewer,
    sessionToken: string | null,
    segments: readonly string[],
    query: Record<string, string>,
  ): Promise<void> => {
    // What: the same route on either board; which board depends on the grant.
    const { readOnly, writable } = boards();
    const asked = readOnly.route(req.method ?? 'GET', segments);
    if (!asked) {
      sendJson(res, 404, boardError('ERRORS.FORBIDDEN', 'NOT_FOUND', 'The queue dashboard has no such page or route'));
      return;
    }
    const params = asked.kind === 'api' ? asked.params : {};
    const routeName = asked.kind === 'api' ? `${asked.method} ${asked.pattern}` : asked.kind === 'page' ? `GET ${asked.pattern}` : null;
    const facts = { viewer, route: routeName ?? 'GET /static', target: targetOf(params, query), durationMs: 0 };
    let grant: QueueBoardGrant;
    try {
      grant = options.grantOf(viewer);
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      await refuse(req, res, { ...facts, agreement: null }, error);
      return;
    }
    // The UI's own code: served to a verified caller, not audited (it holds no data).
    if (asked.kind === 'asset') {
      sendStaticAsset(req, res, asked.asset, { 'cache-control': 'private, max-age=3600' });
      return;
    }
    const chosen = (grant.actions.size ? writable : readOnly).route(req.method ?? 'GET', segments)!;
    const granted = { ...facts, agreement: grant.agreement.id };
    const started = performance.now();
    if (chosen.kind === 'page') {
      const html = chosen.answer();
      try {
        await options.audit({ ...granted, outcome: 'OK', durationMs: performance.now() - started });
      } catch (error) {
        auditUnavailable(res, error);
        return;
      }
      sendHtml(res, 200, html);
      return;
    }
    if (chosen.kind !== 'api') throw new Error('a board route changed kind between boards');
    const call: BoardCall = { query, body: {}, headers: { 'content-type': req.headers['content-type'] } };
    if (chosen.method !== 'GET') return attempt(req, res, chosen, call, { ...granted, grant, sessionToken });
    const { answer } = await answerOf(chosen, call);
    const status = answer.status ?? 200;
    try {
      await options.audit({ ...granted, outcome: status < 400 ? 'OK' : 'ERROR', durationMs: performance.now() - started });
    } catch (error) {
      auditUnavailable(res, error);
      return;
    }
    sendJson(res, status, answer.body);
  };

  const route: HubRoute = async (req, res, url) => {
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
    const subPath = url.pathname.slice(base.length) || '/';
    try {
      if (subPath === SIGN_IN && req.method === 'GET') {
        sendHtml(res, 200, signInPage(`${base}${SIGN_IN}`, null));
        return true;
      }
      if (subPath === SIGN_IN && req.method === 'POST') {
        await signIn(req, res);
        return true;
      }
      if (subPath === SIGN_OUT && req.method === 'GET') {
        redirect(res, `${base}${SIGN_IN}`, { 'set-cookie': clearedCookies(scope) });
        return true;
      }
      const segments = segmentsOf(subPath);
      const query = queryOf(url);
      if (!segments || !query) {
        sendJson(
          res,
          400,
          boardError(
            'ERRORS.INVALID_QUERY_PARAM',
            'BAD_REQUEST',
            `Path segments and query values must be text of at most ${MAX_BOARD_VALUE_LENGTH} characters`,
          ),
        );
        return true;
      }

      // Who: a bearer header (scripts) or the session cookie (a signed-in browser), verified alike.
      const sessionToken = req.headers.authorization ? null : sessionTokenOf(req);
      let viewer: Viewer;
      try {
        viewer = await options.authenticate(req.headers.authorization ?? (sessionToken ? `Bearer ${sessionToken}` : undefined));
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        refusedToken(req, res, error);
        return true;
      }

      await serve(req, res, viewer, sessionToken, segments, query);
      return true;
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      sendJson(res, 413, boardError('ERRORS.INVALID_REQUEST_BODY', 'PAYLOAD_TOO_LARGE', error.message));
      return true;
    }
  };

  return {
    route,
    async close() {
      await opened?.queues.close();
    },
  };
}

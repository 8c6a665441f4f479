import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AuthenticationError } from '../auth/authentication-error';
import { ErrorCode, HubError } from '../errors';
import { statusOf } from '../errors/hub-graphql-error';
import type { Logger } from '../logger';
import type { Viewer } from '../read-kit/request-context';
import { BodyTooLargeError, readBody } from '../http/read-body';
import type { ExportLinks } from './export-link';
import type { ExportJobs, ExportTokenRefusal } from './export-jobs';
import { exportPages, type ExecutePage, type ExportQuery } from './export-pages';
import { readExportRequest, type PersistedOperation } from './export-request';
import { CONTENT_TYPES, sinkFor, type ExportFormat } from './row-sink';

export const EXPORTS_PATH = '/exports';

export interface ExportRouteOptions {
  authenticate(authorization: string | undefined): Promise<Viewer>;
  onAuthenticationFailure(reason: string, source: string): void;
  /** Audits a verified caller's export refused before any page ran (a body that does not read). */
  onRequestRefused(viewer: Viewer, refusal: HubError): Promise<void>;
  /** Runs one page of the export as `viewer` through the hub's request pipeline, marked as the export's page for the audit. */
  execute(viewer: Viewer, query: ExportQuery, page: { id: string; format: ExportFormat; number: number }): ReturnType<ExecutePage>;
  persisted: ReadonlyMap<string, PersistedOperation>;
  jobs: ExportJobs;
  links: ExportLinks;
  /** Exports of at most this many rows (by the connection's `totalCount`, or a single page) stream in the response; larger ones are queued. */
  inlineMaxRows: number;
  maxTokens: number;
  maxBodyBytes: number;
  logger: Logger;
}

/** The failures of an export whose token no longer stands (`ExportTokenRefusal`): its file is refused as its token would be. */
const TOKEN_REFUSALS: ReadonlySet<string> = new Set<ExportTokenRefusal['code']>(['TOKEN_REVOKED', 'TOKEN_EXPIRED']);

const FILE_EXTENSIONS: Record<ExportFormat, string> = { CSV: 'csv', XLSX: 'xlsx' };

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, error: HubError): void {
  const status = error.code === ErrorCode.NOT_FOUND ? 404 : statusOf(error.code);
  sendJson(res, status === 200 ? 500 : status, { errors: [error.answered()] });
}

class ExportNotFound extends HubError {
  readonly code = ErrorCode.NOT_FOUND;
}

class ExportLinkRefused extends HubError {
  readonly code = ErrorCode.FORBIDDEN;
}

/**
 * `POST /exports` (an operation of the API as CSV or XLSX), `GET /exports/<id>` (a queued export's
 * state and, once done, its download link) and `GET /exports/<id>/file` (the file, through the
 * link, with the owner's token). Every page of an export is a request of its caller's through the
 * hub's own pipeline (`execute`): the same agreement, masking, row scopes, pricing and audit as the
 * query it wraps; the first page runs before anything is streamed or queued, so a refused export
 * is answered with that refusal and runs no further.
 */
export function exportRoutes(options: ExportRouteOptions): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean> {
  const { jobs, links } = options;
  const log = options.logger.child({ component: 'exports' });

  const authenticated = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<Viewer | null> => {
    try {
      return await options.authenticate(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      options.onAuthenticationFailure(error.reason, req.socket.remoteAddress ?? 'unknown');
      res.setHeader('www-authenticate', `Bearer realm="xietong", error="invalid_token", error_description="${error.reason}"`);
      sendJson(res, 401, { errors: [{ message: `Authentication failed: ${error.reason}`, extensions: { code: 'UNAUTHENTICATED', reason: error.reason } }] });
      return null;
    }
  };

  const start = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const viewer = await authenticated(req, res);
    if (!viewer) return;
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, options.maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      body = undefined;
    }
    let asked;
    try {
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      asked = readExportRequest(body, header, options.persisted, { maxTokens: options.maxTokens });
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      await options.onRequestRefused(viewer, error).catch((failure: unknown) => log.error({ err: failure }, 'audit of a refused export failed'));
      return sendError(res, error);
    }
    const id = randomUUID();
    const { query, shape, format } = asked;
    const pages = exportPages(shape, query, (q, number) => options.execute(viewer, q, { id, format, number }));
    let first;
    try {
      first = await pages.next();
    } catch (error) {
      if (error instanceof HubError) return sendError(res, error);
      throw error;
    }
    const page = first.done ? null : first.value;
    const queued = (body as { queued?: unknown }).queued === true;
    const small = !page || !page.hasNextPage || (page.totalCount !== null && page.totalCount <= options.inlineMaxRows);
    if (queued || !small) {
      await pages.return(undefined);
      await jobs.enqueue(id, {
        owner: { agency: viewer.agency, subject: viewer.subject },
        viewer: {
          agency: viewer.agency,
          subject: viewer.subject,
          roles: viewer.roles,
          divisions: viewer.divisions,
          ...(viewer.tokenId ? { tokenId: viewer.tokenId } : {}),
        },
        // The verifier names every token's id, issue and expiry: the job checks them again before each page.
        token: { id: viewer.tokenId!, issuedAt: viewer.issuedAt!.getTime() / 1000, expiresAt: viewer.expiresAt!.getTime() / 1000 },
        query,
        format,
      });
      res.setHeader('location', `${EXPORTS_PATH}/${id}`);
      return sendJson(res, 202, { id, state: 'queued', format, totalCount: page?.totalCount ?? null, statusUrl: `${EXPORTS_PATH}/${id}` });
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="export-${id}.${FILE_EXTENSIONS[format]}"`,
      'cache-control': 'no-store',
      'x-export-id': id,
    });
    const sink = sinkFor(format, res);
    try {
      await sink.header(page?.columns ?? shape.columns);
      if (page) await sink.rows(page.rows);
      for await (const next of pages) await sink.rows(next.rows);
      await sink.end();
    } catch (error) {
      // The status is out already: a cut connection tells the client the file is incomplete.
      log.warn({ err: error, exportId: id }, 'export stopped');
      res.destroy();
    }
  };

  const status = async (req: http.IncomingMessage, res: http.ServerResponse, id: string) => {
    const viewer = await authenticated(req, res);
    if (!viewer) return;
    const owner = { agency: viewer.agency, subject: viewer.subject };
    const found = await jobs.statusOf(id, owner);
    if (!found) return sendError(res, new ExportNotFound(`Export ${id} was not found`));
    sendJson(res, 200, { ...found, ...(found.state === 'done' ? { download: links.linkFor(id, owner) } : {}) });
  };

  const file = async (req: http.IncomingMessage, res: http.ServerResponse, id: string, search: URLSearchParams) => {
    const viewer = await authenticated(req, res);
    if (!viewer) return;
    const owner = { agency: viewer.agency, subject: viewer.subject };
    const problem = links.problemWith(id, owner, search);
    if (problem) return sendError(res, new ExportLinkRefused(`The download is refused: ${problem}`, { reason: problem }));
    const found = await jobs.statusOf(id, owner);
    const refusal = found?.error && TOKEN_REFUSALS.has(found.error.code) ? found.error : null;
    if (refusal)
      return sendJson(res, 401, {
        errors: [{ message: `The download is refused: ${refusal.message}`, extensions: { code: 'UNAUTHENTICATED', reason: refusal.code } }],
      });
    if (!found || found.state !== 'done') return sendError(res, new ExportNotFound(`Export ${id} was not found`));
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[found.format],
      'content-disposition': `attachment; filename="export-${id}.${FILE_EXTENSIONS[found.format]}"`,
      'cache-control': 'no-store',
    });
    await pipeline(fs.createReadStream(jobs.fileOf(id, found.format)), res);
  };

  return async (req, res, url) => {
    if (url.pathname === EXPORTS_PATH && req.method === 'POST') {
      await start(req, res);
      return true;
    }
    const match = /^\/exports\/([0-9a-f-]{36})(\/file)?$/.exec(url.pathname);
    if (!match || req.method !== 'GET') return url.pathname === EXPORTS_PATH || url.pathname.startsWith(`${EXPORTS_PATH}/`) ? notFound(res) : false;
    if (match[2]) await file(req, res, match[1], url.searchParams);
    else await status(req, res, match[1]);
    return true;
  };
}

function notFound(res: http.ServerResponse): true {
  sendJson(res, 404, { errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  return true;
}

import fs from 'node:fs';
import path from 'node:path';
import type { Job, Queue, Worker } from 'bullmq';
import { HubError } from '../errors';
import { repeatedWarning, type Logger } from '../logger';
import type { Viewer } from '../read-kit/request-context';
import type { QueueBackend } from '../sync/queue-backend';
import type { ExportOwner } from './export-link';
import { exportPages, type ExecutePage, type ExportQuery } from './export-pages';
import { exportShapeOf } from './export-shape';
import { parse } from 'graphql';
import { sinkFor, type ExportFormat } from './row-sink';

export const EXPORT_QUEUE = 'exports';

/** The access token an export was asked with (seconds since the epoch): its pages and its file stand only while it does. */
export interface ExportToken {
  id: string;
  issuedAt: number;
  expiresAt: number;
}

/** A queued export: who asked (the pages run as them), with which token, what and in which format. */
export interface ExportJobData {
  owner: ExportOwner;
  viewer: Omit<Viewer, 'expiresAt' | 'issuedAt'>;
  token: ExportToken;
  query: ExportQuery;
  format: ExportFormat;
}

/** Why an export's token no longer stands: its job fails with it, and its file is refused and removed. */
export interface ExportTokenRefusal {
  code: 'TOKEN_REVOKED' | 'TOKEN_EXPIRED';
  message: string;
}

class TokenRefused extends Error {
  constructor(readonly refusal: ExportTokenRefusal) {
    super(refusal.message);
  }
}

export interface ExportProgress {
  rows: number;
  pages: number;
  /** The connection's `totalCount`, when the query selects it. */
  totalCount: number | null;
}

export interface ExportResult extends ExportProgress {
  bytes: number;
}

/** An export's state as its owner sees it (`GET /exports/<id>`). */
export interface ExportStatus {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  format: ExportFormat;
  progress: ExportProgress | null;
  result: ExportResult | null;
  /** Why it failed: the page's error code and message. */
  error: { code: string; message: string } | null;
}

const EXTENSIONS: Record<ExportFormat, string> = { CSV: 'csv', XLSX: 'xlsx' };

/**
 * Large exports, queued on the sync's backend (Redis or PostgreSQL) and written by a worker in
 * the hub process (the pages run through its request pipeline) into `dir`, one file per export,
 * removed after `retentionHours`. A failed export is not retried: its pages were refused or failed
 * as the caller's own requests, and the audit holds what ran.
 */
export class ExportJobs {
  private readonly queue: Queue<ExportJobData>;
  /**
   * Started by the first export this instance queues, or at start when exports wait: an idle
   * worker would poll the queue for ever, and on a broken queue spin in BullMQ's retry loop.
   */
  private worker: Worker<ExportJobData, ExportResult> | null = null;
  private readonly log: Logger;
  private closed = false;
  private recheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly backend: QueueBackend,
    private readonly dir: string,
    private readonly retentionHours: number,
    /** How often (ms), while this instance has no worker, it looks for exports nobody is writing. */
    strandedCheckMs: number,
    private readonly execute: (viewer: Viewer, query: ExportQuery, page: { id: string; format: ExportFormat; number: number }) => ReturnType<ExecutePage>,
    /** The token revocations the hub's requests are checked against. */
    private readonly isRevoked: (jti: string, agency: string, issuedAt: number) => boolean,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'exports' });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.queue = backend.createQueue<ExportJobData>(EXPORT_QUEUE);
    const queueError = repeatedWarning(this.log, 'queue error');
    this.queue.on('error', (error) => queueError({ err: error, queue: EXPORT_QUEUE }));
    void this.resumeWaiting();
    // Exports another instance queued (and left, stopped or killed) are found here too, however the first look went.
    this.recheck = setInterval(() => void this.resumeWaiting(), strandedCheckMs);
    this.recheck.unref();
  }

  /** Starts the worker when exports wait that no worker here took (queued before this start, or by an instance that died). */
  private async resumeWaiting(): Promise<void> {
    if (this.worker || this.closed) return;
    try {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) this.startWorker();
    } catch (error) {
      // The queue is not there yet (or broken): looked at again at the next check.
      if (!this.closed) this.log.warn({ err: error, queue: EXPORT_QUEUE }, 'waiting exports not checked');
    }
  }

  private startWorker(): void {
    if (this.worker || this.closed) return;
    if (this.recheck) clearInterval(this.recheck);
    this.worker = this.backend.createWorker<ExportJobData, ExportResult>(EXPORT_QUEUE, async (job) => {
      const { viewer, query, format } = job.data;
      const id = job.id!;
      const shape = exportShapeOf(parse(query.query), query.operationName);
      const partial = `${this.fileOf(id, format)}.part`;
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      const sink = sinkFor(format, out);
      const progress: ExportProgress = { rows: 0, pages: 0, totalCount: null };
      try {
        // A page is a read as the caller: a token revoked or expired since the export was queued reads no further.
        const asCaller: ExecutePage = (q, number) => {
          const refusal = this.tokenRefusalOf(job.data);
          if (refusal) throw new TokenRefused(refusal);
          return this.execute(viewer, q, { id, format, number });
        };
        for await (const page of exportPages(shape, query, asCaller)) {
          if (page.number === 1) await sink.header(page.columns);
          await sink.rows(page.rows);
          progress.rows += page.rows.length;
          progress.pages = page.number;
          progress.totalCount ??= page.totalCount;
          await job.updateProgress({ ...progress });
        }
        await sink.end();
      } catch (error) {
        // The file is opened asynchronously: destroyed before its open completes, the stream still
        // creates it, so it is removed only once the stream has closed (a first page refused at once
        // left a `.part` behind).
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
        fs.rmSync(partial, { force: true });
        // The job's failure is shown to its owner (`GET /exports/<id>`): a hub error's code and message, nothing else.
        if (error instanceof TokenRefused) throw new Error(`[${error.refusal.code}] ${error.refusal.message}`);
        throw new Error(error instanceof HubError ? `[${error.code}] ${error.message}` : '[INTERNAL_SERVER_ERROR] The export failed');
      }
      fs.renameSync(partial, this.fileOf(id, format));
      this.sweep(this.log);
      return { ...progress, bytes: fs.statSync(this.fileOf(id, format)).size };
    });
    const workerError = repeatedWarning(this.log, 'worker error');
    this.worker.on('error', (error) => workerError({ err: error, queue: EXPORT_QUEUE }));
    this.worker.on('failed', (job, error) => this.log.info({ exportId: job?.id, code: (error as { code?: string }).code }, 'export failed'));
  }

  fileOf(id: string, format: ExportFormat): string {
    return path.join(this.dir, `${id}.${EXTENSIONS[format]}`);
  }

  async enqueue(id: string, data: ExportJobData): Promise<void> {
    this.startWorker();
    await this.queue.add('export', data, {
      jobId: id,
      attempts: 1,
      removeOnComplete: { age: this.retentionHours * 3600 },
      removeOnFail: { age: this.retentionHours * 3600 },
    });
  }

  /** The export `id` as `owner` may see it; null when there is none, or it is someone else's (alike, so as to tell nothing). */
  async statusOf(id: string, owner: ExportOwner): Promise<ExportStatus | null> {
    // The state is read before the job: a job read first and finished before its state was read
    // said completed with no result (its returnvalue was read while it ran). States only move on,
    // so a job read after its state holds at least what that state promises.
    let state = await this.queue.getJobState(id);
    const job: Job<ExportJobData, ExportResult> | undefined = await this.queue.getJob(id);
    if (!job || job.data.owner.agency !== owner.agency || job.data.owner.subject !== owner.subject) return null;
    // A finished export's file is its caller's only while the token it was read with stands.
    const refusal = state === 'completed' ? this.tokenRefusalOf(job.data) : null;
    if (refusal) {
      fs.rmSync(this.fileOf(id, job.data.format), { force: true });
      state = 'failed';
    }
    const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as unknown as ExportProgress) : null;
    const failed = state === 'failed';
    const done = state === 'completed' && fs.existsSync(this.fileOf(id, job.data.format));
    return {
      id,
      state: done ? 'done' : failed || state === 'completed' ? 'failed' : state === 'active' ? 'running' : 'queued',
      format: job.data.format,
      progress,
      result: done ? job.returnvalue : null,
      error:
        refusal ?? (failed ? { code: (job.failedReason ?? '').match(/^\[(\w+)\]/)?.[1] ?? 'INTERNAL_SERVER_ERROR', message: job.failedReason ?? '' } : null),
    };
  }

  /** Why the token `data` was queued with no longer stands, or null. */
  private tokenRefusalOf({ token, owner }: ExportJobData, now = Date.now()): ExportTokenRefusal | null {
    // An export queued without a token (before tokens were recorded) cannot be checked: it is refused as revoked.
    if (!token || this.isRevoked(token.id, owner.agency, token.issuedAt))
      return { code: 'TOKEN_REVOKED', message: 'The access token the export was asked with has been revoked' };
    if (token.expiresAt * 1000 <= now) return { code: 'TOKEN_EXPIRED', message: 'The access token the export was asked with has expired' };
    return null;
  }

  /** Removes the files of exports older than the retention. */
  private sweep(log: Logger): void {
    const before = Date.now() - this.retentionHours * 3600_000;
    for (const name of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      try {
        if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
      } catch (error) {
        log.warn({ err: error }, 'export file not removed');
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.recheck) clearInterval(this.recheck);
    await this.worker?.close();
    await this.queue.close();
  }
}

import fs from 'node:fs';
import path from 'node:path';
import type { Job, Queue, Worker } from 'bullmq';
import { HubError } from '../errors';
import type { Logger } from '../logger';
import type { Viewer } from '../read-kit/request-context';
import type { QueueBackend } from '../sync/queue-backend';
import type { ExportOwner } from './export-link';
import { exportPages, type ExecutePage, type ExportQuery } from './export-pages';
import { exportShapeOf } from './export-shape';
import { parse } from 'graphql';
import { sinkFor, type ExportFormat } from './row-sink';

export const EXPORT_QUEUE = 'exports';

/** A queued export: who asked (the pages run as them), what and in which format. */
export interface ExportJobData {
  owner: ExportOwner;
  viewer: Omit<Viewer, 'expiresAt'>;
  query: ExportQuery;
  format: ExportFormat;
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
  private readonly worker: Worker<ExportJobData, ExportResult>;

  constructor(
    backend: QueueBackend,
    private readonly dir: string,
    private readonly retentionHours: number,
    execute: (viewer: Viewer, query: ExportQuery, page: { id: string; format: ExportFormat; number: number }) => ReturnType<ExecutePage>,
    logger: Logger,
  ) {
    const log = logger.child({ component: 'exports' });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.queue = backend.createQueue<ExportJobData>(EXPORT_QUEUE);
    this.queue.on('error', (error) => log.warn({ err: error, queue: EXPORT_QUEUE }, 'queue error'));
    this.worker = backend.createWorker<ExportJobData, ExportResult>(EXPORT_QUEUE, async (job) => {
      const { viewer, query, format } = job.data;
      const id = job.id!;
      const shape = exportShapeOf(parse(query.query), query.operationName);
      const partial = `${this.fileOf(id, format)}.part`;
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      const sink = sinkFor(format, out);
      const progress: ExportProgress = { rows: 0, pages: 0, totalCount: null };
      try {
        for await (const page of exportPages(shape, query, (q, number) => execute(viewer, q, { id, format, number }))) {
          if (page.number === 1) await sink.header(page.columns);
          await sink.rows(page.rows);
          progress.rows += page.rows.length;
          progress.pages = page.number;
          progress.totalCount ??= page.totalCount;
          await job.updateProgress({ ...progress });
        }
        await sink.end();
      } catch (error) {
        out.destroy();
        fs.rmSync(partial, { force: true });
        // The job's failure is shown to its owner (`GET /exports/<id>`): a hub error's code and message, nothing else.
        throw new Error(error instanceof HubError ? `[${error.code}] ${error.message}` : '[INTERNAL_SERVER_ERROR] The export failed');
      }
      fs.renameSync(partial, this.fileOf(id, format));
      this.sweep(log);
      return { ...progress, bytes: fs.statSync(this.fileOf(id, format)).size };
    });
    this.worker.on('error', (error) => log.warn({ err: error, queue: EXPORT_QUEUE }, 'worker error'));
    this.worker.on('failed', (job, error) => log.info({ exportId: job?.id, code: (error as { code?: string }).code }, 'export failed'));
  }

  fileOf(id: string, format: ExportFormat): string {
    return path.join(this.dir, `${id}.${EXTENSIONS[format]}`);
  }

  async enqueue(id: string, data: ExportJobData): Promise<void> {
    await this.queue.add('export', data, {
      jobId: id,
      attempts: 1,
      removeOnComplete: { age: this.retentionHours * 3600 },
      removeOnFail: { age: this.retentionHours * 3600 },
    });
  }

  /** The export `id` as `owner` may see it; null when there is none, or it is someone else's (alike, so as to tell nothing). */
  async statusOf(id: string, owner: ExportOwner): Promise<ExportStatus | null> {
    const job: Job<ExportJobData, ExportResult> | undefined = await this.queue.getJob(id);
    if (!job || job.data.owner.agency !== owner.agency || job.data.owner.subject !== owner.subject) return null;
    const state = await job.getState();
    const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as unknown as ExportProgress) : null;
    const failed = state === 'failed';
    const done = state === 'completed' && fs.existsSync(this.fileOf(id, job.data.format));
    return {
      id,
      state: done ? 'done' : failed || state === 'completed' ? 'failed' : state === 'active' ? 'running' : 'queued',
      format: job.data.format,
      progress,
      result: done ? job.returnvalue : null,
      error: failed ? { code: (job.failedReason ?? '').match(/^\[(\w+)\]/)?.[1] ?? 'INTERNAL_SERVER_ERROR', message: job.failedReason ?? '' } : null,
    };
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
    await this.worker.close();
    await this.queue.close();
  }
}

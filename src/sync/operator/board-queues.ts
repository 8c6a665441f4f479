import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { AppJobScheduler } from '@bull-board/api/typings/app';
import type { Queue } from 'bullmq';
import { SourceSystem } from '../../../connectors/contract/canonical/codes';
import type { QueueBackend } from '../queue-backend';
import type { RunSummary } from '../run-stream';
import { queueNameOf, type SyncJobData } from '../sync-job';
import { scrub } from '../../logger';

/** What the dashboard shows of a job's data and its result: named keys only, so a field added to either is hidden until listed here. */
const SHOWN_DATA: ReadonlyArray<keyof SyncJobData> = ['system', 'stream', 'mode', 'runId'];
const SHOWN_RESULT: ReadonlyArray<keyof RunSummary> = ['runId', 'status', 'batches', 'read', 'inserted', 'updated', 'unchanged', 'deleted', 'quarantined'];

/** The named keys of `value` whose values are strings or numbers; anything else (null included) as null. */
function only(keys: readonly string[], value: unknown): Record<string, string | number> | null {
  if (typeof value !== 'object' || value === null) return null;
  const shown: Record<string, string | number> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number') shown[key] = v;
  }
  return shown;
}

/**
 * A sync queue as the dashboard reads it. Sync jobs carry only system, stream, mode and run id
 * (sync-job.ts; and a trace context, not shown), and results only counts; the dashboard shows
 * exactly those keys of a job's data, a scheduler's template and a job's result, so that whatever
 * else a job might ever carry is not shown to a browser.
 */
/**
 * A job as the dashboard formats it: its failure reason scrubbed and no stack. A worker's error
 * quotes what failed (a driver's message can carry a row's value); the audit's `SyncRun.errorMessage`
 * and the logs scrub it too. Everything else (retry, promote…) acts on the job itself.
 */
function shown<J extends object>(job: J): J;
function shown<J extends object>(job: J | undefined): J | undefined;
function shown<J extends object>(job: J | undefined): J | undefined {
  if (!job) return job;
  return new Proxy(job, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'toJSON' && typeof value === 'function') {
        return () => {
          const json = (value as () => Record<string, unknown>).call(target);
          return { ...json, failedReason: typeof json.failedReason === 'string' ? scrub(json.failedReason) : json.failedReason, stacktrace: [] };
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

class SyncQueueAdapter extends BullMQAdapter {
  constructor(queue: Queue, readOnlyMode: boolean) {
    super(queue, { readOnlyMode, allowRetries: !readOnlyMode, description: 'sync jobs of one upstream system' });
    this.setFormatter('data', (data: unknown) => only(SHOWN_DATA, data));
    this.setFormatter('returnValue', (result: unknown) => only(SHOWN_RESULT, result));
    this.setFormatter('progress', (progress: unknown) => (typeof progress === 'number' ? progress : 0));
  }

  override async getJob(id: string): ReturnType<BullMQAdapter['getJob']> {
    return shown(await super.getJob(id));
  }

  override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>): ReturnType<BullMQAdapter['getJobs']> {
    return (await super.getJobs(...args)).map((job) => shown(job));
  }

  override async getJobSchedulers(): Promise<Omit<AppJobScheduler, 'queueName'>[]> {
    return (await super.getJobSchedulers()).map((scheduler) =>
      scheduler.template ? { ...scheduler, template: { ...scheduler.template, data: only(SHOWN_DATA, scheduler.template.data) ?? undefined } } : scheduler,
    );
  }
}

/**
 * The sync queues (one per upstream system, every system whether configured or not) for the
 * queue dashboard, as two sets of adapters over the same queues: read-only, for callers whose
 * agreement grants no queue action (the dashboard then offers none), and writable.
 */
export class BoardQueues {
  private readonly queues: Queue[];
  readonly readOnly: readonly BullMQAdapter[];
  readonly writable: readonly BullMQAdapter[];

  constructor(backend: QueueBackend) {
    this.queues = Object.values(SourceSystem).map((system) => {
      const queue = backend.createQueue<SyncJobData>(queueNameOf(system)) as unknown as Queue;
      // A store that is down fails the dashboard's requests; it must not crash the hub.
      queue.on('error', () => undefined);
      return queue;
    });
    this.readOnly = this.queues.map((queue) => new SyncQueueAdapter(queue, true));
    this.writable = this.queues.map((queue) => new SyncQueueAdapter(queue, false));
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}

import { loadConfig } from '../../src/config';
import { ensureDatabase, dropDatabase } from '../../src/db/ensure-database';
import { queueBackend, type QueueBackend } from '../../src/sync/queue-backend';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
// PostgreSQL always; Redis when REDIS_URL is set (global setup says so when it is not).
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const databaseUrl = freshDatabaseUrl('queues');

beforeAll(() => ensureDatabase(databaseUrl));
afterAll(() => dropDatabase(databaseUrl));

describe.each(kinds)('queue backend: %s', (kind) => {
  let backend: QueueBackend;
  const prefix = `xt_test_${process.pid}_${kind}`;

  beforeAll(() => {
    backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, databaseUrl, prefix);
  });

  it('is the backend asked for', () => {
    expect(backend.kind).toBe(kind);
  });

  it('runs every job exactly once, retrying a failed attempt', async () => {
    const queue = backend.createQueue<{ n: number }>('conformance');
    const seen: number[] = [];
    let failedOnce = false;
    const done = new Promise<void>((resolve) => {
      const worker = backend.createWorker<{ n: number }, number>(
        'conformance',
        async (job) => {
          if (job.data.n === 3 && !failedOnce) {
            failedOnce = true;
            throw new Error('transient');
          }
          seen.push(job.data.n);
          if (seen.length === 10) setImmediate(() => void worker.close().then(() => resolve()));
          return job.data.n;
        },
        2,
      );
    });
    for (let n = 0; n < 10; n++) await queue.add('work', { n }, { jobId: `job-${n}`, attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    // The same job id again is not a second job.
    await queue.add('work', { n: 0 }, { jobId: 'job-0' });
    await done;
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(failedOnce).toBe(true);
    await queue.obliterate({ force: true });
    await queue.close();
  }, 30_000);
});

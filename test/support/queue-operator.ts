import fs from 'node:fs';
import path from 'node:path';
import { UnrecoverableError, type Queue } from 'bullmq';
import { loadConfig } from '../../src/config';
import type { QueueBackend } from '../../src/sync/queue-backend';
import type { TestCaller } from './test-hub';

/** A caller of the bureau whose agreement (`T-QUEUE-OPS`, written by `agreementsWithQueueOperator`) grants `triggerSync` and the queue action `retry`. */
export const QUEUE_OPERATOR: TestCaller = { agency: 'suzhou-transport', roles: ['queue-operator'] };

/**
 * The committed agreements file plus a `queue-operator` role of the bureau, under an agreement
 * like the administrators' that also grants `retry` on the queue dashboard (the committed one
 * grants no queue action); written into `dir`, its path returned.
 */
export function agreementsWithQueueOperator(dir: string): string {
  const committedFile = loadConfig({}).agreementsFile;
  const policy = JSON.parse(fs.readFileSync(committedFile, 'utf8')) as {
    agreements: Array<{ id: string; allowedOperations?: string[] } & Record<string, unknown>>;
    agencies: Record<string, { roles: string[] }>;
  };
  // Persisted operations are files beside the committed agreements.
  for (const a of policy.agreements) a.allowedOperations &&= a.allowedOperations.map((file) => path.resolve(path.dirname(committedFile), file));
  policy.agencies['suzhou-transport'].roles.push('queue-operator');
  const admin = policy.agreements.find((a) => a.id === 'SZJT-2026-03')!;
  policy.agreements.push({ ...admin, id: 'T-QUEUE-OPS', consumer: { agency: 'suzhou-transport', roles: ['queue-operator'] }, queueActions: ['retry'] });
  const file = path.join(dir, 'agreements.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

/** Adds a job to `queue` and has a worker fail it for good: what an operator would retry. Returns its id. */
export async function failedJob(backend: QueueBackend, queue: Queue, data: Record<string, unknown>, reason = 'upstream refused'): Promise<string> {
  const job = await queue.add('sync', data as never, { attempts: 1 });
  const worker = backend.createWorker(queue.name, async () => {
    throw new UnrecoverableError(reason);
  });
  try {
    for (let i = 0; i < 200 && (await queue.getJobState(job.id!)) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await worker.close();
  }
  if ((await queue.getJobState(job.id!)) !== 'failed') throw new Error(`job ${job.id} did not fail`);
  return job.id!;
}

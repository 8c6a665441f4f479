import type { Pool } from 'pg';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { ensureCapturePartitions, insertCaptures } from '../ingest/insert-captures';
import { recordWatchHits } from '../domains/watch';
import { commitInTransaction, type BatchEnvelope, type BatchResult } from './commit-batch';
import type { StreamRef } from './state';

/**
 * Commits a batch of captures through the bulk path (COPY into staging, insert into the day
 * partitions) with the stream's cursor. Partitions are created first, outside the transaction:
 * creating one locks the parent table. A capture already present is skipped (`unchanged`). Captures
 * of watched plates are recorded as watch hits in the same transaction.
 */
export async function commitCaptureBatch(pool: Pool, ref: StreamRef, batch: BatchEnvelope & { captures: readonly CaptureRecord[] }): Promise<BatchResult> {
  await ensureCapturePartitions(pool, batch.captures);
  return commitInTransaction(pool, ref, batch, async (client, now) => {
    const inserted = await insertCaptures(client, batch.captures, now);
    // Hits of watched plates commit with their captures (and announce themselves through the outbox).
    await recordWatchHits(client, batch.captures, now);
    return { inserted, updated: 0, unchanged: batch.captures.length - inserted, deleted: 0 };
  });
}

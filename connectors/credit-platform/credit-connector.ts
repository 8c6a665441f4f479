import {
  ConfigurationError, DEFAULT_SAFETY_LAG_MS, httpGetJson, settledCursor, TransientError, type Connector, type StreamBatch,
} from '../contract';
import { CREDIT_STREAMS, type CreditStream, type PlatformListEntry, type PlatformRating } from './credit-format';
import { mapPlatformListEntry, mapPlatformRating } from './credit-mapping';

export interface CreditConnectorOptions {
  baseUrl: string;
  apiKey: string;
  pageSize?: number;
  /** Re-read this far before the last change seen: offsets shift when rows change mid-read. */
  lookBackMs?: number;
  /** The cursor never passes the read's start minus this (see `settledCursor`). */
  safetyLagMs?: number;
  timeoutMs?: number;
}

interface CreditState {
  since: number | null;
}

/** Reads the credit platform's open API; maps its codes and formats to the canonical ones. */
export class CreditConnector implements Connector {
  readonly system = 'CREDIT_PLATFORM';
  readonly streams = [...CREDIT_STREAMS];
  readonly reportsDeletions = false;

  constructor(private readonly options: CreditConnectorOptions) {}

  async check(): Promise<void> {
    await this.get('ratings', 0, 0, 1);
  }

  async *read(stream: string, state: unknown): AsyncGenerator<StreamBatch<{ updatedAt: string }>> {
    if (!(CREDIT_STREAMS as readonly string[]).includes(stream)) throw new ConfigurationError(`the credit platform has no stream "${stream}"`);
    const previous = (state as CreditState | null)?.since ?? null;
    const since = previous === null ? 0 : Math.max(0, previous - (this.options.lookBackMs ?? 5 * 60_000));
    let latest = previous;
    const settled = Date.now() - (this.options.safetyLagMs ?? DEFAULT_SAFETY_LAG_MS);
    const limit = this.options.pageSize ?? 200;
    let firstTotal: number | null = null;
    for (let offset = 0; ; offset += limit) {
      const { list, total } = await this.get(stream as CreditStream, since, offset, limit);
      // Offsets over a list that changed while we read it may have skipped rows: read again later.
      if (firstTotal !== null && total !== firstTotal) throw new TransientError('the credit platform changed while it was being read');
      firstTotal = total;
      const batch: StreamBatch<{ updatedAt: string }> = { records: [], deleted: [], quarantine: [], state: null };
      for (const row of list) {
        const mapped = stream === 'ratings' ? mapPlatformRating(row as PlatformRating) : mapPlatformListEntry(row as PlatformListEntry);
        if ('record' in mapped) {
          batch.records.push(mapped.record);
          // Only a record that mapped moves the cursor: a malformed time must not.
          if (latest === null || row.gxsjc > latest) latest = row.gxsjc;
        } else {
          batch.quarantine.push(mapped.quarantine);
        }
      }
      batch.state = { since: settledCursor(latest, previous, settled) } satisfies CreditState;
      yield batch;
      if (offset + limit >= total || list.length === 0) return;
    }
  }

  private async get(stream: CreditStream, since: number, offset: number, limit: number) {
    const body = await httpGetJson('the credit platform',
      `${this.options.baseUrl}/open/credit/${stream}?since=${since}&offset=${offset}&limit=${limit}`,
      { 'x-api-key': this.options.apiKey }, this.options.timeoutMs) as { data: { list: Array<PlatformRating | PlatformListEntry>; total: number } };
    return body.data;
  }
}

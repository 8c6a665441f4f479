import {
  ConfigurationError,
  DEFAULT_SAFETY_LAG_MS,
  httpGetJson,
  settledCursor,
  TransientError,
  type Connector,
  type ConnectorDefinition,
  type StreamBatch,
} from '../contract';
import { CREDIT_STREAMS, type CreditStream, type PlatformListEntry, type PlatformRating } from './credit-format';
import { mapPlatformListEntry, mapPlatformRating } from './credit-mapping';

export interface CreditConnectorOptions {
  baseUrl: string;
  apiKey: string;
  pageSize?: number;
  /** Re-read this far before the last change seen: the platform commits some changes late. */
  lookBackMs?: number;
  /** The cursor never passes the read's start minus this (see `settledCursor`). */
  safetyLagMs?: number;
  timeoutMs?: number;
}

/** The most rows the platform serves in one page. */
const CREDIT_MAX_PAGE_SIZE = 1000;

interface CreditState {
  since: number | null;
}

/** Reads the credit platform's open API; maps its codes and formats to the canonical ones. */
export class CreditConnector implements Connector {
  readonly system = 'CREDIT_PLATFORM';
  readonly streams = [...CREDIT_STREAMS];
  readonly reportsDeletions = false;

  constructor(private readonly options: CreditConnectorOptions) {}

  /** Each request opens and ends its own connection: nothing is held. */
  async close(): Promise<void> {}

  async check(): Promise<void> {
    await this.get('ratings', 0, 0, 1);
  }

  /**
   * Pages by change time, not by offset alone: each request asks for rows changed at or after the
   * last change time read (`since`), so rows changing or vanishing mid-read shift nothing ahead of
   * us; a changed row moves to the end and is read there. Rows sharing that last time are read
   * again and skipped by id, unless more of them share it than a page holds (then by offset).
   */
  async *read(stream: string, state: unknown): AsyncGenerator<StreamBatch<{ updatedAt: string }>> {
    if (!(CREDIT_STREAMS as readonly string[]).includes(stream)) throw new ConfigurationError(`the credit platform has no stream "${stream}"`);
    const previous = (state as CreditState | null)?.since ?? null;
    let since = previous === null ? 0 : Math.max(0, previous - (this.options.lookBackMs ?? 5 * 60_000));
    let latest = previous;
    const settled = Date.now() - (this.options.safetyLagMs ?? DEFAULT_SAFETY_LAG_MS);
    const limit = this.options.pageSize ?? 200;
    // Ids already read among the rows changed exactly at `since`.
    let readAtSince = new Set<string>();
    let offset = 0;
    // Rows sharing one change time beyond a page are read in one larger page (the platform's
    // largest): stepping over them by offset would skip one whenever one of them changes meanwhile.
    let pageLimit = limit;
    let tieTotal: number | null = null;
    for (;;) {
      const { list, total } = await this.get(stream as CreditStream, since, offset, pageLimit);
      const batch: StreamBatch<{ updatedAt: string }> = { records: [], deleted: [], quarantine: [], state: null };
      let fresh = 0;
      for (const row of list) {
        const id = 'pjbh' in row ? row.pjbh : row.mdbh;
        // Read already (the rows at `since`, or a row the platform repeated): the hub has it.
        if (row.gxsjc < since || (row.gxsjc === since && readAtSince.has(id))) continue;
        fresh += 1;
        if (row.gxsjc > since) {
          since = row.gxsjc;
          readAtSince = new Set();
          offset = 0;
          pageLimit = limit;
          tieTotal = null;
        }
        readAtSince.add(id);
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
      if (fresh > 0) yield batch;
      if (list.length < pageLimit) return;
      // Unless a whole page is at the change time reached, the next page (from that time) moves on.
      if (list.filter((r) => r.gxsjc === since).length < pageLimit) continue;
      // A whole page at one change time: read the rest of them in the largest page there is.
      if (pageLimit < CREDIT_MAX_PAGE_SIZE) {
        pageLimit = CREDIT_MAX_PAGE_SIZE;
        offset = 0;
        continue;
      }
      // More of them than the largest page: by offset, as long as none of them goes away meanwhile.
      if (tieTotal !== null && total !== tieTotal) throw new TransientError('the credit platform changed while rows sharing one change time were read');
      tieTotal = total;
      if (fresh === 0 && offset === readAtSince.size) throw new TransientError('the credit platform served a full page of rows already read');
      offset = readAtSince.size;
    }
  }

  private async get(stream: CreditStream, since: number, offset: number, limit: number) {
    const body = (await httpGetJson(
      'the credit platform',
      `${this.options.baseUrl}/open/credit/${stream}?since=${since}&offset=${offset}&limit=${limit}`,
      { 'x-api-key': this.options.apiKey },
      this.options.timeoutMs,
    )) as { data: { list: Array<PlatformRating | PlatformListEntry>; total: number } };
    return body.data;
  }
}

/** The credit platform's connector: its quarantined records are re-read by a FULL read. */
export const creditConnector: ConnectorDefinition<CreditConnectorOptions> = {
  system: 'CREDIT_PLATFORM',
  rereadQuarantined: {},
  create: (options) => new CreditConnector(options),
};

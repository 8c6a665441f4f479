import {
  ConfigurationError,
  DEFAULT_SAFETY_LAG_MS,
  httpGetJson,
  settledCursor,
  type Connector,
  type ConnectorDefinition,
  type QuarantineEntry,
  type StreamBatch,
} from '../contract';
import { TRANSPORT_STREAMS, type TransportSourceRecord, type TransportStream } from './transport-format';
import { hubRecordId, mapTransportRecord } from './transport-mapping';

export interface TransportConnectorOptions {
  baseUrl: string;
  token: string;
  /** Records per request. */
  pageSize?: number;
  /**
   * How far before the last change seen each read starts again: the source commits some rows late
   * with an earlier change time. Re-read rows are unchanged and cost nothing in the hub.
   */
  lookBackMs?: number;
  /**
   * The cursor never passes the read's start minus this: changes stamped in the last moments may
   * still be committing at the source, so the next read starts before them whatever it saw.
   */
  safetyLagMs?: number;
  timeoutMs?: number;
}

/** State of a transport stream: the latest change time applied. */
interface TransportState {
  since: string | null;
}

type Item = TransportSourceRecord | { id: string; deleted: true; lastModified: string };

/** Reads the transport management system's streams incrementally, with tombstones. */
export class TransportConnector implements Connector {
  readonly system = 'TRANSPORT';
  readonly streams = Object.keys(TRANSPORT_STREAMS);
  readonly reportsDeletions = true;

  constructor(private readonly options: TransportConnectorOptions) {}

  /** Each request opens and ends its own connection: nothing is held. */
  async close(): Promise<void> {}

  async check(): Promise<void> {
    await this.get('/api/v1/ping');
  }

  async *read(stream: string, state: unknown): AsyncGenerator<StreamBatch<{ updatedAt: string }>> {
    if (!(stream in TRANSPORT_STREAMS)) throw new ConfigurationError(`the transport system has no stream "${stream}"`);
    const previous = (state as TransportState | null)?.since ?? null;
    const lookBack = this.options.lookBackMs ?? 5 * 60_000;
    const since = previous ? new Date(Date.parse(previous) - lookBack).toISOString() : null;
    let latest = previous;
    let cursor: string | null = null;
    const settled = Date.now() - (this.options.safetyLagMs ?? DEFAULT_SAFETY_LAG_MS);
    const committable = () => {
      const at = settledCursor(latest ? Date.parse(latest) : null, previous ? Date.parse(previous) : null, settled);
      return at === null ? null : new Date(at).toISOString();
    };
    for (;;) {
      const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (since) query.set('updatedSince', since);
      if (cursor) query.set('cursor', cursor);
      const page = (await this.get(`/api/v1/${stream}?${query}`)) as { items: Item[]; hasMore: boolean; nextCursor: string | null };
      const batch: StreamBatch<{ updatedAt: string }> = { records: [], deleted: [], quarantine: [] as QuarantineEntry[], state: null };
      // Only well-formed times move the cursor: a malformed record is quarantined, not trusted.
      const advance = (at: string) => {
        if (!Number.isNaN(Date.parse(at)) && (!latest || Date.parse(at) > Date.parse(latest))) latest = at;
      };
      for (const item of page.items) {
        if ('deleted' in item && item.deleted) {
          batch.deleted.push({ recordId: hubRecordId(stream as TransportStream, item.id), deletedAt: item.lastModified });
          advance(item.lastModified);
          continue;
        }
        const mapped = mapTransportRecord(stream as TransportStream, item as TransportSourceRecord);
        if ('record' in mapped) {
          batch.records.push(mapped.record);
          advance(mapped.record.updatedAt);
        } else {
          batch.quarantine.push(mapped.quarantine);
        }
      }
      batch.state = { since: committable() } satisfies TransportState;
      yield batch;
      if (!page.hasMore || !page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  private get(path: string): Promise<unknown> {
    return httpGetJson('the transport system', `${this.options.baseUrl}${path}`, { authorization: `Bearer ${this.options.token}` }, this.options.timeoutMs);
  }
}

/** The transport management system's connector: its streams report deletions, none re-reads single records. */
export const transportConnector: ConnectorDefinition<TransportConnectorOptions> = {
  system: 'TRANSPORT',
  rereadQuarantined: {},
  create: (options) => new TransportConnector(options),
};

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
import { REGISTRY_STREAMS, type RegistryAbnormal, type RegistryEnterprise, type RegistryStream } from './registry-format';
import { mapRegistryAbnormal, mapRegistryEnterprise } from './registry-mapping';

export interface RegistryConnectorOptions {
  baseUrl: string;
  pageSize?: number;
  /** The cursor's day never passes the day of the read's start minus this (see `settledCursor`). */
  safetyLagMs?: number;
  timeoutMs?: number;
}

/** A registry row's key, by which its pages are ordered. */
const keyOf = (row: RegistryEnterprise | RegistryAbnormal): string => ('qymc' in row ? row.tyshxydm : row.id);

/** The most rows the registry serves in one page. */
const REGISTRY_MAX_PAGE_SIZE = 500;

/** The Beijing calendar day of an instant (the registry's `changedSince` is a Beijing day). */
const beijingDay = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * State of a registry stream: the latest change day applied (the registry filters by day) and,
 * while a read is under way, where it stands, so a read that stops goes on from its next page.
 */
interface RegistryState {
  changedSince: string | null;
  /**
   * The next page of the read under way, the total it was paging over, the newest change it read
   * (ms), its last key, and the settled time (ms) as of when it began.
   */
  resume?: { page: number; total: number; latest: number | null; lastKey?: string | null; settled?: number };
}

/**
 * Reads the market-regulation registry. It pages by number and filters by change day only, and
 * reports no deletions: incremental reads re-read the last day (pages shift while we read, and
 * re-reading is free), and a FULL read is the snapshot that reconciliation compares against.
 */
export class RegistryConnector implements Connector {
  readonly system = 'MARKET_REGISTRY';
  readonly streams = [...REGISTRY_STREAMS];
  readonly reportsDeletions = false;

  constructor(private readonly options: RegistryConnectorOptions) {}

  /** Each request opens and ends its own connection: nothing is held. */
  async close(): Promise<void> {}

  async check(): Promise<void> {
    await httpGetJson('the registry', `${this.options.baseUrl}/registry/enterprises?page=1&size=1`, {}, this.options.timeoutMs);
  }

  async *read(stream: string, state: unknown): AsyncGenerator<StreamBatch<{ updatedAt: string }>> {
    if (!(REGISTRY_STREAMS as readonly string[]).includes(stream)) throw new ConfigurationError(`the registry has no stream "${stream}"`);
    const since = (state as RegistryState | null)?.changedSince ?? null;
    const resume = (state as RegistryState | null)?.resume ?? null;
    // Newest change read (ms): the cursor's day comes from it, held back by the safety lag, so a
    // change committed late but stamped just before midnight is read on the next run.
    let latest: number | null = resume?.latest ?? null;
    // Settled as of when the read began, not when it resumed: changes made in between, on pages
    // already read, must stay ahead of the cursor.
    let settled = Math.min(resume?.settled ?? Infinity, Date.now() - (this.options.safetyLagMs ?? DEFAULT_SAFETY_LAG_MS));
    const committable = (): string | null => {
      const at = settledCursor(latest, null, settled);
      if (at === null) return since;
      const day = beijingDay(at);
      return since && since > day ? since : day;
    };
    // Key of the last row read. Pages are numbered over a list ordered by key that can change
    // while we read it: the row just before the next page must still be this one. A later key
    // there means rows before us went and the page slid past one we never read; an earlier key
    // only means rows were added before us (the page repeats one, which is harmless).
    let lastKey: string | null = resume?.lastKey ?? null;
    let resuming = resume !== null;
    let restarted = false;
    // The registry serves at most 500 rows a page whatever is asked; page numbers count in its size.
    const size = Math.min(this.options.pageSize ?? 100, REGISTRY_MAX_PAGE_SIZE);
    const get = (page: number, pageSize: number) => {
      const query = new URLSearchParams({ page: String(page), size: String(pageSize) });
      if (since) query.set('changedSince', since);
      return httpGetJson('the registry', `${this.options.baseUrl}/registry/${stream}?${query}`, {}, this.options.timeoutMs) as Promise<{
        total: number;
        rows: Array<RegistryEnterprise | RegistryAbnormal>;
      }>;
    };
    for (let page = resume?.page ?? 1; ; page++) {
      const body = await get(page, size);
      // Asked after the page: a shift before the page was served is still there to see.
      const before = page > 1 && lastKey !== null ? (await get((page - 1) * size, 1)).rows.at(-1) : undefined;
      if (before !== undefined && keyOf(before) > lastKey!) {
        // Some row may have been skipped. Resuming a read, start it over; within one, fail it
        // (the next attempt starts over) rather than yield a page next to a hole.
        if (resuming) {
          resuming = false;
          restarted = true;
          page = 0;
          latest = null;
          lastKey = null;
          settled = Date.now() - (this.options.safetyLagMs ?? DEFAULT_SAFETY_LAG_MS);
          continue;
        }
        throw new TransientError('the registry changed while it was being read');
      }
      resuming = false;
      if (body.rows.length) lastKey = keyOf(body.rows[body.rows.length - 1]);
      const batch: StreamBatch<{ updatedAt: string }> = { records: [], deleted: [], quarantine: [], state: null, restart: restarted };
      restarted = false;
      for (const row of body.rows) {
        const mapped =
          (stream as RegistryStream) === 'enterprises' ? mapRegistryEnterprise(row as RegistryEnterprise) : mapRegistryAbnormal(row as RegistryAbnormal);
        if ('record' in mapped) {
          batch.records.push(mapped.record);
          const at = Date.parse(mapped.record.updatedAt);
          if (latest === null || at > latest) latest = at;
        } else {
          batch.quarantine.push(mapped.quarantine);
        }
      }
      const last = page * size >= body.total || body.rows.length === 0;
      // Pages are ordered by key, not by change: only a completed read may move the day cursor;
      // until then the state says where the read stands.
      batch.state = (
        last ? { changedSince: committable() } : { changedSince: since, resume: { page: page + 1, total: body.total, latest, lastKey, settled } }
      ) satisfies RegistryState;
      yield batch;
      if (last) return;
    }
  }
}

/** The market registry's connector: its quarantined records are re-read by a FULL read. */
export const registryConnector: ConnectorDefinition<RegistryConnectorOptions> = {
  system: 'MARKET_REGISTRY',
  rereadQuarantined: {},
  create: (options) => new RegistryConnector(options),
};

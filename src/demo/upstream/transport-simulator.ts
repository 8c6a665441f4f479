import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLATE_COLOR_JTT_CODE, type PlateColor } from '../../../connectors/contract/canonical/codes';
import type { World } from '../world';
import { isMalformed, PendingDeletions, type DataFaults } from './data-faults';
import { FaultSwitch, type HttpFaults } from './http-faults';
import { COLOUR_FIELDS, TRANSPORT_STREAMS, type TransportSourceRecord, type TransportStream } from '../../../connectors/transport/transport-format';

interface Entry {
  record: TransportSourceRecord;
  deleted: boolean;
}

/**
 * Fault modes, switchable per simulator. Counted, not random, so every test run sees the same
 * sequence of failures.
 */
export type TransportFaults = HttpFaults & DataFaults;

/** A running simulated transport management system. */
export interface TransportSimulator {
  url: string;
  token: string;
  /** Changes a record at the source (its `lastModified` moves to `at`). */
  update(stream: TransportStream, id: string, changes: Record<string, unknown>, at: string): void;
  /** Deletes a record at the source: it is served as a tombstone from then on. */
  remove(stream: TransportStream, id: string, at: string): void;
  /** The live source records of a stream, as served. */
  records(stream: TransportStream): TransportSourceRecord[];
  /** Switches fault modes on or off. */
  setFaults(faults: TransportFaults): void;
  /** Requests served so far, by outcome. */
  readonly served: { ok: number; serverErrors: number; rateLimited: number };
  close(): Promise<void>;
}

function toSource(stream: TransportStream, record: Record<string, unknown>): TransportSourceRecord {
  const out: Record<string, unknown> = { id: TRANSPORT_STREAMS[stream](record) };
  for (const [field, value] of Object.entries(record)) {
    if (field === 'updatedAt') out.lastModified = value;
    else if (COLOUR_FIELDS[field]) out[COLOUR_FIELDS[field]] = value === null ? null : PLATE_COLOR_JTT_CODE[value as PlateColor];
    else out[field] = value;
  }
  return out as TransportSourceRecord;
}

const order = (a: Entry, b: Entry) =>
  Date.parse(a.record.lastModified) - Date.parse(b.record.lastModified) || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0);

/**
 * Serves the transport slice of a world over HTTP the way the bureau's system does: bearer-token
 * authenticated, `GET /api/v1/{stream}?updatedSince=&cursor=&limit=`, ordered by change time,
 * with an opaque cursor and tombstones for deleted records.
 */
export async function startTransportSimulator(
  world: World,
  /** `maxPageSize`: the most records a page holds whatever the client asks (servers cap it; default 1,000). */
  options: { token?: string; port?: number; faults?: TransportFaults; maxPageSize?: number } = {},
): Promise<TransportSimulator> {
  const token = options.token ?? 'tms-demo-token';
  let faults: TransportFaults = options.faults ?? {};
  const faultSwitch = new FaultSwitch();
  faultSwitch.faults = faults;
  const deletions = new PendingDeletions();
  deletions.arm(faults);
  const data = new Map<TransportStream, Map<string, Entry>>();
  const load = (stream: TransportStream, records: readonly object[]) =>
    data.set(
      stream,
      new Map(
        records.map((r) => {
          const record = toSource(stream, r as Record<string, unknown>);
          return [record.id, { record, deleted: false }];
        }),
      ),
    );
  load('licences', world.licences);
  load('vehicles', world.vehicles);
  load('practitioners', world.practitioners);
  load('enforcementCases', world.enforcementCases);
  load('weighings', world.weighings);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://tms.invalid');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'unauthorized' });
    if (await faultSwitch.apply(res)) return;
    const match = /^\/api\/v1\/(\w+)$/.exec(url.pathname);
    const stream = match?.[1] as TransportStream | undefined;
    if (url.pathname === '/api/v1/ping') return send(200, { ok: true });
    if (!stream || !data.has(stream)) return send(404, { error: 'unknown stream' });
    const since = url.searchParams.get('updatedSince');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 500) || 500, options.maxPageSize ?? 1000);
    let after: [string, string] | null = null;
    const cursor = url.searchParams.get('cursor');
    if (cursor) {
      try {
        after = JSON.parse(Buffer.from(cursor, 'base64url').toString());
      } catch {
        return send(400, { error: 'bad cursor' });
      }
    }
    const entries = [...data.get(stream)!.values()]
      .filter((e) => !since || Date.parse(e.record.lastModified) >= Date.parse(since))
      .filter(
        (e) =>
          !after ||
          Date.parse(e.record.lastModified) > Date.parse(after[0]) ||
          (Date.parse(e.record.lastModified) === Date.parse(after[0]) && e.record.id > after[1]),
      )
      .sort(order);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    if (faults.repeatAcrossPages && after) {
      const previous = data.get(stream)!.get(after[1]);
      if (previous) page.unshift(previous);
    }
    const asServed = (e: Entry) => {
      if (e.deleted) return { id: e.record.id, deleted: true, lastModified: e.record.lastModified };
      if (!isMalformed(faults, e.record.id)) return e.record;
      return { ...e.record, validTo: '2026-02-30', plateColorCode: 77, vehiclePlateColorCode: 77, lastModified: 'yesterday' };
    };
    send(200, {
      items: page.map(asServed),
      hasMore: entries.length > limit,
      nextCursor: last ? Buffer.from(JSON.stringify([last.record.lastModified, last.record.id])).toString('base64url') : null,
    });
    // Deleted mid-read: tombstones stamped now, served to the reads after this page.
    for (const id of deletions.take()) {
      for (const entries of data.values()) {
        const entry = entries.get(id);
        if (entry) Object.assign(entry, { deleted: true, record: { ...entry.record, lastModified: new Date().toISOString() } });
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    update(stream, id, changes, at) {
      const entry = data.get(stream)!.get(id)!;
      entry.record = { ...entry.record, ...changes, lastModified: at };
    },
    remove(stream, id, at) {
      const entry = data.get(stream)!.get(id)!;
      entry.deleted = true;
      entry.record = { ...entry.record, lastModified: at };
    },
    records(stream) {
      return [...data.get(stream)!.values()].filter((e) => !e.deleted).map((e) => e.record);
    },
    setFaults(next) {
      faults = next;
      faultSwitch.faults = next;
      deletions.arm(next);
    },
    served: faultSwitch.served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world';
import { isMalformed, PendingDeletions, type DataFaults } from './data-faults';
import { FaultSwitch, type HttpFaults, type ServedCounts } from './http-faults';
import {
  toPlatformListEntry,
  toPlatformRating,
  type CreditStream,
  type PlatformListEntry,
  type PlatformRating,
} from '../../../connectors/credit-platform/credit-format';

type PlatformRow = PlatformRating | PlatformListEntry;

/** HTTP and data faults the credit simulator can switch on. */
export type CreditFaults = HttpFaults & DataFaults;

export interface CreditSimulator {
  url: string;
  apiKey: string;
  /** Changes a record at the platform; its change time (`gxsjc`) becomes `at`, earlier or later than before. */
  update(stream: CreditStream, id: string, changes: Partial<PlatformRating> | Partial<PlatformListEntry>, at: string): void;
  /** Removes a record: the platform reports no deletions, it is simply no longer served. */
  remove(stream: CreditStream, id: string): void;
  /** The records of a stream as the platform holds them. */
  records(stream: CreditStream): PlatformRow[];
  /** Switches faults on (500s, 429s, delays, malformed records, repeats, deletions mid-read); `{}` switches them off. */
  setFaults(faults: CreditFaults): void;
  served: ServedCounts;
  close(): Promise<void>;
}

const idOf = (r: PlatformRow) => ('pjbh' in r ? r.pjbh : r.mdbh);
const order = (a: PlatformRow, b: PlatformRow) => a.gxsjc - b.gxsjc || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);

/** A record served malformed, the platform's way: a bad subject code, a grade or list type off its scale, impossible dates. */
function malformedOf(row: PlatformRow): PlatformRow {
  if ('pjbh' in row) return { ...row, ztdm: row.ztdm.slice(0, 17), pjdj: 'E级', pjnd: 1899 };
  return { ...row, ztdm: `${row.ztdm.slice(0, 17)}I`, mdlx: '09', lrrq: '20250231' };
}

/**
 * Serves the credit slice of a world as the Jiangsu credit platform's open API does:
 * `GET /open/credit/{ratings|listEntries}?since=<epoch ms>&offset=&limit=` with an API key header,
 * rows changed at or after `since`, ordered by change time and id.
 */
export async function startCreditSimulator(world: World, apiKey = 'credit-demo-key'): Promise<CreditSimulator> {
  const data: Record<CreditStream, Map<string, PlatformRow>> = {
    ratings: new Map(world.creditRatings.map((r): [string, PlatformRow] => [r.sourceId, toPlatformRating(r)])),
    listEntries: new Map(world.creditListEntries.map((e): [string, PlatformRow] => [e.sourceId, toPlatformListEntry(e)])),
  };
  const faults = new FaultSwitch();
  let dataFaults: DataFaults = {};
  const deletions = new PendingDeletions();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://credit.invalid');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-api-key'] !== apiKey) return send(403, { code: 'FORBIDDEN' });
    if (await faults.apply(res)) return;
    const stream = /^\/open\/credit\/(\w+)$/.exec(url.pathname)?.[1] as CreditStream | undefined;
    if (!stream || !(stream in data)) return send(404, { code: 'NOT_FOUND' });
    const since = Number(url.searchParams.get('since') ?? 0) || 0;
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 200) || 200, 1000);
    const all = [...data[stream].values()].sort(order);
    const rows = all.filter((r) => r.gxsjc >= since);
    const list = rows.slice(offset, offset + limit);
    // A repeat: the row just before this page, already served by the page before it.
    const before = all.indexOf(rows[offset]) - 1;
    if (dataFaults.repeatAcrossPages && list.length > 0 && before >= 0) list.unshift(all[before]);
    send(200, { code: 'OK', data: { list: list.map((r) => (isMalformed(dataFaults, idOf(r)) ? malformedOf(r) : r)), total: rows.length } });
    for (const id of deletions.take()) for (const rowsOf of Object.values(data)) rowsOf.delete(id);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    update(stream, id, changes, at) {
      const row = data[stream].get(id)!;
      data[stream].set(id, { ...row, ...changes, gxsjc: Date.parse(at) } as PlatformRow);
    },
    remove(stream, id) {
      data[stream].delete(id);
    },
    records: (stream) => [...data[stream].values()].sort(order),
    setFaults(next) {
      faults.faults = next;
      dataFaults = next;
      deletions.arm(next);
    },
    served: faults.served,
    apiKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world';
import { isMalformed, PendingDeletions, type DataFaults } from './data-faults';
import { FaultSwitch, type HttpFaults, type ServedCounts } from './http-faults';
import {
  toRegistryAbnormal,
  toRegistryEnterprise,
  toRegistryTime,
  type RegistryAbnormal,
  type RegistryEnterprise,
  type RegistryStream,
} from '../../../connectors/market-registry/registry-format';

/** HTTP and data faults the registry simulator can switch on. */
export type RegistryFaults = HttpFaults & DataFaults;

type RegistryRow = RegistryEnterprise | RegistryAbnormal;

export interface RegistrySimulator {
  url: string;
  /** Changes an enterprise at the source; its change time becomes `at`, earlier or later than before. */
  update(uscc: string, changes: Partial<RegistryEnterprise>, at: string): void;
  /** Changes an abnormal-operation listing at the source. */
  updateAbnormal(id: string, changes: Partial<RegistryAbnormal>, at: string): void;
  /** The records of a stream as the registry holds them, by key. */
  records(stream: RegistryStream): RegistryRow[];
  /** A new enterprise registered at the source. */
  add(enterprise: RegistryEnterprise): void;
  /** Makes a record vanish without a trace: only a full snapshot shows it. */
  vanish(stream: RegistryStream, id: string): void;
  /** Switches faults on (500s, 429s, delays, malformed records, repeats, deletions mid-read); `{}` switches them off. */
  setFaults(faults: RegistryFaults): void;
  served: ServedCounts;
  close(): Promise<void>;
}

/** A record served malformed, the registry's way: impossible dates, unknown words and codes, a bad credit code. */
function malformedOf(row: RegistryRow): RegistryRow {
  if ('qymc' in row) return { ...row, djzt: '歇业中', clrq: '2023-02-30', xzqh: '990000', zczb: '约五百' };
  return { ...row, tyshxydm: `${row.tyshxydm.slice(0, 17)}O`, lrrq: '2024-13-01' };
}

/**
 * Serves the registry slice of a world as the market-regulation registry does: pages by number
 * (`?page=&size=&changedSince=YYYY-MM-DD`), ordered by key, and no deletion signal at all.
 */
export async function startRegistrySimulator(world: World): Promise<RegistrySimulator> {
  const data: Record<RegistryStream, Map<string, RegistryEnterprise | RegistryAbnormal>> = {
    enterprises: new Map(world.enterprises.map((e) => [e.uscc, toRegistryEnterprise(e)])),
    abnormalOperations: new Map(world.abnormalOperations.map((a) => [a.sourceId, toRegistryAbnormal(a)])),
  };
  const faults = new FaultSwitch();
  let dataFaults: DataFaults = {};
  const deletions = new PendingDeletions();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://amr.invalid');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (await faults.apply(res)) return;
    const stream = /^\/registry\/(\w+)$/.exec(url.pathname)?.[1] as RegistryStream | undefined;
    if (!stream || !(stream in data)) return send(404, { error: 'unknown' });
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const size = Math.min(Math.max(1, Number(url.searchParams.get('size') ?? 100) || 100), 500);
    const since = url.searchParams.get('changedSince');
    const rows = [...data[stream].entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, r]) => r)
      .filter((r) => !since || r.gxsj.slice(0, 10) >= since);
    const served = rows.slice((page - 1) * size, page * size);
    // A repeat: the last row of the page before, served again at the top of this one.
    if (dataFaults.repeatAcrossPages && page > 1 && served.length > 0) served.unshift(rows[(page - 1) * size - 1]);
    const keyOf = (r: RegistryRow) => ('qymc' in r ? r.tyshxydm : r.id);
    send(200, { total: rows.length, page, size, rows: served.map((r) => (isMalformed(dataFaults, keyOf(r)) ? malformedOf(r) : r)) });
    for (const id of deletions.take()) for (const rowsOf of Object.values(data)) rowsOf.delete(id);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    update(uscc, changes, at) {
      const e = data.enterprises.get(uscc) as RegistryEnterprise;
      data.enterprises.set(uscc, { ...e, ...changes, gxsj: toRegistryTime(at) });
    },
    updateAbnormal(id, changes, at) {
      const a = data.abnormalOperations.get(id) as RegistryAbnormal;
      data.abnormalOperations.set(id, { ...a, ...changes, gxsj: toRegistryTime(at) });
    },
    add(enterprise) {
      data.enterprises.set(enterprise.tyshxydm, enterprise);
    },
    records: (stream) => [...data[stream].entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r),
    setFaults(next) {
      faults.faults = next;
      dataFaults = next;
      deletions.arm(next);
    },
    served: faults.served,
    vanish(stream, id) {
      data[stream].delete(id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

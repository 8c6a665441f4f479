import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AbnormalOperationRecord, EnterpriseRecord } from '../../src/canonical/records';
import type { World } from '../world';
import { FaultSwitch, type HttpFaults, type ServedCounts } from '../simulation/http-faults';
import { STATUS_WORD_OF, toRegistryTime, type RegistryAbnormal, type RegistryEnterprise, type RegistryStream } from './registry-format';

export interface RegistrySimulator {
  url: string;
  /** Changes an enterprise at the source. */
  update(uscc: string, changes: Partial<RegistryEnterprise>, at: string): void;
  /** Makes a record vanish without a trace: only a full snapshot shows it. */
  vanish(stream: RegistryStream, id: string): void;
  /** Switches HTTP faults on (500s, 429s with Retry-After, delays); `{}` switches them off. */
  setFaults(faults: HttpFaults): void;
  served: ServedCounts;
  close(): Promise<void>;
}

const toEnterprise = (e: EnterpriseRecord): RegistryEnterprise => ({
  tyshxydm: e.uscc, qymc: e.name, qylx: e.type, djzt: STATUS_WORD_OF[e.status], fddbr: e.legalRepresentative,
  zczb: String(e.registeredCapitalYuan / 10_000), clrq: e.establishedOn, zs: e.address, xzqh: e.divisionCode,
  jyfw: e.businessScope, gxsj: toRegistryTime(e.updatedAt),
});

const toAbnormal = (a: AbnormalOperationRecord): RegistryAbnormal => ({
  id: a.sourceId, tyshxydm: a.uscc, lryy: a.reason, zcjg: a.authority, lrrq: a.listedOn, ycrq: a.removedOn, gxsj: toRegistryTime(a.updatedAt),
});

/**
 * Serves the registry slice of a world as the market-regulation registry does: pages by number
 * (`?page=&size=&changedSince=YYYY-MM-DD`), ordered by key, and no deletion signal at all.
 */
export async function startRegistrySimulator(world: World): Promise<RegistrySimulator> {
  const data: Record<RegistryStream, Map<string, RegistryEnterprise | RegistryAbnormal>> = {
    enterprises: new Map(world.enterprises.map((e) => [e.uscc, toEnterprise(e)])),
    abnormalOperations: new Map(world.abnormalOperations.map((a) => [a.sourceId, toAbnormal(a)])),
  };
  const faults = new FaultSwitch();
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
    const rows = [...data[stream].entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r)
      .filter((r) => !since || r.gxsj.slice(0, 10) >= since);
    send(200, { total: rows.length, page, size, rows: rows.slice((page - 1) * size, page * size) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    update(uscc, changes, at) {
      const e = data.enterprises.get(uscc) as RegistryEnterprise;
      data.enterprises.set(uscc, { ...e, ...changes, gxsj: toRegistryTime(at) });
    },
    setFaults(next) {
      faults.faults = next;
    },
    served: faults.served,
    vanish(stream, id) {
      data[stream].delete(id);
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

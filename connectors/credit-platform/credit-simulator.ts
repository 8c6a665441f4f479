import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world';
import { FaultSwitch, type HttpFaults, type ServedCounts } from '../simulation/http-faults';
import { compactDate, LIST_TYPE_CODE_OF, type CreditStream, type PlatformListEntry, type PlatformRating } from './credit-format';

export interface CreditSimulator {
  url: string;
  apiKey: string;
  /** Switches HTTP faults on (500s, 429s with Retry-After, delays); `{}` switches them off. */
  setFaults(faults: HttpFaults): void;
  served: ServedCounts;
  close(): Promise<void>;
}

/**
 * Serves the credit slice of a world as the Jiangsu credit platform's open API does:
 * `GET /open/credit/{ratings|listEntries}?since=<epoch ms>&offset=&limit=` with an API key header,
 * ordered by change time and id.
 */
export async function startCreditSimulator(world: World, apiKey = 'credit-demo-key'): Promise<CreditSimulator> {
  const data: Record<CreditStream, Array<PlatformRating | PlatformListEntry>> = {
    ratings: world.creditRatings.map((r): PlatformRating => ({
      pjbh: r.sourceId, ztdm: r.subjectUscc, pjdj: r.sourceGrade, pjfs: r.score, kfz: r.penaltyPoints, pjnd: r.year,
      pjjg: r.ratingAuthority, gxsjc: Date.parse(r.updatedAt),
    })),
    listEntries: world.creditListEntries.map((e): PlatformListEntry => ({
      mdbh: e.sourceId, ztdm: e.subjectUscc, mdlx: LIST_TYPE_CODE_OF[e.listType], lrly: e.reason, lrjg: e.authority,
      lrrq: compactDate(e.listedOn), ycrq: compactDate(e.removedOn), gxsjc: Date.parse(e.updatedAt),
    })),
  };
  const idOf = (r: PlatformRating | PlatformListEntry) => ('pjbh' in r ? r.pjbh : r.mdbh);
  for (const rows of Object.values(data)) rows.sort((a, b) => a.gxsjc - b.gxsjc || (idOf(a) < idOf(b) ? -1 : 1));
  const faults = new FaultSwitch();
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
    const rows = data[stream].filter((r) => r.gxsjc >= since);
    send(200, { code: 'OK', data: { list: rows.slice(offset, offset + limit), total: rows.length } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setFaults(next) {
      faults.faults = next;
    },
    served: faults.served,
    apiKey,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGetJson, TransientError } from '../../connectors/contract';
import { FaultSwitch } from '../../src/demo/upstream/http-faults';

let server: http.Server;
let url: string;
const faults = new FaultSwitch();
let requests = 0;

beforeAll(async () => {
  server = http.createServer(async (_req, res) => {
    requests += 1;
    if (await faults.apply(res)) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
beforeEach(() => {
  requests = 0;
});

describe('httpGetJson', () => {
  it('tries a 5xx again twice within the request, so a short outage costs no job attempt', async () => {
    faults.faults = { outage: 2 };
    await expect(httpGetJson('the source', url)).resolves.toEqual({ ok: true });
    expect(requests).toBe(3);
  });

  it('gives up after the third 5xx with a transient error', async () => {
    faults.faults = { outage: 3 };
    await expect(httpGetJson('the source', url)).rejects.toMatchObject({ name: 'TransientError', kind: 'UNAVAILABLE' });
    expect(requests).toBe(3);
  });

  it('does not try a 429 or a timeout again itself: the queue delays the job instead', async () => {
    faults.faults = { rateLimitEvery: 1, retryAfterSeconds: 2 };
    const limited = await httpGetJson('the source', url).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect(limited).toMatchObject({ kind: 'RATE_LIMITED', retryAfterMs: 2000 });
    expect(requests).toBe(1);
    faults.faults = { delayMs: 300 };
    await expect(httpGetJson('the source', url, {}, 50)).rejects.toMatchObject({ kind: 'SLOW' });
    expect(requests).toBe(2);
    faults.faults = {};
  });
});

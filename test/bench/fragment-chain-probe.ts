import http from 'node:http';
import { doublingChain } from '../support/fragment-chain';

/** The attack review's document: fragments each spreading the next twice, 150 levels (still under the token limit). */
export const CHAIN_LEVELS = 150;

/** What one answer took, and what it was. */
interface Timed {
  status: number;
  code: string | null;
  ms: number;
}

/** Keep-alive connections of their own, so /health never waits behind a chain's socket in this client. */
const chainAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function timed(url: string, agent: http.Agent, body: string | null, headers: Record<string, string> = {}): Promise<Timed> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: body === null ? 'GET' : 'POST',
        agent,
        headers: body === null ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          const code = /"code":"([A-Z_]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? null;
          resolve({ status: res.statusCode ?? 0, code, ms });
        });
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const max = (xs: number[]) => sorted(xs)[xs.length - 1];
const p99 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))];

export interface ChainMeasurement {
  /** The answer the chain got (its status and `extensions.code`). */
  status: number;
  code: string | null;
  bytes: number;
  medianMs: number;
  maxMs: number;
  /** /health while `streams` clients send the chain back to back. */
  streams: number;
  healthProbes: number;
  chainsDuringHealth: number;
  healthMedianMs: number;
  healthP99Ms: number;
  healthMaxMs: number;
}

/**
 * The 150-level fragment chain against a running hub: its latency alone (`runs` in a row), then
 * `/health`'s while `streams` clients send it back to back. The review's proof blocked the process
 * for 4 s at 21 levels; linear analysis answers it at once and leaves the event loop free.
 */
export async function measureFragmentChain(graphqlUrl: string, headers: Record<string, string>, runs = 50, streams = 4): Promise<ChainMeasurement> {
  const body = JSON.stringify({ query: doublingChain(CHAIN_LEVELS) });
  const healthUrl = new URL('/health', graphqlUrl).toString();
  for (let i = 0; i < 5; i++) await timed(graphqlUrl, chainAgent, body, headers);
  const alone: Timed[] = [];
  for (let i = 0; i < runs; i++) alone.push(await timed(graphqlUrl, chainAgent, body, headers));

  let sending = true;
  let chains = 0;
  const load = Array.from({ length: streams }, async () => {
    while (sending) {
      await timed(graphqlUrl, chainAgent, body, headers);
      chains += 1;
    }
  });
  const health: number[] = [];
  for (let i = 0; i < 200; i++) {
    const answer = await timed(healthUrl, healthAgent, null);
    if (answer.status !== 200) throw new Error(`/health answered ${answer.status} under the chain's load`);
    health.push(answer.ms);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  sending = false;
  await Promise.all(load);
  return {
    status: alone[0].status,
    code: alone[0].code,
    bytes: Buffer.byteLength(body),
    medianMs: median(alone.map((a) => a.ms)),
    maxMs: max(alone.map((a) => a.ms)),
    streams,
    healthProbes: health.length,
    chainsDuringHealth: chains,
    healthMedianMs: median(health),
    healthP99Ms: p99(health),
    healthMaxMs: max(health),
  };
}

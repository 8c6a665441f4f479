import 'reflect-metadata';
import { AgencyAdmission } from './agency-admission';
import { ConcurrencyGate } from './concurrency-gate';
import { TokenBucket } from './token-bucket';
import { ConfigError, loadConfig } from '../config';
import { RateLimitError } from '../errors';

/** The parts that share the read path between agencies, one at a time and without a clock. */

describe('token bucket', () => {
  it('lets a burst through, then one request per 1/rate seconds, and says how long to wait', () => {
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBeCloseTo(0.5);
    expect(bucket.take(499)).toBeGreaterThan(0);
    expect(bucket.take(500)).toBe(0);
    // Idle time refills up to the burst, not beyond.
    expect([0, 0, 0, 0].map(() => bucket.take(60_000))).toEqual([0, 0, 0, 0.5]);
  });
});

describe('concurrency gate', () => {
  it('holds at most `limit`, hands a freed slot to the longest waiter, and gives up on a bounded wait', async () => {
    const gate = new ConcurrencyGate(2);
    const a = (await gate.acquire())!;
    const b = (await gate.acquire())!;
    expect(await gate.acquire(0)).toBeNull();
    const order: string[] = [];
    const c = gate.acquire().then((release) => {
      order.push('c');
      return release!;
    });
    const d = gate.acquire().then((release) => {
      order.push('d');
      return release!;
    });
    expect(await gate.acquire(20)).toBeNull();
    a();
    a(); // A second release of the same slot frees nothing more.
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(gate.inFlight).toBe(0);
  });

  it('refuses at once beyond `maxWaiting` waiters', async () => {
    const gate = new ConcurrencyGate(1, 1);
    const held = (await gate.acquire())!;
    const waiting = gate.acquire(1000);
    const started = Date.now();
    expect(await gate.acquire(1000)).toBeNull();
    expect(Date.now() - started).toBeLessThan(500);
    held();
    (await waiting)!();
  });
});

describe('agency admission', () => {
  it("refuses over an agreement's rate with the seconds to wait, and over an agency's slots after the wait; agencies are apart", async () => {
    const admission = new AgencyAdmission({ agencyMaxRequests: 1, agencyMaxStatements: 1, agencyQueueWaitMs: 10 });
    const limited = [{ id: 'CSJ-SH-2026-01', rateLimit: { requestsPerSecond: 1, burst: 1 } }];
    const first = await admission.admit('shanghai-transport', limited, 0);
    await expect(admission.admit('shanghai-transport', limited, 100)).rejects.toMatchObject({ limit: 'rateLimit', retryAfterSeconds: 1 });
    const queued = admission.admit('shanghai-transport', [], 100);
    await expect(queued).rejects.toBeInstanceOf(RateLimitError);
    await expect(queued).rejects.toMatchObject({ limit: 'agencyConcurrency', details: { limit: 'agencyConcurrency', retryAfterSeconds: 1 } });
    const other = await admission.admit('zhejiang-transport', [], 100);
    other.release();
    first.release();
    (await admission.admit('shanghai-transport', [], 200)).release();
  });
});

describe('agency admission over several agreements', () => {
  it("gives back the tokens a refused request took of its other agreements' buckets", async () => {
    const admission = new AgencyAdmission({ agencyMaxRequests: 4, agencyMaxStatements: 1, agencyQueueWaitMs: 10 });
    const wide = { id: 'CSJ-WIDE', rateLimit: { requestsPerSecond: 0.001, burst: 3 } };
    const narrow = { id: 'CSJ-NARROW', rateLimit: { requestsPerSecond: 0.001, burst: 1 } };
    (await admission.admit('anhui-transport', [wide, narrow], 0)).release();
    // Refused by the narrow bucket ten times: the wide one is charged nothing for them.
    for (let i = 0; i < 10; i++) await expect(admission.admit('anhui-transport', [wide, narrow], 0)).rejects.toMatchObject({ limit: 'rateLimit' });
    for (let i = 0; i < 2; i++) (await admission.admit('anhui-transport', [wide], 0)).release();
    await expect(admission.admit('anhui-transport', [wide], 0)).rejects.toMatchObject({ limit: 'rateLimit' });
  });
});

describe('read limits in the configuration', () => {
  it('have documented defaults and refuse values out of range, naming the variable', () => {
    expect(loadConfig({}).readLimits).toEqual({
      statementTimeoutMs: 5000,
      agencyMaxRequests: 4,
      agencyMaxStatements: 2,
      agencyQueueWaitMs: 2000,
      statisticsRefreshSeconds: 300,
    });
    expect(loadConfig({ READ_STATEMENT_TIMEOUT_MS: '250', AGENCY_MAX_REQUESTS: '8' }).readLimits).toMatchObject({
      statementTimeoutMs: 250,
      agencyMaxRequests: 8,
    });
    expect(() => loadConfig({ READ_STATEMENT_TIMEOUT_MS: '10' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGENCY_MAX_STATEMENTS: '0' })).toThrow(/AGENCY_MAX_STATEMENTS must be a whole number from 1 to 100/);
  });
});

import { retryAfterMs } from '../../connectors/contract/http-get';
import { settledCursor } from '../../connectors/contract';
import { TransportConnector } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';

const world = generateWorld({ seed: 5, size: 0.005 });

async function readAll(connector: TransportConnector, state: unknown) {
  const records: Array<{ updatedAt: string }> = [];
  let last: unknown = state;
  for await (const batch of connector.read('vehicles', state)) {
    records.push(...batch.records);
    last = batch.state;
  }
  return { records, state: last as { since: string | null } };
}

describe('the incremental cursor keeps a safety lag', () => {
  let simulator: TransportSimulator;
  beforeAll(async () => {
    simulator = await startTransportSimulator(world);
  });
  afterAll(async () => {
    await simulator?.close();
  });

  it('never commits a cursor past the read start minus the lag, so changes stamped just now are read again', async () => {
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, lookBackMs: 0, safetyLagMs: 60_000 });
    const first = await readAll(connector, null);
    expect(first.records).toHaveLength(world.vehicles.length);
    const newest = Math.max(...world.vehicles.map((v) => Date.parse(v.updatedAt)));
    expect(Date.parse(first.state.since!)).toBe(newest);

    // A change stamped now may still be committing at the source when it is read.
    const vehicle = simulator.records('vehicles')[0];
    const stampedNow = new Date().toISOString();
    simulator.update('vehicles', vehicle.id, { axleCount: 5 }, stampedNow);
    const before = Date.now();
    const second = await readAll(connector, first.state);
    expect(second.records.map((r) => r.updatedAt)).toContain(new Date(stampedNow).toISOString());
    expect(Date.parse(second.state.since!)).toBeLessThanOrEqual(before - 60_000 + 1000);
    expect(Date.parse(second.state.since!)).toBeGreaterThanOrEqual(Date.parse(first.state.since!));

    // So the next read covers it again (late commits with that stamp are not skipped)…
    const third = await readAll(connector, second.state);
    expect(third.records.map((r) => r.updatedAt)).toContain(new Date(stampedNow).toISOString());
    // …while a connector without a lag would have moved past it.
    const eager = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, lookBackMs: 0, safetyLagMs: 0 });
    const eagerSecond = await readAll(eager, first.state);
    expect(Date.parse(eagerSecond.state.since!)).toBe(Date.parse(stampedNow));
  });
});

describe('settledCursor', () => {
  it.each([
    ['nothing seen yet', null, null, 1000, null],
    ['the newest change has settled', 900, 100, 1000, 900],
    ['held back to the settled point', 1500, 100, 1000, 1000],
    ['never behind the previous cursor', 1500, 1200, 1000, 1200],
  ] as const)('%s', (_label, latest, previous, settled, expected) => {
    expect(settledCursor(latest, previous, settled)).toBe(expected);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-29T05:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Sun, 29 Nov 2026 05:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 04:59:00 GMT', now)).toBe(1000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

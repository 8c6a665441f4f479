import { CaptureRecord } from '../../../connectors/contract/canonical/records';
import { distanceKm, MAX_PLAUSIBLE_KMH } from './travel-time';
import { TRANSPORT_HUBS } from './transport-hubs';
import { generateWorld } from './world';

const world = generateWorld({ seed: 20211, size: 0.1 });
const captures: CaptureRecord[] = [...world.captures()].flat();
const checkpoint = new Map(world.checkpoints.map((c) => [c.code, c]));
const key = (c: { plateNumber: string; plateColor: string }) => `${c.plateNumber}|${c.plateColor}`;

describe('the clue patterns the world plants', () => {
  it('has a checkpoint at each railway and coach station, named so, at its coordinates', () => {
    const stations = world.planted.stationCheckpoints.map((code) => checkpoint.get(code)!);
    expect(stations).toHaveLength(TRANSPORT_HUBS.length);
    for (const s of stations) expect(s.name).toMatch(/火车站|汽车站|客运站|高铁/);
    // No other checkpoint is named like a station: the rule's words find exactly these.
    expect(world.checkpoints.filter((c) => /火车站|汽车站|客运站|高铁/.test(c.name)).map((c) => c.code)).toEqual(world.planted.stationCheckpoints);
  });

  it('plants black cabs, visitors and cloned plates in proportion to the size', () => {
    expect(world.planted.blackCabs).toHaveLength(4);
    expect(world.planted.stationVisitors).toHaveLength(20);
    expect(world.planted.clonedPlates.length).toBeGreaterThanOrEqual(1);
    expect(world.planted.stillRunningOutOfForce.length).toBeGreaterThan(0);
    // Only a few of the vehicles out of force still run: about 8 in a 100 of them.
    expect(world.planted.stillRunningOutOfForce.length).toBeLessThan(world.vehicles.length * 0.02);
  });

  it('black cabs work the stations on many days and visitors do not, as their captures show', () => {
    const stations = new Set(world.planted.stationCheckpoints);
    const seen = new Map<string, { captures: number; days: Set<string> }>();
    for (const c of captures) {
      if (!stations.has(c.checkpointCode)) continue;
      const s = seen.get(key(c)) ?? { captures: 0, days: new Set<string>() };
      s.captures += 1;
      s.days.add(c.capturedAt.slice(0, 10));
      seen.set(key(c), s);
    }
    for (const cab of world.planted.blackCabs) {
      expect(seen.get(key(cab))).toEqual({ captures: cab.stationCaptures, days: expect.any(Set) });
      expect(seen.get(key(cab))!.days.size).toBe(cab.stationDays);
      expect(cab.stationDays).toBeGreaterThanOrEqual(10);
      expect(cab.stationCaptures).toBeGreaterThanOrEqual(20);
    }
    for (const visitor of world.planted.stationVisitors) {
      expect(seen.get(key(visitor))!.captures).toBe(visitor.stationCaptures);
      // Often on few days, or daily but once: never both.
      expect(visitor.stationDays < 8 || visitor.stationCaptures < 12).toBe(true);
    }
    // Cars seen at the stations are the planted ones only (a clone may be seen there too).
    const planted = new Set([...world.planted.blackCabs, ...world.planted.stationVisitors, ...world.planted.clonedPlates].map(key));
    expect([...seen.keys()].filter((k) => !planted.has(k))).toEqual([]);
  });

  it('never implies an impossible trip, but for the cloned plates, once each, on their day', () => {
    const last = new Map<string, { code: string; at: number }>();
    const impossible = new Set<string>();
    for (const c of captures) {
      const at = Date.parse(c.capturedAt) / 1000;
      const before = last.get(key(c));
      if (before) {
        const km = distanceKm(checkpoint.get(before.code)!, checkpoint.get(c.checkpointCode)!);
        if (km > (MAX_PLAUSIBLE_KMH * (at - before.at)) / 3600) impossible.add(`${key(c)} ${c.capturedAt.slice(0, 10)}`);
      }
      last.set(key(c), { code: c.checkpointCode, at });
    }
    expect([...impossible].sort()).toEqual(world.planted.clonedPlates.map((p) => `${key(p)} ${p.date}`).sort());
    for (const clone of world.planted.clonedPlates) {
      expect(clone.km).toBeGreaterThanOrEqual(30);
      expect((clone.km / clone.minutes) * 60).toBeGreaterThan(200);
    }
    // The first is seen on the last day, in 姑苏区 (the README's district).
    expect(world.planted.clonedPlates[0]).toMatchObject({ date: '2026-10-31', division: '320508' });
  });

  it('keeps vehicles out of force off the road, but for the few still running', () => {
    const running = new Set(world.planted.stillRunningOutOfForce.map(key));
    const outOfForce = new Set(world.vehicles.filter((v) => v.transportCertificateStatus === 'EXPIRED' || v.transportCertificateStatus === 'REVOKED').map(key));
    const seen = new Set(captures.map(key));
    expect([...outOfForce].filter((k) => seen.has(k) && !running.has(k))).toEqual([]);
  });
});

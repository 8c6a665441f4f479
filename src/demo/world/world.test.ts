import { createHash } from 'crypto';
import { generateWorld, World } from './world';

/** SHA-256 of every record and every capture, streamed day by day. */
function fingerprint(world: World): string {
  const hash = createHash('sha256');
  const { captures, ...records } = world;
  hash.update(JSON.stringify(records));
  for (const day of captures()) hash.update(JSON.stringify(day));
  return hash.digest('hex');
}

describe('generateWorld determinism', () => {
  it('gives a byte-identical world, captures included, for the same seed', () => {
    const a = fingerprint(generateWorld({ seed: 42, size: 0.02 }));
    const b = fingerprint(generateWorld({ seed: 42, size: 0.02 }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('gives a different world for a different seed', () => {
    expect(fingerprint(generateWorld({ seed: 43, size: 0.02 }))).not.toBe(fingerprint(generateWorld({ seed: 42, size: 0.02 })));
  });

  it('replays the same capture sequence on every call of captures()', () => {
    const world = generateWorld({ seed: 5, size: 0.01, days: 3 });
    const first = JSON.stringify([...world.captures()]);
    expect(JSON.stringify([...world.captures()])).toBe(first);
  });

  it('changes with the end date and window, never with the clock', () => {
    const base = generateWorld({ seed: 42, size: 0.01 });
    expect(base.options).toEqual({ seed: 42, size: 0.01, days: 30, endDate: '2026-11-01' });
    const later = generateWorld({ seed: 42, size: 0.01, endDate: '2027-03-01' });
    expect(JSON.stringify(later.enterprises)).not.toBe(JSON.stringify(base.enterprises));
  });
});

describe('generateWorld scale', () => {
  const small = generateWorld({ seed: 1, size: 0.02 });
  const large = generateWorld({ seed: 1, size: 0.08 });

  it.each([
    ['enterprises', 40],
    ['vehicles', 400],
    ['practitioners', 160],
    ['enforcementCases', 60],
    ['weighings', 400],
  ] as const)('%s: about %i at size 0.02, four times as many at 0.08', (key, expected) => {
    expect(Math.abs(small[key].length - expected)).toBeLessThanOrEqual(expected * 0.1);
    const ratio = large[key].length / small[key].length;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  it('scales licences, ratings and captures linearly too', () => {
    for (const ratio of [
      large.licences.length / small.licences.length,
      large.creditRatings.length / small.creditRatings.length,
      large.captureCount / small.captureCount,
    ]) {
      expect(ratio).toBeGreaterThan(2.8);
      expect(ratio).toBeLessThan(5.2);
    }
    expect(small.captureCount).toBeGreaterThan(18000);
    expect(small.captureCount).toBeLessThan(22000);
  });

  it('keeps at least one of everything and five checkpoints in a tiny world', () => {
    const tiny = generateWorld({ seed: 1, size: 0.0001, days: 2 });
    for (const key of [
      'enterprises',
      'abnormalOperations',
      'licences',
      'vehicles',
      'practitioners',
      'creditListEntries',
      'enforcementCases',
      'weighings',
    ] as const) {
      expect(tiny[key].length).toBeGreaterThanOrEqual(1);
    }
    expect(tiny.checkpoints.length).toBeGreaterThanOrEqual(5);
    expect(tiny.captureCount).toBeGreaterThanOrEqual(1);
    expect([...tiny.captures()].flat()).toHaveLength(tiny.captureCount);
  });

  it('rejects nonsense options', () => {
    expect(() => generateWorld({ seed: 1, size: 0 })).toThrow(RangeError);
    expect(() => generateWorld({ seed: 1, size: -1 })).toThrow(RangeError);
    expect(() => generateWorld({ seed: 1, size: 0.01, days: 0 })).toThrow(RangeError);
    expect(() => generateWorld({ seed: 1, size: 0.01, days: 1.5 })).toThrow(RangeError);
    expect(() => generateWorld({ seed: 1, size: 0.01, endDate: '2026-13-01' })).toThrow(RangeError);
    expect(() => generateWorld({ seed: Number.NaN, size: 0.01 })).toThrow(RangeError);
  });
});

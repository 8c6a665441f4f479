import { CaptureRecord } from '../../../connectors/contract/canonical/records';
import { validatePlate } from '../../../connectors/contract/identifiers';
import { generateWorld } from './world';

const world = generateWorld({ seed: 17, size: 0.03, days: 7, endDate: '2026-06-15' });
const days = [...world.captures()];
const captures: CaptureRecord[] = days.flat();

describe('world captures', () => {
  it('yield one array per day of the window, exactly captureCount in all', () => {
    expect(days).toHaveLength(7);
    expect(captures).toHaveLength(world.captureCount);
    days.forEach((day, d) => {
      expect(day.length).toBeGreaterThan(0);
      const date = `2026-06-${String(8 + d).padStart(2, '0')}`;
      expect(day.filter((c) => c.capturedAt.slice(0, 10) !== date)).toEqual([]);
    });
  });

  it('number serials 1, 2, 3 … in time order', () => {
    expect(captures.filter((c, i) => c.serial !== i + 1)).toEqual([]);
    expect(captures.filter((c, i) => i > 0 && captures[i - 1].capturedAt > c.capturedAt)).toEqual([]);
  });

  it('are produced lazily, one day at a time', () => {
    const iterator = world.captures();
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(first.value!.length).toBeLessThan(world.captureCount);
    expect(first.value![0].serial).toBe(1);
  });

  it('record the checkpoint direction, a lane, a plausible speed and an image reference', () => {
    const direction = new Map(world.checkpoints.map((c) => [c.code, c.direction]));
    const wrong = captures.filter(
      (c) =>
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/.test(c.capturedAt) ||
        c.direction !== direction.get(c.checkpointCode) ||
        !Number.isInteger(c.lane) ||
        c.lane < 1 ||
        c.lane > 4 ||
        !Number.isInteger(c.speedKmh) ||
        c.speedKmh < 10 ||
        c.speedKmh > 160 ||
        c.imageRef !== `img://checkpoint/${c.checkpointCode}/${c.serial}.jpg`,
    );
    expect(wrong).toEqual([]);
  });

  it("see mostly the world's vehicles, plus valid plates that are not in the world", () => {
    const registered = new Set(world.vehicles.map((v) => `${v.plateNumber}|${v.plateColor}`));
    const known = captures.filter((c) => registered.has(`${c.plateNumber}|${c.plateColor}`)).length / captures.length;
    expect(known).toBeGreaterThan(0.7);
    expect(known).toBeLessThan(0.9);
    const plates = new Set(captures.map((c) => c.plateNumber));
    for (const p of plates) expect(validatePlate(p).ok).toBe(true);
  });

  it('follow a day-and-night profile', () => {
    const hour = (c: CaptureRecord) => Number(c.capturedAt.slice(11, 13));
    const night = captures.filter((c) => hour(c) < 5).length;
    const day = captures.filter((c) => hour(c) >= 7 && hour(c) < 12).length;
    expect(day).toBeGreaterThan(night * 5);
  });

  it('drive heavy traffic slower than cars on expressways', () => {
    const types = new Map(world.vehicles.map((v) => [`${v.plateNumber}|${v.plateColor}`, v.vehicleType]));
    const expressway = new Set(world.checkpoints.filter((c) => /高速/.test(c.road)).map((c) => c.code));
    const speeds = { car: [] as number[], truck: [] as number[] };
    for (const c of captures) {
      if (!expressway.has(c.checkpointCode)) continue;
      const type = types.get(`${c.plateNumber}|${c.plateColor}`);
      if (type === 'K33') speeds.car.push(c.speedKmh);
      if (type && /^(H1|Q)/.test(type)) speeds.truck.push(c.speedKmh);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(speeds.car.length).toBeGreaterThan(50);
    expect(speeds.truck.length).toBeGreaterThan(50);
    expect(mean(speeds.car)).toBeGreaterThan(mean(speeds.truck) + 10);
  });
});

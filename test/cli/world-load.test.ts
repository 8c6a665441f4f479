import { dropDatabase } from '../../src/db/ensure-database';
import { generateWorld } from '../../src/demo/world';
import { runXietong } from '../support/run-xietong';
import { freshDatabaseUrl } from '../support/test-database';
import { Pool } from 'pg';

const databaseUrl = freshDatabaseUrl('cli_world');
afterAll(async () => {
  await dropDatabase(databaseUrl);
});

const counts = async () => {
  const pool = new Pool({ connectionString: databaseUrl });
  try {
    const { rows } = await pool.query<{ enterprises: number; vehicles: number; captures: number }>(
      'select (select count(*)::int from enterprise) as enterprises, (select count(*)::int from vehicle) as vehicles, (select count(*)::int from checkpoint_capture) as captures',
    );
    return rows[0];
  } finally {
    await pool.end();
  }
};

describe('xietong world load', () => {
  it('fills an empty database with the world of the seed and size asked, then refuses to load over it', async () => {
    const loaded = await runXietong(['world', 'load', '--size', '0.002', '--seed', '11', '--json'], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
    expect(loaded.code).toBe(0);
    const world = generateWorld({ seed: 11, size: 0.002 });
    const summary = JSON.parse(loaded.out);
    expect(summary).toMatchObject({ seed: 11, size: 0.002, captures: world.captureCount, milliseconds: expect.any(Number) });
    expect(await counts()).toEqual({ enterprises: world.enterprises.length, vehicles: world.vehicles.length, captures: world.captureCount });
    // Progress goes to stderr, so stdout stays one JSON line.
    expect(loaded.err).toMatch(/^loading the demo world \(seed 11, size 0\.002\)/);

    const again = await runXietong(['world', 'load', '--size', '0.002'], { DATABASE_URL: databaseUrl });
    expect(again).toMatchObject({
      code: 1,
      out: '',
      err: expect.stringMatching(/^xietong: the database already holds enterprises or vehicles: world load only fills an empty hub/),
    });
    expect(await counts()).toEqual({ enterprises: world.enterprises.length, vehicles: world.vehicles.length, captures: world.captureCount });
  });

  it('names a bad size or seed (exit 2) and an unreachable database (exit 3)', async () => {
    expect(await runXietong(['world', 'load', '--size', 'big'], { DATABASE_URL: databaseUrl })).toMatchObject({
      code: 2,
      err: 'xietong: --size must be a number from 0.001 to 10 (1 ≈ 2,000 enterprises), got "big"',
    });
    expect(await runXietong(['world', 'load', '--seed', '-1'], { DATABASE_URL: databaseUrl })).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^xietong: --seed must be a whole number/),
    });
    expect(await runXietong(['world', 'load'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere' })).toMatchObject({
      code: 3,
      err: expect.stringMatching(/^xietong: cannot open the database at DATABASE_URL: .*ECONNREFUSED/),
    });
    expect(await runXietong(['world', 'load'], { DATABASE_URL: 'mysql://x' })).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^xietong: Invalid configuration: DATABASE_URL must start with/),
    });
  });
});

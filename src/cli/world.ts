import { Command } from 'commander';
import { DEMO_SIZE_RANGE, type HubConfig } from '../config';
import { CliError, ExitCode } from './exit-codes';
import { withHubDatabase } from './open-database';
import { report } from './output';

interface WorldOptions {
  size?: string;
  seed?: string;
  json?: boolean;
}

function parseSize(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const size = Number(value);
  if (!value.trim() || !Number.isFinite(size) || size < DEMO_SIZE_RANGE.min || size > DEMO_SIZE_RANGE.max) {
    throw new CliError(ExitCode.USAGE, `--size must be a number from ${DEMO_SIZE_RANGE.min} to ${DEMO_SIZE_RANGE.max} (1 ≈ 2,000 enterprises), got "${value}"`);
  }
  return size;
}

function parseSeed(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2 ** 31 - 1)
    throw new CliError(ExitCode.USAGE, `--seed must be a whole number from 0 to ${2 ** 31 - 1}, got "${value}"`);
  return Number(value);
}

/**
 * `xietong world load`: fills the configured (empty) database with the demo's synthetic Suzhou,
 * through the sync's own write path, as `npm start` does on its first start.
 */
export function worldCommand(config: () => HubConfig): Command {
  const world = new Command('world').description("the demo's synthetic Suzhou world");
  world
    .command('load')
    .description('load the synthetic world into the configured database, which must hold no canonical data yet')
    .option('--size <n>', `how large a world: 1 ≈ 2,000 enterprises, 20,000 vehicles, 1,000,000 captures (default DEMO_SIZE)`)
    .option('--seed <n>', 'which world: the same seed gives the same world (default DEMO_SEED)')
    .option('--json', 'print what was loaded as JSON')
    .action(async (options: WorldOptions) => {
      const settings = config();
      const size = parseSize(options.size, settings.demoSize);
      const seed = parseSeed(options.seed, settings.demoSeed);
      // The one door into the demo from here (the layer rules allow this dynamic import only).
      const { loadDemoWorld } = await import('../demo');
      const progress = ({ records, captures }: { records: number; captures: number }) =>
        records === 0
          ? `loading the demo world (seed ${seed}, size ${size}); this runs once, into an empty database`
          : `loaded ${records} records and ${captures} captures`;
      const summary = await withHubDatabase(settings, (db) =>
        loadDemoWorld(db.pool, { seed, size }, (loaded) => process.stderr.write(`${progress(loaded)}\n`)),
      );
      if (!summary) {
        throw new CliError(
          ExitCode.REFUSED,
          'the database already holds enterprises or vehicles: world load only fills an empty hub (point DATABASE_URL at a new database)',
        );
      }
      report(
        options,
        { seed, size, ...summary },
        () =>
          `loaded the world of seed ${seed}, size ${size}: ${summary.records} records and ${summary.captures} captures in ${(summary.milliseconds / 1000).toFixed(1)} s`,
      );
    });
  return world;
}

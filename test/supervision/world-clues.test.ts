import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { ClueKind } from '../../src/domains/clue';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';

/** The demo world's planted clue patterns, derived by the hub: each found, nothing else. */
const world = generateWorld({ seed: 20211, size: 0.1 });
const rules = loadClueRules(loadConfig({}).clueRulesFile);
const key = (c: { plateNumber: string; plateColor: string }) => `${c.plateNumber}/${c.plateColor}`;
let db: Database;
let url: string;
let clues: Array<{ kind: ClueKind; subject_key: string; window_start: string; division: string }>;

beforeAll(async () => {
  url = freshDatabaseUrl('world_clues');
  db = await openDatabase(loadConfig({ DATABASE_URL: url }), entityModelOf(HUB_DOMAINS), testLogger().logger);
  await loadWorld(db.pool, world);
  await deriveClues(db.pool, rules, { full: true });
  clues = (await db.pool.query(`select kind, subject_key, to_char(window_start, 'YYYY-MM-DD') as window_start, division from clue where deleted_at is null`))
    .rows;
}, 120_000);
afterAll(async () => {
  await db?.close();
  await dropDatabase(url);
});

const subjects = (kind: ClueKind) => clues.filter((c) => c.kind === kind);

describe('the demo world, derived', () => {
  it('yields clues of every kind', () => {
    expect(new Set(clues.map((c) => c.kind))).toEqual(new Set(Object.values(ClueKind)));
  });

  it('CLONED_PLATE: exactly the planted cloned plates, on their day, where the clone was seen', () => {
    expect(
      subjects(ClueKind.CLONED_PLATE)
        .map((c) => `${c.subject_key} ${c.window_start} ${c.division}`)
        .sort(),
    ).toEqual(world.planted.clonedPlates.map((p) => `${key(p)} ${p.date} ${p.division}`).sort());
  });

  it('ILLEGAL_OPERATION: every black cab, and none of the cars that only visit the stations', () => {
    const rule = rules.enabled(ClueKind.ILLEGAL_OPERATION)!;
    const cabs = world.planted.blackCabs.filter((c) => c.stationDays >= rule.minDistinctDays && c.stationCaptures >= rule.minHubCaptures);
    expect(cabs).toEqual(world.planted.blackCabs);
    expect(
      subjects(ClueKind.ILLEGAL_OPERATION)
        .map((c) => c.subject_key)
        .sort(),
    ).toEqual(cabs.map(key).sort());
    const visitors = new Set(world.planted.stationVisitors.map(key));
    expect(clues.filter((c) => visitors.has(c.subject_key))).toEqual([]);
  });

  it('EXPIRED_OR_REVOKED_BUT_ACTIVE: the few out-of-force vehicles still running, not the many parked', () => {
    const rule = rules.enabled(ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE)!;
    const running = new Set(world.planted.stillRunningOutOfForce.map(key));
    const captured = new Map<string, number>();
    for (const day of world.captures()) for (const c of day) if (running.has(key(c))) captured.set(key(c), (captured.get(key(c)) ?? 0) + 1);
    const expected = [...captured].filter(([, n]) => n >= rule.minCaptures).map(([k]) => k);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      subjects(ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE)
        .map((c) => c.subject_key)
        .sort(),
    ).toEqual(expected.sort());
    // A realistic rate: well under one vehicle in fifty.
    expect(expected.length).toBeLessThan(world.vehicles.length / 50);
  });

  it('OVERLOAD and UNTRANSFERRED_CRIMINAL at realistic rates', () => {
    expect(subjects(ClueKind.OVERLOAD).length).toBeGreaterThan(0);
    expect(subjects(ClueKind.OVERLOAD).length).toBeLessThan(world.weighings.length * 0.05);
    expect(subjects(ClueKind.UNTRANSFERRED_CRIMINAL).length).toBeGreaterThan(0);
    expect(subjects(ClueKind.UNTRANSFERRED_CRIMINAL).length).toBeLessThan(world.enforcementCases.length * 0.05);
  });
});

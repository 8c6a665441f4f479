import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { overloadLimitKg } from '../../src/demo/world/overload-limits';
import { ClueKind } from '../../src/domains/clue';
import { loadClueRules, parseClueRules } from '../../src/supervision/clue-rules';

const FILE = loadConfig({}).clueRulesFile;
// The file as JSON, to break one thing at a time.
type RuleFile = any;
const committed = () => JSON.parse(fs.readFileSync(FILE, 'utf8'));

describe('clue rules', () => {
  it('the committed file loads, with every rule enabled', () => {
    const rules = loadClueRules(FILE);
    expect(rules.enabled(ClueKind.OVERLOAD)?.tolerance).toBe(0.05);
    expect(rules.enabled(ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE)?.minCaptures).toBeGreaterThan(1);
    expect(rules.rules.every((r) => r.enabled)).toBe(true);
    expect(rules.rules.map((r) => r.kind).sort()).toEqual(Object.values(ClueKind).sort());
  });

  it('holds the GB 1589 limits the demo world weighs by (the single-drive-axle 46 t aside, see the file)', () => {
    const rule = loadClueRules(FILE).enabled(ClueKind.OVERLOAD)!;
    for (const axles of [2, 3, 4, 5, 6, 7]) {
      const limit = rule.limits.find((l) => l.axles === Math.min(axles, rule.limits[rule.limits.length - 1].axles))!;
      expect([axles, limit.rigidKg]).toEqual([axles, overloadLimitKg({ axleCount: axles, combination: false })]);
      expect([axles, limit.combinationKg]).toEqual([axles, overloadLimitKg({ axleCount: axles, combination: true })]);
    }
  });

  it.each([
    [
      'a tolerance out of range',
      (f: RuleFile) => (f.rules['overload-gb1589'].tolerance = 2),
      /rules\.overload-gb1589\.tolerance must be a number from 0 to 0\.5, got 2/,
    ],
    ['an unknown kind', (f: RuleFile) => (f.rules['overload-gb1589'].kind = 'SPEEDING'), /rules\.overload-gb1589\.kind must be one of OVERLOAD/],
    [
      'bands out of order',
      (f: RuleFile) => (f.rules['overload-gb1589'].severityByOverloadRatio[2].from = 0.1),
      /severityByOverloadRatio\[2\]\.from must be above 0\.2/,
    ],
    ['an unknown threshold', (f: RuleFile) => (f.rules['cloned-plate'].maxSpeed = 1), /rules\.cloned-plate has unknown maxSpeed/],
    [
      'two enabled rules of one kind',
      (f: RuleFile) => (f.rules['cloned-plate-2'] = f.rules['cloned-plate']),
      /rules\.cloned-plate\.enabled cannot be true: cloned-plate-2 is the enabled CLONED_PLATE rule already/,
    ],
    [
      'the vehicle-type variant of cloned plates (captures carry no vehicle type)',
      (f: RuleFile) => (f.rules['cloned-plate'].vehicleTypeMismatch = true),
      /rules\.cloned-plate\.vehicleTypeMismatch cannot be true: captures carry no recorded vehicle type/,
    ],
    ['a gap in the axle counts', (f: RuleFile) => delete f.rules['overload-gb1589'].limitsKg['4'], /limitsKg skips from 3 to 5 axles/],
    ['a missing version', (f: RuleFile) => delete f.version, /version must be a non-empty string/],
  ])('refuses %s, naming the file and the place', (_label, breakIt, message) => {
    const file = committed();
    breakIt(file);
    expect(() => parseClueRules(file, 'rules.json')).toThrow(message);
    expect(() => parseClueRules(file, 'rules.json')).toThrow(/^Invalid clue rules: rules\.json: /);
  });

  it('refuses a file that is not JSON', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'clue-rules.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => loadClueRules(file)).toThrow(new RegExp(`^Invalid clue rules: ${file.replace(/[.\\/]/g, '\\$&')}: the file cannot be read`));
  });
});

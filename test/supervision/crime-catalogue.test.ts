import fs from 'node:fs';
import { loadConfig } from '../../src/config';
import { CrimeCatalogueError, loadCrimeCatalogue, parseCrimeCatalogue } from '../../src/domains/case-transfer';
import { ClueKind } from '../../src/domains/clue';
import { loadClueRules } from '../../src/supervision/clue-rules';

const config = loadConfig({});
// The file as JSON, to break one thing at a time.
type CatalogueFile = any;
const committed = () => JSON.parse(fs.readFileSync(config.crimeCatalogueFile, 'utf8'));

describe('the crime catalogue', () => {
  it('loads, and is what the UNTRANSFERRED_CRIMINAL clue rule reads (one list of what counts as criminal)', () => {
    const catalogue = loadCrimeCatalogue(config.crimeCatalogueFile);
    expect(catalogue.receivingAgency).toBe('suzhou-psb');
    expect(catalogue.entries.map((e) => e.violationCode).sort()).toEqual(['T1003', 'T2001', 'T4002']);
    expect(catalogue.entries.every((e) => e.evidence.some((i) => i.required))).toBe(true);
    const rule = loadClueRules(config.clueRulesFile, config.crimeCatalogueFile).enabled(ClueKind.UNTRANSFERRED_CRIMINAL)!;
    expect(rule.crimeCatalogue).toEqual(catalogue);
    // The clue rule file keeps no list of its own.
    expect(JSON.stringify(JSON.parse(fs.readFileSync(config.clueRulesFile, 'utf8')).rules['untransferred-criminal'])).not.toMatch(
      /T4002|violationCode|transferWithinDays/,
    );
  });

  it.each([
    ['a missing charge', (f: CatalogueFile) => delete f.entries.T4002.charge, /entries\.T4002\.charge must be a non-empty string/],
    [
      'a repeated evidence item',
      (f: CatalogueFile) => f.entries.T1003.evidence.push(f.entries.T1003.evidence[0]),
      /entries\.T1003\.evidence\[3\]\.code repeats FORGED_CERTIFICATE/,
    ],
    [
      'zero rule days',
      (f: CatalogueFile) => (f.entries.T2001.ruleDays.decide = 0),
      /entries\.T2001\.ruleDays\.decide must be a whole number from 1 to 365, got 0/,
    ],
    ['an unknown step', (f: CatalogueFile) => (f.entries.T2001.ruleDays.appeal = 3), /entries\.T2001\.ruleDays has unknown appeal/],
    ['a bad violation code', (f: CatalogueFile) => (f.entries['t-1'] = f.entries.T4002), /entries\.t-1 must be keyed by a violation code/],
    ['no entries', (f: CatalogueFile) => (f.entries = {}), /entries must list at least one violation/],
  ])('refuses %s, naming the file and the place', (_label, breakIt, message) => {
    const file = committed();
    breakIt(file);
    expect(() => parseCrimeCatalogue(file, 'catalogue.json')).toThrow(CrimeCatalogueError);
    expect(() => parseCrimeCatalogue(file, 'catalogue.json')).toThrow(message);
  });
});

import fs from 'node:fs';
import { LicenceStatus, PlateColor, TransportCertificateStatus } from '../../connectors/contract/canonical/codes';
import { ClueKind, ClueSeverity, ClueWindow } from '../domains/clue';
import { loadCrimeCatalogue, type CrimeCatalogue } from '../domains/case-transfer';
import { DEFAULT_CRIME_CATALOGUE } from '../config';
import { ClueRulesError } from './clue-rules-error';
import { RawRules, RuleFileReader } from '../domains/common/rule-file-reader';

/**
 * Supervision clue rules as reviewable data (`schema/rules/clue-rules.json`): per rule its kind,
 * whether it runs, the window its clues group evidence in and its thresholds. Checked when the hub
 * starts, like the agreements: a broken file names the file, the place in it and the problem.
 */

/** A severity from a lower bound of the rule's measure up (bands ascend). */
export interface SeverityBand {
  from: number;
  severity: ClueSeverity;
}

interface RuleBase<K extends ClueKind> {
  id: string;
  kind: K;
  title: string;
  enabled: boolean;
  window: ClueWindow;
}

/** GB 1589 total-mass limits for one axle count; `combination` equals `rigid` where the standard gives no other. */
export interface AxleLimit {
  axles: number;
  rigidKg: number;
  combinationKg: number;
}

export interface OverloadRule extends RuleBase<ClueKind.OVERLOAD> {
  /** Measurement tolerance: a weighing counts when over the limit by more than this share of it. */
  tolerance: number;
  /** Ascending axle counts; the last holds for more axles. */
  limits: AxleLimit[];
  /** GA 802 vehicle type code prefixes of tractors (weighed with more axles than their own: a combination). */
  combinationVehicleTypes: string[];
  severityByOverloadRatio: SeverityBand[];
}

export interface ExpiredOrRevokedRule extends RuleBase<ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE> {
  minCaptures: number;
  certificateStatuses: TransportCertificateStatus[];
  licenceStatuses: LicenceStatus[];
  severityByCaptures: SeverityBand[];
}

export interface IllegalOperationRule extends RuleBase<ClueKind.ILLEGAL_OPERATION> {
  minDistinctDays: number;
  minHubCaptures: number;
  passengerPlateColors: PlateColor[];
  hubCheckpointNameContains: string[];
  severityByDistinctDays: SeverityBand[];
}

export interface ClonedPlateRule extends RuleBase<ClueKind.CLONED_PLATE> {
  maxImpliedSpeedKmh: number;
  minDistanceKm: number;
  vehicleTypeMismatch: boolean;
  severityByImpliedSpeedKmh: SeverityBand[];
}

/**
 * 有案不移: what counts as criminal (the violation, the penalty threshold) and how long a transfer
 * may take are the crime catalogue's (`CRIME_CATALOGUE_FILE`), not this file's: one source for the
 * clue, the untransferred-cases view and the transfers.
 */
export interface UntransferredCriminalRule extends RuleBase<ClueKind.UNTRANSFERRED_CRIMINAL> {
  crimeCatalogue: CrimeCatalogue;
  severityByDaysOverdue: SeverityBand[];
}

export type ClueRule = OverloadRule | ExpiredOrRevokedRule | IllegalOperationRule | ClonedPlateRule | UntransferredCriminalRule;

/** A checked rule file. */
export class ClueRules {
  constructor(
    readonly file: string,
    readonly version: string,
    readonly rules: readonly ClueRule[],
    /** What counts as criminal and the transfer days (the crime catalogue): the overdue transfer steps are raised with the clues. */
    readonly crimeCatalogue: CrimeCatalogue,
  ) {}

  /** The enabled rule of `kind`, or null (at most one per kind: the file is checked for it). */
  enabled<K extends ClueKind>(kind: K): Extract<ClueRule, { kind: K }> | null {
    return (this.rules.find((r) => r.kind === kind && r.enabled) as Extract<ClueRule, { kind: K }> | undefined) ?? null;
  }
}

type Raw = RawRules;

/** The clue rule file's reader: fractional numbers unless said, and severity bands. */
class Reader extends RuleFileReader {
  constructor(file: string) {
    super((where, problem) => {
      throw new ClueRulesError(file, where, problem);
    });
  }

  override number(value: unknown, where: string, min: number, max: number, whole = false): number {
    return super.number(value, where, min, max, whole);
  }

  /** Severity bands: lower bounds strictly ascending, the first at most `firstAtMost` so every clue has one. */
  bands(value: unknown, where: string, firstAtMost: number): SeverityBand[] {
    const bands = this.list(value, where, (v, at) => {
      const band = this.object(v, at);
      this.onlyKeys(band, at, ['from', 'severity']);
      return { from: this.number(band.from, `${at}.from`, 0, 1e6), severity: this.oneOf(ClueSeverity, band.severity, `${at}.severity`) };
    });
    if (bands[0].from > firstAtMost) this.fail(`${where}[0].from`, `must be at most ${firstAtMost}, so every clue the rule raises has a severity`);
    bands.forEach((b, i) => {
      if (i > 0 && b.from <= bands[i - 1].from) this.fail(`${where}[${i}].from`, `must be above ${bands[i - 1].from} (bands ascend)`);
    });
    return bands;
  }
}

/** Why the vehicle-type variant of CLONED_PLATE cannot be switched on. */
const NO_CAPTURED_TYPE = 'cannot be true: captures carry no recorded vehicle type to compare with the registered one';

const BASE_KEYS = ['kind', 'title', 'enabled', 'window'] as const;

function base<K extends ClueKind>(r: Reader, id: string, raw: Raw, where: string, kind: K, keys: readonly string[]): RuleBase<K> {
  r.onlyKeys(raw, where, [...BASE_KEYS, ...keys]);
  return {
    id,
    kind,
    title: r.text(raw.title, `${where}.title`),
    enabled: r.boolean(raw.enabled, `${where}.enabled`),
    window: r.oneOf(ClueWindow, raw.window, `${where}.window`),
  };
}

function parseLimits(r: Reader, value: unknown, where: string): AxleLimit[] {
  const raw = r.object(value, where);
  const limits = Object.entries(raw)
    .filter(([k]) => k !== '$comment')
    .map(([axles, v]): AxleLimit => {
      const at = `${where}.${axles}`;
      if (!/^\d+$/.test(axles) || Number(axles) < 2 || Number(axles) > 12) r.fail(at, 'must be keyed by an axle count from 2 to 12');
      const limit = r.object(v, at);
      r.onlyKeys(limit, at, ['rigid', 'combination']);
      const rigidKg = r.number(limit.rigid, `${at}.rigid`, 1000, 100_000, true);
      const combinationKg = limit.combination === undefined ? rigidKg : r.number(limit.combination, `${at}.combination`, rigidKg, 100_000, true);
      return { axles: Number(axles), rigidKg, combinationKg };
    })
    .sort((a, b) => a.axles - b.axles);
  if (limits.length === 0) r.fail(where, 'must give the limit of at least one axle count');
  limits.forEach((l, i) => {
    if (i > 0 && l.axles !== limits[i - 1].axles + 1) r.fail(where, `skips from ${limits[i - 1].axles} to ${l.axles} axles`);
  });
  return limits;
}

function parseRule(r: Reader, id: string, value: unknown, catalogue: CrimeCatalogue): ClueRule {
  const where = `rules.${id}`;
  const raw = r.object(value, where);
  const kind = r.oneOf(ClueKind, raw.kind, `${where}.kind`);
  const strings = (v: unknown, at: string) => r.list(v, at, (s, i) => r.text(s, i));
  switch (kind) {
    case ClueKind.OVERLOAD: {
      const tolerance = r.number(raw.tolerance, `${where}.tolerance`, 0, 0.5);
      return {
        ...base(r, id, raw, where, kind, ['tolerance', 'limitsKg', 'combinationVehicleTypes', 'severityByOverloadRatio']),
        tolerance,
        limits: parseLimits(r, raw.limitsKg, `${where}.limitsKg`),
        combinationVehicleTypes: strings(raw.combinationVehicleTypes, `${where}.combinationVehicleTypes`),
        severityByOverloadRatio: r.bands(raw.severityByOverloadRatio, `${where}.severityByOverloadRatio`, tolerance),
      };
    }
    case ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE: {
      const minCaptures = r.number(raw.minCaptures, `${where}.minCaptures`, 1, 10_000, true);
      return {
        ...base(r, id, raw, where, kind, ['minCaptures', 'certificateStatuses', 'licenceStatuses', 'severityByCaptures']),
        minCaptures,
        certificateStatuses: r.list(raw.certificateStatuses, `${where}.certificateStatuses`, (v, at) => r.oneOf(TransportCertificateStatus, v, at)),
        licenceStatuses: r.list(raw.licenceStatuses, `${where}.licenceStatuses`, (v, at) => r.oneOf(LicenceStatus, v, at)),
        severityByCaptures: r.bands(raw.severityByCaptures, `${where}.severityByCaptures`, minCaptures),
      };
    }
    case ClueKind.ILLEGAL_OPERATION: {
      const minDistinctDays = r.number(raw.minDistinctDays, `${where}.minDistinctDays`, 1, 31, true);
      return {
        ...base(r, id, raw, where, kind, ['minDistinctDays', 'minHubCaptures', 'passengerPlateColors', 'hubCheckpointNameContains', 'severityByDistinctDays']),
        minDistinctDays,
        minHubCaptures: r.number(raw.minHubCaptures, `${where}.minHubCaptures`, 1, 10_000, true),
        passengerPlateColors: r.list(raw.passengerPlateColors, `${where}.passengerPlateColors`, (v, at) => r.oneOf(PlateColor, v, at)),
        hubCheckpointNameContains: strings(raw.hubCheckpointNameContains, `${where}.hubCheckpointNameContains`),
        severityByDistinctDays: r.bands(raw.severityByDistinctDays, `${where}.severityByDistinctDays`, minDistinctDays),
      };
    }
    case ClueKind.CLONED_PLATE: {
      const maxImpliedSpeedKmh = r.number(raw.maxImpliedSpeedKmh, `${where}.maxImpliedSpeedKmh`, 60, 2000);
      return {
        ...base(r, id, raw, where, kind, ['maxImpliedSpeedKmh', 'minDistanceKm', 'vehicleTypeMismatch', 'severityByImpliedSpeedKmh']),
        maxImpliedSpeedKmh,
        minDistanceKm: r.number(raw.minDistanceKm, `${where}.minDistanceKm`, 0, 1000),
        vehicleTypeMismatch: r.boolean(raw.vehicleTypeMismatch, `${where}.vehicleTypeMismatch`) && r.fail(`${where}.vehicleTypeMismatch`, NO_CAPTURED_TYPE),
        severityByImpliedSpeedKmh: r.bands(raw.severityByImpliedSpeedKmh, `${where}.severityByImpliedSpeedKmh`, maxImpliedSpeedKmh),
      };
    }
    case ClueKind.UNTRANSFERRED_CRIMINAL:
      return {
        ...base(r, id, raw, where, kind, ['severityByDaysOverdue']),
        crimeCatalogue: catalogue,
        severityByDaysOverdue: r.bands(raw.severityByDaysOverdue, `${where}.severityByDaysOverdue`, 0),
      };
  }
}

/** Checks a parsed rule file (`file` names it in errors); `catalogue` says what counts as criminal. */
export function parseClueRules(json: unknown, file: string, catalogue: CrimeCatalogue = loadCrimeCatalogue(DEFAULT_CRIME_CATALOGUE)): ClueRules {
  const r = new Reader(file);
  const root = r.object(json, 'the file');
  r.onlyKeys(root, 'the file', ['version', 'rules']);
  const version = r.text(root.version, 'version');
  const rules = Object.entries(r.object(root.rules, 'rules'))
    .filter(([id]) => id !== '$comment')
    .map(([id, value]) => {
      if (!/^[a-z][a-z0-9-]{1,62}$/.test(id)) r.fail(`rules.${id}`, 'must be named in lower-case letters, digits and -');
      return parseRule(r, id, value, catalogue);
    });
  if (rules.length === 0) r.fail('rules', 'must declare at least one rule');
  for (const rule of rules.filter((x) => x.enabled)) {
    const where = `rules.${rule.id}.enabled`;
    const other = rules.find((x) => x.enabled && x.kind === rule.kind && x !== rule);
    if (other) r.fail(where, `cannot be true: ${other.id} is the enabled ${rule.kind} rule already (one per kind)`);
  }
  return new ClueRules(file, version, rules, catalogue);
}

/**
 * Reads and checks the rule file; any problem stops the hub with the file and the place named.
 * The crime catalogue is the configured one (`CRIME_CATALOGUE_FILE`); tests may leave it out.
 */
export function loadClueRules(file: string, crimeCatalogueFile: string = DEFAULT_CRIME_CATALOGUE): ClueRules {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ClueRulesError(file, 'the file', `cannot be read: ${(error as Error).message}`);
  }
  return parseClueRules(json, file, loadCrimeCatalogue(crimeCatalogueFile));
}

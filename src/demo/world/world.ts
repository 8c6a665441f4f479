import { PlateColor } from '../../../connectors/contract/canonical/codes';
import {
  AbnormalOperationRecord,
  CaptureRecord,
  CheckpointRecord,
  CreditListEntryRecord,
  CreditRatingRecord,
  EnforcementCaseRecord,
  EnterpriseRecord,
  OperatorLicenceRecord,
  PractitionerRecord,
  VehicleRecord,
  WeighingRecord,
} from '../../../connectors/contract/canonical/records';
import { generateAbnormalOperations } from './abnormal-operations';
import { dayNumber } from './calendar';
import { planCaptures, streamCaptures } from './captures';
import { generateCheckpoints } from './checkpoints';
import { generateCreditListEntries } from './credit-list-entries';
import { generateCreditRatings } from './credit-ratings';
import { generateEnforcementCases } from './enforcement-cases';
import { generateEnterprises } from './enterprises';
import { generateLicences } from './licences';
import { foreignPassers, worldPassers } from './passing-traffic';
import { PlateRegistry } from './plate-registry';
import { generatePractitioners } from './practitioners';
import { generateVehicles } from './vehicles';
import { generateWeighingStations } from './weighing-stations';
import { generateWeighings } from './weighings';
import { worldCounts } from './world-counts';
import { hubCheckpoints } from './transport-hubs';
import { stationTraffic, type StationCar } from './station-traffic';
import { plantClones, type ClonedPlate } from './cloned-plates';

export interface WorldOptions {
  /** Any number; the same seed gives a byte-identical world. */
  seed: number;
  /** 1 = the default demo (about 2,000 enterprises, 20,000 vehicles, 1,000,000 captures); everything scales linearly. */
  size: number;
  /** Days of checkpoint captures, ending the day before `endDate`. Default 30. */
  days?: number;
  /** The world's "today" (ISO date); every event happens before it, so output never depends on the clock. Default 2026-11-01. */
  endDate?: string;
}

export interface World {
  options: Required<WorldOptions>;
  enterprises: EnterpriseRecord[];
  abnormalOperations: AbnormalOperationRecord[];
  licences: OperatorLicenceRecord[];
  vehicles: VehicleRecord[];
  practitioners: PractitionerRecord[];
  checkpoints: CheckpointRecord[];
  creditRatings: CreditRatingRecord[];
  creditListEntries: CreditListEntryRecord[];
  enforcementCases: EnforcementCaseRecord[];
  weighings: WeighingRecord[];
  /** Captures are high volume: generated lazily, one array per day, in serial order from 1. Same world → same sequence. */
  captures(): Generator<CaptureRecord[]>;
  /** Exactly how many captures `captures()` yields. */
  captureCount: number;
  /** The world's vehicles on the road, each with its relative frequency of passing a checkpoint (the demo's live traffic draws from them). */
  onRoad: ReadonlyArray<{ plateNumber: string; plateColor: PlateColor; activity: number }>;
  /** The clue patterns the world holds on purpose, so that what the hub derives can be checked against them. */
  planted: PlantedPatterns;
}

/** What the world planted: each clue pattern, with its negatives. */
export interface PlantedPatterns {
  /** ILLEGAL_OPERATION: private cars (no operating certificate) working the station checkpoints on many days. */
  blackCabs: StationCar[];
  /** Its negatives: cars at the stations a few times, or often on few days, or daily but once. */
  stationVisitors: StationCar[];
  /** CLONED_PLATE: one impossible pair of captures each, on `date`. */
  clonedPlates: ClonedPlate[];
  /** EXPIRED_OR_REVOKED_BUT_ACTIVE: vehicles out of force that are still on the road (most are not). */
  stillRunningOutOfForce: Array<{ plateNumber: string; plateColor: string }>;
  /** The station checkpoints (codes), where ILLEGAL_OPERATION looks. */
  stationCheckpoints: string[];
}

/** The district the README's officer works in (姑苏区): the world makes sure it has clues of each capture-derived kind on the last day. */
export const FOCUS_DIVISION = '320508';

export const DEFAULT_DAYS = 30;
export const DEFAULT_END_DATE = '2026-11-01';

export function generateWorld(options: WorldOptions): World {
  const resolved: Required<WorldOptions> = {
    seed: options.seed,
    size: options.size,
    days: options.days ?? DEFAULT_DAYS,
    endDate: options.endDate ?? DEFAULT_END_DATE,
  };
  const { seed, size, days, endDate } = resolved;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  const endDay = dayNumber(endDate);
  const counts = worldCounts(size);

  // Order matters only where one part reads another; each part draws from its own random stream.
  const plates = new PlateRegistry();
  const enterprises = generateEnterprises(seed, counts.enterprises, endDay);
  const licences = generateLicences(seed, enterprises, endDay);
  const vehicles = generateVehicles(seed, counts.vehicles, enterprises, licences.latestByHolder, plates, endDay);
  const practitioners = generatePractitioners(seed, counts.practitioners, enterprises, vehicles, endDay);
  const checkpoints = generateCheckpoints(seed, counts.checkpoints, endDay);
  const stations = hubCheckpoints(seed, checkpoints, endDay);
  const weighStations = generateWeighingStations(seed, counts.weighingStations);
  const weighings = generateWeighings(seed, counts.weighings, vehicles, weighStations, endDay);
  const cases = generateEnforcementCases(seed, counts.enforcementCases, { enterprises, vehicles, practitioners, weighings }, endDay);
  const abnormalOperations = generateAbnormalOperations(seed, counts.abnormalOperations, enterprises, endDay);
  const ratings = generateCreditRatings(seed, enterprises, cases, endDay);
  const listEntries = generateCreditListEntries(seed, counts.creditListEntries, { enterprises, abnormalOperations, ratings, cases }, endDay);
  const plan = planCaptures(seed, counts.capturesPerDay, days, endDay);
  const onRoad = worldPassers(seed, vehicles, licences.latestByHolder, checkpoints.length);
  const passers = foreignPassers(seed, counts.passingVehicles, plates, checkpoints.length);
  const expressways = checkpoints.filter((c) => c.road.kind === 'EXPRESSWAY');
  const atStations = stationTraffic(seed, { blackCabs: counts.blackCabs, visitors: counts.stationVisitors }, days, stations, expressways, plates);
  const clones = plantClones(
    seed,
    counts.clonedPlates,
    { firstDay: plan.firstDay, days },
    onRoad.passers,
    checkpoints,
    [...checkpoints, ...stations],
    FOCUS_DIVISION,
  );
  const planted = atStations.sightings.map((day, d) => [...day, ...clones.sightings[d]].sort((a, b) => a.second - b.second));
  const plantedCount = planted.reduce((n, day) => n + day.length, 0);
  const captureSources = {
    checkpoints,
    worldPassers: onRoad.passers,
    foreignPassers: passers,
    planted,
    reserved: clones.reserved,
  };

  return {
    options: resolved,
    enterprises: enterprises.map((e) => e.record),
    abnormalOperations: abnormalOperations.map((a) => a.record),
    licences: licences.records,
    vehicles: vehicles.map((v) => v.record),
    practitioners: practitioners.map((p) => p.record),
    checkpoints: [...checkpoints, ...stations].map((c) => c.record),
    creditRatings: ratings.map((r) => r.record),
    creditListEntries: listEntries,
    enforcementCases: cases.map((c) => c.record),
    weighings: weighings.map((w) => w.record),
    captures: () => streamCaptures(seed, plan, captureSources),
    captureCount: plan.total + plantedCount,
    onRoad: onRoad.passers.filter((p) => p.activity > 0).map(({ plateNumber, plateColor, activity }) => ({ plateNumber, plateColor, activity })),
    planted: {
      blackCabs: atStations.blackCabs,
      stationVisitors: atStations.visitors,
      clonedPlates: clones.planted,
      stillRunningOutOfForce: onRoad.stillRunning.map(({ plateNumber, plateColor }) => ({ plateNumber, plateColor })),
      stationCheckpoints: stations.map((c) => c.record.code),
    },
  };
}

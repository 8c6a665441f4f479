import { drawCountOf } from '../../draw/draw-algorithm';
import { InspectionLevel } from './inspection.types';

/** One check item of a random-inspection item: what a result records a finding against. */
export interface CheckItemRule {
  code: string;
  text: string;
}

/** A random-inspection item (抽查事项) of the catalogue. */
export interface InspectionItemRule {
  code: string;
  name: string;
  legalBasis: string;
  /** The inspecting unit: an agency of the agreements file. */
  unit: string;
  /** Enterprises holding a valid operator licence of one of these scopes are its objects. */
  objectScopes: string[];
  method: string;
  content: string;
  checkItems: CheckItemRule[];
  /** Items of other units inspected in the same visit when a task is joint (进一次门、查多项事). */
  jointWith: string[];
}

/** One entry of the responsibility list (随机检查事项责任清单). */
export interface ResponsibilityRule {
  unit: string;
  items: string[];
  performer: string;
  standard: string;
  accountability: string;
  accountabilityBasis: string;
}

export interface StratumRule {
  code: string;
  ratio: number;
  description: string;
}

/** The checked rule file `schema/rules/inspection-items.json` (read by src/supervision/inspection-rules-file.ts). */
export interface InspectionRules {
  file: string;
  version: string;
  parameters: {
    inspectorsPerObject: number;
    recentInspectionMonths: number;
    /** An object's past findings are its results not COMPLIANT within this many months. */
    pastFindingsMonths: number;
    publicationWorkingDays: number;
    districtShare: number;
    beaconDistance: number;
  };
  strata: StratumRule[];
  items: InspectionItemRule[];
  responsibilities: ResponsibilityRule[];
}

/** Objects a plan's city tasks may draw: the part of its planned objects that is not the districts' share (none when it states no number). */
export const cityQuotaOf = (plannedObjects: number | null, districtShare: number): number =>
  plannedObjects === null ? 0 : Math.floor(plannedObjects * (1 - districtShare) + 1e-9);

/** What a task's objects to draw are counted from: its level, the stratum sizes of its frozen roster and its ratios. */
export interface CountedTask {
  level: InspectionLevel;
  stratumSizes: Record<string, number>;
  ratios: Record<string, number>;
}

/**
 * Objects a plan's city tasks draw, drawn or not (fixed at commitment: each task's stratum sizes,
 * as the task view counts them from its frozen roster, at its ratios): the plan's `cityCommitted`,
 * and what a new city task's objects are added to against the quota.
 */
export const cityCommittedOf = (tasks: readonly CountedTask[]): number =>
  tasks.filter((t) => t.level === InspectionLevel.CITY).reduce((n, t) => n + drawCountOf(t.stratumSizes, t.ratios), 0);

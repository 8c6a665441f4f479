import { domain } from '../../read-kit/domain-descriptor';
import { InspectionResolver, inspectionTaskChangedTopic } from './inspection.resolver';
import { InspectionStatsResolver } from './inspection-stats.resolver';

export * from '../../draw/draw-algorithm';
export type { InspectionRules, InspectionItemRule, CheckItemRule, ResponsibilityRule, StratumRule } from './inspection-rules';
export { InspectionError, type InspectionRefusal, type DrawRefusalReason } from './inspection.errors';
export { InspectionWrites, type RosterQuery, type RosterRow, type RosterReader, type EnterpriseLookup, type InspectionActor } from './inspection.writes';
export { InspectionRepository } from './inspection.repository';
export { InspectionOutcome, type InspectionResult } from './inspection.types';
export { inspectionTaskChangedTopic, type InspectionContext } from './inspection.resolver';
export { publicationDue, isWorkingDay, missingYears, type HolidayCalendar, type CalendarYear } from './publication-due';

/**
 * Random inspections (双随机、一公开): hub-native records (provenance HUB) kept in bookkeeping
 * tables the read gateway does not own (migration random_inspections), read with the caller's
 * divisions as their scope, written by `InspectionWrites`.
 */
export const inspectionDomain = domain({
  name: 'inspection',
  entities: [],
  resolvers: [InspectionResolver, InspectionStatsResolver],
  relations: [],
  orderings: [],
  liveTopics: [inspectionTaskChangedTopic],
});

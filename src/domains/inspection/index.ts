import { domain } from '../../read-kit/domain-descriptor';
import { DrawnInspectionObject, InspectionPlan, InspectionResult, InspectionTask, Inspector } from './inspection.entity';
import { createInspectionLoaders } from './inspection.loaders';
import { inspectionRelations } from './inspection.relations';
import { InspectionRepository } from './inspection.repository';
import { InspectionResolver, inspectionTaskChangedTopic } from './inspection.resolver';
import { InspectionStatsResolver } from './inspection-stats.resolver';

export * from '../../draw/draw-algorithm';
export type { InspectionRules, InspectionItemRule, CheckItemRule, ResponsibilityRule, StratumRule } from './inspection-rules';
export { InspectionError, type InspectionRefusal, type DrawRefusalReason } from './inspection.errors';
export { InspectionWrites, type RosterQuery, type RosterRow, type RosterReader, type EnterpriseLookup, type InspectionActor } from './inspection.writes';
export { InspectionRepository, resultIdOf, WHOLE_LIST_MAX } from './inspection.repository';
export { InspectionOutcome } from './inspection.types';
export { DrawnInspectionObject, InspectionPlan, InspectionResult, InspectionTask, Inspector };
export type { InspectionLoaders } from './inspection.loaders';
export { inspectionTaskChangedTopic, type InspectionContext } from './inspection.resolver';
export { publicationDue, isWorkingDay, missingYears, type HolidayCalendar, type CalendarYear } from './publication-due';

/**
 * Random inspections (双随机、一公开): hub-native records (provenance HUB, migration
 * random_inspections) written by `InspectionWrites` and read through the read gateway like any
 * domain's, tasks, plans and inspectors under the agreements' `overlapsAny` row scope.
 */
export const inspectionDomain = domain({
  name: 'inspection',
  entities: [Inspector, InspectionPlan, InspectionTask, DrawnInspectionObject, InspectionResult],
  resolvers: [InspectionResolver, InspectionStatsResolver],
  loaders: (scope) => createInspectionLoaders(new InspectionRepository(scope)),
  relations: inspectionRelations,
  orderings: [],
  liveTopics: [inspectionTaskChangedTopic],
});

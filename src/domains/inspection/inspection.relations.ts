import { Float, Int } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { relation } from '../../read-kit/relations';
import { cityCommittedOf, cityQuotaOf } from './inspection-rules';
import { DrawnInspectionObject, InspectionPlan, InspectionResult, InspectionTask } from './inspection.entity';
import { resultCursor, resultIdOf } from './inspection.repository';
import type { InspectionContext } from './inspection.resolver';
import { InspectionLevel } from './inspection.types';

/*
 * What a task, a plan and a result show beyond their own row, each through a per-request loader
 * (one statement for every row asked at once): a task's drawn objects, a plan's tasks and its
 * 70/30 figures (over the tasks the caller sees, as its `tasks` shows them), a result's public id
 * and cursor.
 */
export const inspectionRelations = [
  relation({
    on: () => InspectionTask,
    field: 'drawn',
    returns: () => [DrawnInspectionObject],
    description: 'What the draw picked; empty before it.',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    load: (ctx: InspectionContext, key) => ctx.loaders.inspection.drawn.load(key.id),
  }),
  relation({
    on: () => InspectionPlan,
    field: 'cityQuota',
    returns: () => Int,
    description: 'Objects city tasks may draw: (1 − districtShare of the rule) of plannedObjects; more is PLAN_SPLIT.',
    classification: Classification.INTERNAL,
    // From the plan row the field is on: its planned objects are loaded with every plan read.
    parentKey: ['plannedObjects'],
    nullableKeys: ['plannedObjects'],
    load: (ctx: InspectionContext, key) => cityQuotaOf(key.plannedObjects, ctx.inspectionRules?.parameters.districtShare ?? 1),
  }),
  relation({
    on: () => InspectionPlan,
    field: 'cityCommitted',
    returns: () => Int,
    description: 'Objects the plan’s city tasks draw, drawn or committed (fixed at commitment): at most cityQuota.',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    load: async (ctx: InspectionContext, key) => cityCommittedOf(await ctx.loaders.inspection.tasksOfPlan.load({ planId: key.id, figures: true })),
  }),
  relation({
    on: () => InspectionPlan,
    field: 'districtShare',
    returns: () => Float,
    nullable: true,
    description: 'Share of drawn objects in district tasks (the rule: at least districtShare, 70%); null before any draw.',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    load: async (ctx: InspectionContext, key) => {
      const tasks = await ctx.loaders.inspection.tasksOfPlan.load({ planId: key.id, figures: true });
      const drawn = tasks.reduce((n, t) => n + t.objectsDrawn, 0);
      const district = tasks.filter((t) => t.level === InspectionLevel.DISTRICT).reduce((n, t) => n + t.objectsDrawn, 0);
      return drawn ? district / drawn : null;
    },
  }),
  relation({
    on: () => InspectionPlan,
    field: 'tasks',
    returns: () => [InspectionTask],
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    load: (ctx: InspectionContext, key) => ctx.loaders.inspection.tasksOfPlan.load({ planId: key.id, figures: false }),
  }),
  relation({
    on: () => InspectionResult,
    field: 'id',
    returns: () => String,
    description: 'Stable id: <task id>/<credit code>.',
    classification: Classification.PUBLIC,
    parentKey: ['taskId', 'uscc'],
    load: (_ctx: InspectionContext, key) => resultIdOf(key),
  }),
  relation({
    on: () => InspectionResult,
    field: 'cursor',
    returns: () => String,
    description: 'Pass as `after` to read on from this result.',
    classification: Classification.PUBLIC,
    parentKey: ['publishedAt', 'taskId', 'uscc'],
    load: (_ctx: InspectionContext, key) => resultCursor(key),
  }),
];

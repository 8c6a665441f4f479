import DataLoader from 'dataloader';
import { groupLoader, uniqueLoader } from '../../read-kit/loaders';
import type { InspectionTask } from './inspection.entity';
import type { InspectionRepository } from './inspection.repository';

/** A plan's tasks as its `tasks` field asks for them, or as its figures do (`figures`: with what they are computed from). */
export interface TasksOfPlan {
  planId: string;
  figures: boolean;
}

/**
 * A plan's tasks are read once for its `tasks` and its figures alike: the fields of one plan (of
 * every plan of a list) ask in the same tick, so their batch is one statement, with the figures'
 * columns when any of them asks.
 */
function tasksOfPlanLoader(repo: InspectionRepository): DataLoader<TasksOfPlan, InspectionTask[], string> {
  return new DataLoader<TasksOfPlan, InspectionTask[], string>(
    async (asked) => {
      const tasks = await repo.findTasksOfPlans(
        [...new Set(asked.map((a) => a.planId))],
        asked.some((a) => a.figures),
      );
      const byPlan = new Map<string, InspectionTask[]>();
      for (const task of tasks) byPlan.set(task.planId, [...(byPlan.get(task.planId) ?? []), task]);
      return asked.map((a) => byPlan.get(a.planId) ?? []);
    },
    { cacheKeyFn: (a) => `${a.planId}|${a.figures}`, maxBatchSize: 1000 },
  );
}

/** Per-request loaders of tasks (by id, by plan), their drawn objects and what plans' figures are computed from. */
export function createInspectionLoaders(repo: InspectionRepository) {
  return {
    taskById: uniqueLoader(
      (ids: readonly string[]) => repo.findTasks(ids),
      (t) => t.id,
    ),
    tasksOfPlan: tasksOfPlanLoader(repo),
    drawn: groupLoader(
      (ids: readonly string[]) => repo.findDrawnObjects(ids),
      (o) => o.taskId,
    ),
  };
}

export type InspectionLoaders = ReturnType<typeof createInspectionLoaders>;

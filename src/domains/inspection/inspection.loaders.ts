import { groupLoader, uniqueLoader } from '../../read-kit/loaders';
import type { InspectionRepository } from './inspection.repository';

/** Per-request loaders of tasks (by id, by plan), their drawn objects and what plans' figures are computed from. */
export function createInspectionLoaders(repo: InspectionRepository) {
  return {
    taskById: uniqueLoader(
      (ids: readonly string[]) => repo.findTasks(ids),
      (t) => t.id,
    ),
    tasksOfPlan: groupLoader(
      (ids: readonly string[]) => repo.findTasksOfPlans(ids),
      (t) => t.planId,
    ),
    drawn: groupLoader(
      (ids: readonly string[]) => repo.findDrawnObjects(ids),
      (o) => o.taskId,
    ),
    /** Per plan: its tasks as far as the caller sees them, with what its figures are computed from (one statement for every plan asked). */
    tally: groupLoader(
      (ids: readonly string[]) => repo.findTallies(ids),
      (t) => t.planId,
    ),
  };
}

export type InspectionLoaders = ReturnType<typeof createInspectionLoaders>;

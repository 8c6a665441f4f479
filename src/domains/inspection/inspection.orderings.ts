import { instant, type Ordering } from '../../read-kit/pagination';
import type { InspectionPlan, InspectionResult, Inspector } from './inspection.entity';

/*
 * How the inspection lists are read through the gateway's pages. None is offered as an argument:
 * the inspector roster and a year's plans are read whole, in id order, and published results
 * newest first (their `cursor` is that ordering's position as text, see `resultCursor`).
 */

export const INSPECTOR_ORDER: Ordering<Inspector> = {
  name: 'Inspector.ID',
  direction: 'asc',
  keys: [{ property: 'id', column: 'id', type: 'text', value: (i) => i.id }],
};

export const PLAN_ORDER: Ordering<InspectionPlan> = {
  name: 'InspectionPlan.ID',
  direction: 'asc',
  keys: [{ property: 'id', column: 'id', type: 'text', value: (p) => p.id }],
};

export const RESULT_ORDER: Ordering<InspectionResult> = {
  name: 'InspectionResult.PUBLISHED_AT_DESC',
  direction: 'desc',
  keys: [
    { property: 'publishedAt', column: 'recorded_at', type: 'instant', value: (r) => instant(r.publishedAt) },
    { property: 'taskId', column: 'task_id', type: 'text', value: (r) => r.taskId },
    { property: 'uscc', column: 'uscc', type: 'text', value: (r) => r.uscc },
  ],
};

import { encodeCursor, MAX_PAGE_SIZE, type Ordering, type Page } from '../../read-kit/pagination';
import { InvalidInputError } from '../../errors';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { Where } from '../../read-kit/rows/where';
import type { PublishedDraw } from '../../draw/draw-algorithm';
import { WholeListLimitError } from './inspection.errors';
import { DrawnInspectionObject, InspectionPlan, InspectionResult, InspectionTask, Inspector } from './inspection.entity';
import { INSPECTOR_ORDER, PLAN_ORDER, RESULT_ORDER } from './inspection.orderings';
import type { InspectionOutcome } from './inspection.types';

/** The most rows a list read whole holds (ten full pages): a city's roster or a year's plans are a small part of it. */
export const WHOLE_LIST_MAX = 10 * MAX_PAGE_SIZE;

/** The task columns a plan's figures are computed from (the view computes `stratumSizes` from the frozen roster). */
const TALLY_COLUMNS = ['level', 'objectsDrawn', 'stratumSizes', 'ratios'] as const;

/** What a plan's figures are computed from, whatever the operation selects of its tasks. */
export type TaskTally = Pick<InspectionTask, 'id' | 'planId' | (typeof TALLY_COLUMNS)[number]>;

/** A published result's `cursor` (`recorded_at|task|uscc`, UTC to the millisecond): what the public pages and the credit platform pass back. */
const RESULT_CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\|([A-Za-z0-9-]{1,64})\|([0-9A-Z]{18})$/;

/**
 * Reads of random inspections, through the read gateway: each statement carries the caller's row
 * scope (tasks, plans and inspectors by the division they overlap, see the agreements file), the
 * projection of what the operation selects, and is counted as any other read.
 */
export class InspectionRepository {
  constructor(private readonly scope: Pick<ReadScope, 'reads'>) {}

  /**
   * Every row of `type` meeting `where` in `ordering`, page after page, up to `WHOLE_LIST_MAX` (a
   * roster or a year's plans are never that long): a longer list is refused (WholeListLimitError)
   * once that many are read, not answered in part.
   */
  private async all<T extends object>(list: string, type: new () => T, where: Where<T>, ordering: Ordering<T>): Promise<T[]> {
    const rows: T[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<T> = await this.scope.reads.page(type, where, { ordering, first: MAX_PAGE_SIZE, after });
      rows.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return rows;
      if (rows.length >= WHOLE_LIST_MAX) throw new WholeListLimitError(list, WHOLE_LIST_MAX);
      after = page.pageInfo.endCursor;
    }
  }

  /** The inspector roster as far as the caller's scope reaches, in id order. */
  inspectors(): Promise<Inspector[]> {
    return this.all('inspectors', Inspector, {}, INSPECTOR_ORDER);
  }

  /** The plans of a year the caller's scope reaches, in id order (their tasks and figures are relations). */
  plans(year: number): Promise<InspectionPlan[]> {
    return this.all('inspection plans', InspectionPlan, { year }, PLAN_ORDER);
  }

  findTasks(ids: readonly string[]): Promise<InspectionTask[]> {
    return this.scope.reads.byKeys(
      InspectionTask,
      ['id'],
      ids.map((id) => [id]),
    );
  }

  /**
   * The tasks of each plan the caller's scope reaches, oldest first, in one statement: with the
   * columns the plans' figures are computed from (`TaskTally`) when `figures`, which a read
   * selecting none of them does not compute.
   */
  findTasksOfPlans(planIds: readonly string[], figures: boolean): Promise<InspectionTask[]> {
    return this.scope.reads.byKeys(
      InspectionTask,
      ['planId'],
      planIds.map((id) => [id]),
      [
        ['createdAt', 'asc'],
        ['id', 'asc'],
      ],
      figures ? TALLY_COLUMNS : [],
    );
  }

  /** The drawn objects of each task, in the order drawn, in one statement. */
  findDrawnObjects(taskIds: readonly string[]): Promise<DrawnInspectionObject[]> {
    return this.scope.reads.byKeys(
      DrawnInspectionObject,
      ['taskId'],
      taskIds.map((id) => [id]),
      [['position', 'asc']],
    );
  }

  /** The draw document of a task as published (commitment before the draw; everything after). */
  async publishedDraw(taskId: string): Promise<PublishedDraw | null> {
    const [task] = await this.scope.reads.byKeys(InspectionTask, ['id'], [[taskId]], [], ['publishedDraw']);
    return task ? (JSON.parse(task.publishedDraw) as PublishedDraw) : null;
  }

  /** One published result by its id (`<task>/<credit code>`), as its publication shows it: what a peer bureau is sent to recognise. */
  async publishedResult(
    id: string,
  ): Promise<{ id: string; uscc: string; enterpriseName: string; itemCodes: string[]; inspectedOn: string; outcome: InspectionOutcome } | null> {
    const cut = id.lastIndexOf('/');
    if (cut < 1) return null;
    const [row] = await this.scope.reads.byKeys(
      InspectionResult,
      ['taskId', 'uscc'],
      [[id.slice(0, cut), id.slice(cut + 1)]],
      [],
      ['enterpriseName', 'itemCodes', 'inspectedOn', 'outcome'],
    );
    return row
      ? { id, uscc: row.uscc, enterpriseName: row.enterpriseName, itemCodes: row.itemCodes, inspectedOn: row.inspectedOn, outcome: row.outcome }
      : null;
  }

  /**
   * Published results, newest first, after a `cursor` of the last one seen (`RESULT_CURSOR`; any
   * other `after` is refused as a connection's bad cursor is): what the public page and the
   * credit platform's pull read.
   */
  async results(first: number, after: string | null): Promise<{ results: InspectionResult[]; cursor: string | null }> {
    const position = after === null ? null : RESULT_CURSOR.exec(after);
    if (after !== null && !position) throw new InvalidInputError('after', 'is not a cursor returned by this connection');
    const page = await this.scope.reads.page(
      InspectionResult,
      {},
      { ordering: RESULT_ORDER, first, after: position ? encodeCursor(RESULT_ORDER.name, [`${position[1]}Z`, position[2], position[3]]) : null },
    );
    const results = page.edges.map((e) => e.node);
    const last = results[results.length - 1];
    return { results, cursor: page.pageInfo.hasNextPage && last ? resultCursor(last) : null };
  }
}

/** A result's stable id, `<task>/<credit code>` (`publishedResult` reads it back). */
export const resultIdOf = (r: Pick<InspectionResult, 'taskId' | 'uscc'>): string => `${r.taskId}/${r.uscc}`;

/** A result's position in `RESULT_ORDER` as its public `cursor` text (`RESULT_CURSOR`). */
export function resultCursor(r: Pick<InspectionResult, 'publishedAt' | 'taskId' | 'uscc'>): string {
  return `${r.publishedAt.toISOString().slice(0, 23)}|${r.taskId}|${r.uscc}`;
}

import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import type { Page } from '../../read-kit/pagination';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import type { TravelDirection } from '../common/enums';
import { CAPTURE_GROUPS, CAPTURE_STATS_READS, captureAggregate, type CaptureGroupBy } from './checkpoint.stats';
import { CAPTURE_ORDERING, captureOrderings, type CaptureOrderName } from './checkpoint.orderings';

const CAPTURE_UNIT_READS = unitReads(CAPTURE_GROUPS, CAPTURE_STATS_READS.reads.groupBy);

/** A capture's key in the hub: the exchange's serial and the capture time (the partition key). */
export interface CaptureKey {
  sourceSerial: string;
  capturedAt: Date;
}

export interface CaptureWindow {
  from: Date;
  to: Date;
}

export interface CaptureFilter extends CaptureWindow {
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  checkpointCode?: string | null;
}

/** Captures grouped by the vehicle they caught. */
const byVehicle = (keys: readonly VehicleKey[]) => ({
  parentKeys: ['plateNumber', 'plateColor'] as const,
  parents: keys.map((k) => [k.plateNumber, k.plateColor]),
});

/** Queries over checkpoints and their captures. */
export class CheckpointRepository {
  constructor(private readonly scope: ReadScope) {}

  findByCodes(codes: readonly string[]): Promise<Checkpoint[]> {
    return this.scope.reads.byKeys(
      Checkpoint,
      ['code'],
      codes.map((c) => [c]),
    );
  }

  /** Captures by their key (serial and capture time), in one statement: each seeks its own day partition. */
  findCapturesByKeys(keys: readonly CaptureKey[]): Promise<CheckpointCapture[]> {
    return this.scope.reads.firstPerParent(CheckpointCapture, {
      parentKeys: ['sourceSerial', 'capturedAt'],
      parents: keys.map((k) => [k.sourceSerial, k.capturedAt.toISOString()]),
      order: [['capturedAt', 'desc']],
      limit: 1,
    });
  }

  findCapturePage(filter: CaptureFilter, order: CaptureOrderName, first?: number | null, after?: string | null): Promise<Page<CheckpointCapture>> {
    return this.scope.reads.page(
      CheckpointCapture,
      {
        capturedAt: { gte: filter.from, lt: filter.to },
        plateNumber: filter.plateNumber,
        plateColor: filter.plateColor,
        checkpointCode: filter.checkpointCode,
      },
      { ordering: captureOrderings.ordering(order), first, after },
    );
  }

  /**
   * Up to `limit` captures of each vehicle in the window, newest first, after the cursor if one
   * is given: one statement for all vehicles, each seeking its own index range (merged across
   * day partitions).
   */
  findCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow, limit: number, after: string | null): Promise<CheckpointCapture[]> {
    return this.scope.reads.firstPerParent(CheckpointCapture, {
      ...byVehicle(keys),
      where: { capturedAt: { gte: window.from, lt: window.to } },
      ordering: CAPTURE_ORDERING,
      after,
      limit,
    });
  }

  /**
   * How many captures each vehicle has in the window, in one statement (index-only per vehicle);
   * with `atMost`, each vehicle's count reads at most that many rows.
   */
  async countCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow, atMost?: number): Promise<Array<VehicleKey & { count: number }>> {
    const counts = await this.scope.reads.countPerParent(CheckpointCapture, {
      ...byVehicle(keys),
      where: { capturedAt: { gte: window.from, lt: window.to } },
      atMost,
    });
    return counts.map(({ parent: [plateNumber, plateColor], count }) => ({ plateNumber, plateColor: plateColor as PlateColor, count }));
  }

  /** Captures in a window counted by `groupBy`, as `captureAggregate` defines units and suppression. */
  aggregateCaptures(
    filter: CaptureWindow & { checkpointCode: string | null; direction: TravelDirection | null },
    groupBy: readonly CaptureGroupBy[],
    measures: readonly string[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: captureAggregate,
      where: { capturedAt: { gte: filter.from, lt: filter.to }, checkpointCode: filter.checkpointCode, direction: filter.direction },
      groups: groupBy.map((g) => CAPTURE_GROUPS[g]),
      unitReads: CAPTURE_UNIT_READS,
      measures,
      ...options,
    });
  }
}

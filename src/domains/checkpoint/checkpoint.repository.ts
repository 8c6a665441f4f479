import type { EntityManager } from '@mikro-orm/postgresql';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../loaders';
import { decodeCursor, instant, paginate, type Ordering, type Page } from '../../pagination';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';

export interface CaptureWindow {
  from: Date;
  to: Date;
}

export interface CaptureFilter extends CaptureWindow {
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  checkpointCode?: string | null;
}

/** Captures are always read newest first; the serial breaks ties within one instant. */
export const CAPTURE_ORDERING: Ordering<CheckpointCapture> = {
  name: 'CAPTURED_AT_DESC',
  direction: 'desc',
  keys: [
    { property: 'capturedAt', column: 'captured_at', value: (c) => instant(c.capturedAt) },
    { property: 'sourceSerial', column: 'source_serial', value: (c) => String(c.sourceSerial) },
  ],
};

const vehicleKeysJson = (keys: readonly VehicleKey[]) => JSON.stringify(keys.map((k) => ({ p: k.plateNumber, c: k.plateColor })));

/** Queries over checkpoints and their captures. */
export class CheckpointRepository {
  constructor(private readonly em: EntityManager) {}

  findByCodes(codes: readonly string[]): Promise<Checkpoint[]> {
    return this.em.find(Checkpoint, { code: { $in: [...codes] } });
  }

  findCapturePage(filter: CaptureFilter, first?: number | null, after?: string | null): Promise<Page<CheckpointCapture>> {
    const qb = this.em.createQueryBuilder(CheckpointCapture, 'e')
      .where({ capturedAt: { $gte: filter.from, $lt: filter.to } });
    if (filter.plateNumber) qb.andWhere({ plateNumber: filter.plateNumber });
    if (filter.plateColor) qb.andWhere({ plateColor: filter.plateColor });
    if (filter.checkpointCode) qb.andWhere({ checkpointCode: filter.checkpointCode });
    return paginate(qb, { ordering: CAPTURE_ORDERING, first, after });
  }

  /**
   * Up to `limit` captures of each vehicle in the window, after the cursor if one is given:
   * one statement for all vehicles (a window function ranks each vehicle's rows).
   */
  async findCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow, limit: number, after: string | null): Promise<CheckpointCapture[]> {
    if (keys.length === 0 || limit === 0) return [];
    const params: unknown[] = [vehicleKeysJson(keys), window.from, window.to];
    let seek = '';
    if (after) {
      const [capturedAt, serial] = decodeCursor('after', after, CAPTURE_ORDERING.name, 2);
      seek = 'and (c.captured_at, c.source_serial) < (?::timestamptz, ?::bigint)';
      params.push(capturedAt, serial);
    }
    params.push(limit);
    const rows = await this.em.execute(`
      select r.* from (
        select c.*, row_number() over (partition by c.plate_number, c.plate_color order by c.captured_at desc, c.source_serial desc) as rn
        from checkpoint_capture c
        join json_to_recordset(?::json) as k(p text, c text) on c.plate_number = k.p and c.plate_color = k.c
        where c.captured_at >= ? and c.captured_at < ? ${seek}) r
      where r.rn <= ?
      order by r.plate_number, r.plate_color, r.captured_at desc, r.source_serial desc`, params);
    return rows.map((row) => this.em.map(CheckpointCapture, row));
  }

  /** How many captures each vehicle has in the window, in one statement. */
  async countCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow): Promise<Array<VehicleKey & { count: number }>> {
    if (keys.length === 0) return [];
    const rows: Array<{ plate_number: string; plate_color: PlateColor; count: string }> = await this.em.execute(`
      select c.plate_number, c.plate_color, count(*) as count
      from checkpoint_capture c
      join json_to_recordset(?::json) as k(p text, c text) on c.plate_number = k.p and c.plate_color = k.c
      where c.captured_at >= ? and c.captured_at < ?
      group by c.plate_number, c.plate_color`, [vehicleKeysJson(keys), window.from, window.to]);
    return rows.map((r) => ({ plateNumber: r.plate_number, plateColor: r.plate_color, count: Number(r.count) }));
  }
}

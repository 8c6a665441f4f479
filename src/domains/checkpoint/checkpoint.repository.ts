import { rowScopePredicate } from '../../read-kit/rows/row-scope-sql';
import type { EntityMetadata } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import { projectionFor } from '../../read-kit/rows/projection';
import type { PlateColor } from '../common/enums';
import type { VehicleKey } from '../../read-kit/loaders';
import { decodeCursor, paginate, type Page } from '../../read-kit/pagination';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { CAPTURE_ORDERING, captureOrderings, type CaptureOrderName } from './checkpoint.orderings';

export interface CaptureWindow {
  from: Date;
  to: Date;
}

export interface CaptureFilter extends CaptureWindow {
  plateNumber?: string | null;
  plateColor?: PlateColor | null;
  checkpointCode?: string | null;
}

const vehicleKeysJson = (keys: readonly VehicleKey[]) => JSON.stringify(keys.map((k) => ({ p: k.plateNumber, c: k.plateColor })));

/** Queries over checkpoints and their captures. */
export class CheckpointRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByCodes(codes: readonly string[]): Promise<Checkpoint[]> {
    return findRowsByKeys(this.scope, Checkpoint, ['code'], codes.map((c) => [c]));
  }

  findCapturePage(filter: CaptureFilter, order: CaptureOrderName, first?: number | null, after?: string | null): Promise<Page<CheckpointCapture>> {
    const qb = this.em.createQueryBuilder(CheckpointCapture, 'e')
      .where({ capturedAt: { $gte: filter.from, $lt: filter.to } });
    if (filter.plateNumber) qb.andWhere({ plateNumber: filter.plateNumber });
    if (filter.plateColor) qb.andWhere({ plateColor: filter.plateColor });
    if (filter.checkpointCode) qb.andWhere({ checkpointCode: filter.checkpointCode });
    return paginate(this.scope, qb, { ordering: captureOrderings.ordering(order), first, after }, CheckpointCapture);
  }

  /**
   * Up to `limit` captures of each vehicle in the window, after the cursor if one is given: one
   * statement for all vehicles. The lateral join lets each vehicle seek its own index range
   * (newest first, merged across day partitions) and stop after `limit` rows.
   */
  async findCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow, limit: number, after: string | null): Promise<CheckpointCapture[]> {
    if (keys.length === 0 || limit === 0) return [];
    const params: unknown[] = [vehicleKeysJson(keys), window.from, window.to, limit];
    let seek = '';
    if (after) {
      const [capturedAt, serial] = decodeCursor('after', after, CAPTURE_ORDERING.name, CAPTURE_ORDERING.keys.map((k) => k.type));
      seek = 'and (c.captured_at, c.source_serial) < ($5::timestamptz, $6::bigint)';
      params.push(capturedAt, serial);
    }
    // The loader groups the rows by plate: read it whatever the operation selects.
    const projection = projectionFor(this.scope, CheckpointCapture, ['plateNumber', 'plateColor']);
    const scoped = rowScopePredicate(this.scope, this.em.getMetadata().get(CheckpointCapture.name) as unknown as EntityMetadata, 'c', (v) => `$${params.push(v)}`);
    const rows = await this.scope.sql.query(`
      select c.* from json_to_recordset($1::json) as k(p text, c text)
      cross join lateral (
        select ${projection.columnList} from checkpoint_capture c
        where c.plate_number = k.p and c.plate_color = k.c and c.captured_at >= $2 and c.captured_at < $3 ${seek} ${scoped ? `and ${scoped}` : ''}
        order by c.captured_at desc, c.source_serial desc
        limit $4) c`, params);
    return rows.map(projection.map);
  }

  /**
   * How many captures each vehicle has in the window, in one statement (index-only per vehicle);
   * with `atMost`, each vehicle's count reads at most that many rows.
   */
  async countCapturesOfVehicles(keys: readonly VehicleKey[], window: CaptureWindow, atMost?: number): Promise<Array<VehicleKey & { count: number }>> {
    if (keys.length === 0) return [];
    const params: unknown[] = [window.from, window.to, vehicleKeysJson(keys)];
    const bound = atMost === undefined ? '' : `limit $${params.push(atMost)}`;
    const scoped = rowScopePredicate(this.scope, this.em.getMetadata().get(CheckpointCapture.name) as unknown as EntityMetadata, 'c', (v) => `$${params.push(v)}`);
    const rows = await this.scope.sql.query<{ p: string; c: PlateColor; count: string }>(`
      select k.p, k.c, (select count(*) from (select 1 from checkpoint_capture c
        where c.plate_number = k.p and c.plate_color = k.c and c.captured_at >= $1 and c.captured_at < $2 ${scoped ? `and ${scoped}` : ''} ${bound}) as matching) as count
      from json_to_recordset($3::json) as k(p text, c text)`, params);
    return rows.map((r) => ({ plateNumber: r.p, plateColor: r.c, count: Number(r.count) }));
  }
}

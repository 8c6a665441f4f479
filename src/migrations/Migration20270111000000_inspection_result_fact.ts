import { Migration } from '@mikro-orm/migrations';

/**
 * Inspection results as the facts `inspectionStats` counts: each result with its task's item and
 * division (what results are grouped by), read-only, so the aggregate reads one relation.
 */
export class Migration20270111000000_inspection_result_fact extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view inspection_result_fact as
      select r.task_id, r.uscc, r.inspected_on, r.outcome, t.item_code, t.division
      from inspection_result r join inspection_task t on t.id = r.task_id`);
    this.addSql('grant select on inspection_result_fact to xietong_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop view if exists inspection_result_fact');
  }
}

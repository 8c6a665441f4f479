import { Migration } from '@mikro-orm/migrations';

/** The record tables as of this migration (`RECORD_TABLES`): each is looked up by its source's record id. */
const TABLES = [
  'enterprise',
  'abnormal_operation',
  'operator_licence',
  'vehicle',
  'practitioner',
  'checkpoint',
  'credit_rating',
  'credit_list_entry',
  'enforcement_case',
  'weighing',
];

/**
 * Each record table by its source's record id: a batch carrying deletions finds the rows the
 * source deleted by it (`softDeleteRecords`), which with no index was a scan of the whole table
 * per such batch (every weighing, every case).
 */
export class Migration20270143000100_record_id_index extends Migration {
  override async up(): Promise<void> {
    for (const table of TABLES) this.addSql(`create index ${table}_provenance_record_index on ${table} (provenance_record_id)`);
  }

  override async down(): Promise<void> {
    for (const table of TABLES) this.addSql(`drop index if exists ${table}_provenance_record_index`);
  }
}

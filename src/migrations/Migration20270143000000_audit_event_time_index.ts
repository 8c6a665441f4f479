import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail by time: the auditors' queries (`auditEvents` from/to, `dataAccessReport` over a
 * window) read a window of events, which with only the key to go by meant a scan of the whole
 * trail, one event per request the hub ever answered.
 */
export class Migration20270143000000_audit_event_time_index extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index audit_event_occurred_at_index on audit_event (occurred_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists audit_event_occurred_at_index');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * What the transport system records of a case's outcome: when its penalty was decided (kept when
 * it is closed, so the credit platform's pull by decision date finds closed cases too), when it
 * was handed to the police and which police unit received it. Filled by the next sync of cases.
 */
export class Migration20270102010000_case_decision_dates extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table enforcement_case add column decided_at timestamptz(3) null');
    this.addSql('alter table enforcement_case add column transferred_at timestamptz(3) null');
    this.addSql('alter table enforcement_case add column receiving_police_unit text null');
    this.addSql('create index enforcement_case_decided_at_index on enforcement_case (decided_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists enforcement_case_decided_at_index');
    this.addSql('alter table enforcement_case drop column receiving_police_unit');
    this.addSql('alter table enforcement_case drop column transferred_at');
    this.addSql('alter table enforcement_case drop column decided_at');
  }
}

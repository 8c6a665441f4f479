import { Migration } from '@mikro-orm/migrations';

/**
 * Risk grade changes announced live (`Subscription.riskGradeChanged`): one more outbox trigger, as
 * the live layer was built for (migration 20261222000000_watch_lists). Every row the grading
 * appends to `enterprise_risk_grade_change` appends an event in the grading's own transaction, so
 * a subscriber hears of a change exactly when the new grade is visible, and of none that rolled
 * back. The event carries the change's id and routing facts; what a subscriber sees of it is read
 * under its own agreement when it is delivered.
 */
export class Migration20261226000000_risk_grade_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function risk_grade_change_event() returns trigger language plpgsql as $$
      begin
        insert into hub_event (kind, division, payload)
        values ('RISK_GRADE', new.division, jsonb_build_object('changeId', new.id::text, 'uscc', new.uscc, 'division', new.division,
          'oldGrade', new.old_grade, 'newGrade', new.new_grade));
        return null;
      end $$`);
    this.addSql(`create trigger risk_grade_change_raises_event after insert on enterprise_risk_grade_change
      for each row execute function risk_grade_change_event()`);
    // Each delivery reads the enterprise's changes through the gateway, by credit code.
    this.addSql('create index enterprise_risk_grade_change_uscc_index on enterprise_risk_grade_change (uscc, id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists enterprise_risk_grade_change_uscc_index');
    this.addSql('drop trigger if exists risk_grade_change_raises_event on enterprise_risk_grade_change');
    this.addSql('drop function if exists risk_grade_change_event()');
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Divisions that place a vehicle and a weighing under a district's supervision (the agreements
 * file's `jurisdictions`): the division that issued a vehicle's road transport certificate, and the
 * division a weigh station stands in. Rows synced before carry none until their next sync.
 */
export class Migration20261203000000_supervision_divisions extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table vehicle add column transport_certificate_division text null');
    this.addSql(`alter table weighing add column station_division_code text not null default ''`);
    this.addSql('alter table weighing alter column station_division_code drop default');
  }

  override async down(): Promise<void> {
    this.addSql('alter table weighing drop column station_division_code');
    this.addSql('alter table vehicle drop column transport_certificate_division');
  }
}

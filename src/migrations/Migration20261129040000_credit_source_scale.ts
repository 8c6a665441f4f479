import { Migration } from '@mikro-orm/migrations';

/** Credit ratings keep the source's own grade and the penalty points that decide B versus C. */
export class Migration20261129040000_credit_source_scale extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table credit_rating add column source_grade text null, add column penalty_points smallint null');
    this.addSql('update credit_rating set source_grade = grade where source_grade is null');
    this.addSql('alter table credit_rating alter column source_grade set not null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table credit_rating drop column source_grade, drop column penalty_points');
  }
}

import { Migration } from '@mikro-orm/migrations';

/** Columns every synced table carries (see `SyncedEntity` and `Provenance`). */
const SYNCED_COLUMNS = `
  provenance_system text not null,
  provenance_record_id text not null,
  provenance_source_updated_at timestamptz(3) not null,
  provenance_synced_at timestamptz(3) not null,
  provenance_content_hash text not null,
  deleted_at timestamptz(3) null`;

/**
 * The canonical cross-agency model: one table per entity type, natural keys. Instants are kept
 * to the millisecond (timestamptz(3)): that is what the API's DateTime and its cursors carry, so a
 * cursor always names a stored value exactly.
 */
export class Migration20261129000000_canonical_model extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table enterprise (
      uscc text primary key,
      name text not null,
      type text not null,
      status text not null,
      legal_representative text not null,
      registered_capital_yuan double precision not null,
      established_on date not null,
      address text not null,
      division_code text not null,
      business_scope text not null,${SYNCED_COLUMNS})`);
    this.addSql('create index enterprise_division_code_status_index on enterprise (division_code, status)');
    this.addSql('create index enterprise_name_index on enterprise (name, uscc)');

    this.addSql(`create table abnormal_operation (
      source_id text primary key,
      uscc text not null,
      reason text not null,
      authority text not null,
      listed_on date not null,
      removed_on date null,${SYNCED_COLUMNS})`);
    this.addSql('create index abnormal_operation_uscc_index on abnormal_operation (uscc)');

    this.addSql(`create table operator_licence (
      number text primary key,
      holder_uscc text not null,
      scopes text[] not null,
      issuing_authority text not null,
      valid_from date not null,
      valid_to date not null,
      status text not null,${SYNCED_COLUMNS})`);
    this.addSql('create index operator_licence_holder_uscc_index on operator_licence (holder_uscc)');

    this.addSql(`create table vehicle (
      plate_number text not null,
      plate_color text not null,
      vin text not null,
      vehicle_type text not null,
      owner_uscc text null,
      transport_certificate_number text null,
      transport_certificate_status text not null,
      transport_certificate_valid_to date null,
      axle_count smallint not null,
      rated_total_mass_kg integer not null,
      registration_division text not null,${SYNCED_COLUMNS},
      primary key (plate_number, plate_color))`);
    this.addSql('create index vehicle_owner_uscc_index on vehicle (owner_uscc)');
    this.addSql('create index vehicle_vin_index on vehicle (vin)');
    this.addSql('create index vehicle_registration_division_index on vehicle (registration_division)');

    this.addSql(`create table practitioner (
      id_number text primary key,
      name text not null,
      phone text null,
      qualification_category text not null,
      certificate_number text not null,
      employer_uscc text null,
      status text not null,${SYNCED_COLUMNS})`);
    this.addSql('create index practitioner_employer_uscc_index on practitioner (employer_uscc)');
    this.addSql('create index practitioner_certificate_number_index on practitioner (certificate_number)');

    this.addSql(`create table checkpoint (
      code text primary key,
      name text not null,
      road text not null,
      direction text not null,
      latitude double precision not null,
      longitude double precision not null,
      division_code text not null,${SYNCED_COLUMNS})`);

    // Captures arrive by the million: one partition per capture day (Asia/Shanghai), so a time
    // window touches only its days and old days can be detached wholesale. The key must contain
    // the partition column, hence (source_serial, captured_at).
    this.addSql(`create table checkpoint_capture (
      source_serial bigint not null,
      captured_at timestamptz(3) not null,
      checkpoint_code text not null,
      plate_number text not null,
      plate_color text not null,
      direction text not null,
      lane smallint not null,
      speed_kmh smallint not null,
      image_ref text not null,
      synced_at timestamptz(3) not null,
      primary key (source_serial, captured_at)) partition by range (captured_at)`);
    this.addSql('create index checkpoint_capture_plate_time_index on checkpoint_capture (plate_number, plate_color, captured_at desc, source_serial desc)');
    this.addSql('create index checkpoint_capture_checkpoint_time_index on checkpoint_capture (checkpoint_code, captured_at desc, source_serial desc)');
    // Creates the missing day partitions of a date range. Writers call it before inserting a
    // batch; the advisory lock serialises concurrent writers creating the same day.
    this.addSql(`create function ensure_capture_partitions(from_day date, to_day date) returns integer
      language plpgsql as $$
      declare
        d date := from_day;
        created integer := 0;
        part text;
      begin
        perform pg_advisory_xact_lock(hashtext('checkpoint_capture_partitions'));
        while d <= to_day loop
          part := 'checkpoint_capture_p' || to_char(d, 'YYYYMMDD');
          if to_regclass(part) is null then
            -- Bounds written as explicit +08 text: independent of the session's DateStyle and TimeZone.
            execute format('create table %I partition of checkpoint_capture for values from (%L) to (%L)',
              part, to_char(d, 'YYYY-MM-DD') || ' 00:00:00+08', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+08');
            created := created + 1;
          end if;
          d := d + 1;
        end loop;
        return created;
      end $$`);

    this.addSql(`create table credit_rating (
      source_id text primary key,
      subject_uscc text not null,
      grade text not null,
      score double precision not null,
      year smallint not null,
      rating_authority text not null,${SYNCED_COLUMNS})`);
    this.addSql('create index credit_rating_subject_uscc_year_index on credit_rating (subject_uscc, year)');

    this.addSql(`create table credit_list_entry (
      source_id text primary key,
      subject_uscc text not null,
      list_type text not null,
      reason text not null,
      authority text not null,
      listed_on date not null,
      removed_on date null,${SYNCED_COLUMNS})`);
    this.addSql('create index credit_list_entry_subject_uscc_index on credit_list_entry (subject_uscc)');

    this.addSql(`create table enforcement_case (
      case_number text primary key,
      violation_code text not null,
      violation_type text not null,
      party_uscc text null,
      party_id_number text null,
      vehicle_plate_number text null,
      vehicle_plate_color text null,
      occurred_at timestamptz(3) not null,
      division_code text not null,
      status text not null,
      penalty_amount_yuan double precision null,
      transferred_to_police boolean not null,
      summary text not null,${SYNCED_COLUMNS})`);
    this.addSql('create index enforcement_case_party_uscc_index on enforcement_case (party_uscc)');
    this.addSql('create index enforcement_case_party_id_number_index on enforcement_case (party_id_number)');
    this.addSql('create index enforcement_case_vehicle_index on enforcement_case (vehicle_plate_number, vehicle_plate_color)');
    this.addSql('create index enforcement_case_occurred_at_index on enforcement_case (occurred_at, case_number)');

    this.addSql(`create table weighing (
      source_id text primary key,
      station_code text not null,
      station_name text not null,
      plate_number text not null,
      plate_color text not null,
      axle_count smallint not null,
      measured_total_mass_kg integer not null,
      limit_kg integer not null,
      overload_kg integer not null,
      overload_ratio double precision not null,
      measured_at timestamptz(3) not null,${SYNCED_COLUMNS})`);
    this.addSql('create index weighing_vehicle_time_index on weighing (plate_number, plate_color, measured_at desc)');
    this.addSql('create index weighing_measured_at_index on weighing (measured_at, source_id)');
  }

  override async down(): Promise<void> {
    for (const table of [
      'weighing',
      'enforcement_case',
      'credit_list_entry',
      'credit_rating',
      'checkpoint_capture',
      'checkpoint',
      'practitioner',
      'vehicle',
      'operator_licence',
      'abnormal_operation',
      'enterprise',
    ]) {
      this.addSql(`drop table if exists ${table} cascade`);
    }
    this.addSql('drop function if exists ensure_capture_partitions(date, date)');
  }
}

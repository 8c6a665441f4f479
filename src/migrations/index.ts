import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129000000_canonical_model } from './Migration20261129000000_canonical_model';
import { Migration20261129010000_audit_chain } from './Migration20261129010000_audit_chain';
import { Migration20261129020000_token_replay } from './Migration20261129020000_token_replay';
import { Migration20261129030000_sync_state } from './Migration20261129030000_sync_state';
import { Migration20261129040000_credit_source_scale } from './Migration20261129040000_credit_source_scale';
import { Migration20261129050000_quarantine_once } from './Migration20261129050000_quarantine_once';
import { Migration20261129060000_sync_progress } from './Migration20261129060000_sync_progress';
import { Migration20261129070000_app_role } from './Migration20261129070000_app_role';
import { Migration20261129080000_quarantine_upkeep } from './Migration20261129080000_quarantine_upkeep';
import { Migration20261129090000_sync_snapshot } from './Migration20261129090000_sync_snapshot';
import { Migration20261129100000_sync_run_job } from './Migration20261129100000_sync_run_job';
import { Migration20261129110000_snapshot_version } from './Migration20261129110000_snapshot_version';
import { Migration20261203000000_audit_checkpoint } from './Migration20261203000000_audit_checkpoint';
import { Migration20261203000000_supervision_divisions } from './Migration20261203000000_supervision_divisions';
import { Migration20261210000000_token_revocation } from './Migration20261210000000_token_revocation';
import { Migration20261215000000_clues } from './Migration20261215000000_clues';
import { Migration20261216000000_clue_workflow } from './Migration20261216000000_clue_workflow';
import { Migration20261220000000_clue_listed_order } from './Migration20261220000000_clue_listed_order';
import { Migration20261221000000_risk_grades } from './Migration20261221000000_risk_grades';
import { Migration20261222000000_watch_lists } from './Migration20261222000000_watch_lists';
import { Migration20261223000000_derivation_watermark } from './Migration20261223000000_derivation_watermark';
import { Migration20261224000000_clue_link_scope } from './Migration20261224000000_clue_link_scope';
import { Migration20261224010000_cloned_plate_state } from './Migration20261224010000_cloned_plate_state';
import { Migration20261226000000_risk_grade_events } from './Migration20261226000000_risk_grade_events';
import { Migration20261227000000_grading_watermark } from './Migration20261227000000_grading_watermark';
import { Migration20261230000000_clue_link_scope_data } from './Migration20261230000000_clue_link_scope_data';
import { Migration20270101000000_random_inspections } from './Migration20270101000000_random_inspections';
import { Migration20270102000000_case_transfer } from './Migration20270102000000_case_transfer';
import { Migration20270102010000_case_decision_dates } from './Migration20270102010000_case_decision_dates';
import { Migration20270103000000_cooperation } from './Migration20270103000000_cooperation';
import { Migration20270104000000_rollups } from './Migration20270104000000_rollups';
import { Migration20270107000000_shared_rate_limit } from './Migration20270107000000_shared_rate_limit';
import { Migration20270113000000_inspection_roster_attributes } from './Migration20270113000000_inspection_roster_attributes';
import { Migration20270113000100_recognised_inspection_results } from './Migration20270113000100_recognised_inspection_results';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the compiled hub and the
 * ts-jest tests run the same set whatever the file layout.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261129000000_canonical_model', class: Migration20261129000000_canonical_model },
  { name: 'Migration20261129010000_audit_chain', class: Migration20261129010000_audit_chain },
  { name: 'Migration20261129020000_token_replay', class: Migration20261129020000_token_replay },
  { name: 'Migration20261129030000_sync_state', class: Migration20261129030000_sync_state },
  { name: 'Migration20261129040000_credit_source_scale', class: Migration20261129040000_credit_source_scale },
  { name: 'Migration20261129050000_quarantine_once', class: Migration20261129050000_quarantine_once },
  { name: 'Migration20261129060000_sync_progress', class: Migration20261129060000_sync_progress },
  { name: 'Migration20261129070000_app_role', class: Migration20261129070000_app_role },
  { name: 'Migration20261129080000_quarantine_upkeep', class: Migration20261129080000_quarantine_upkeep },
  { name: 'Migration20261129090000_sync_snapshot', class: Migration20261129090000_sync_snapshot },
  { name: 'Migration20261129100000_sync_run_job', class: Migration20261129100000_sync_run_job },
  { name: 'Migration20261129110000_snapshot_version', class: Migration20261129110000_snapshot_version },
  { name: 'Migration20261203000000_audit_checkpoint', class: Migration20261203000000_audit_checkpoint },
  { name: 'Migration20261203000000_supervision_divisions', class: Migration20261203000000_supervision_divisions },
  { name: 'Migration20261210000000_token_revocation', class: Migration20261210000000_token_revocation },
  { name: 'Migration20261215000000_clues', class: Migration20261215000000_clues },
  { name: 'Migration20261216000000_clue_workflow', class: Migration20261216000000_clue_workflow },
  { name: 'Migration20261220000000_clue_listed_order', class: Migration20261220000000_clue_listed_order },
  { name: 'Migration20261221000000_risk_grades', class: Migration20261221000000_risk_grades },
  { name: 'Migration20261222000000_watch_lists', class: Migration20261222000000_watch_lists },
  { name: 'Migration20261223000000_derivation_watermark', class: Migration20261223000000_derivation_watermark },
  { name: 'Migration20261224000000_clue_link_scope', class: Migration20261224000000_clue_link_scope },
  { name: 'Migration20261224010000_cloned_plate_state', class: Migration20261224010000_cloned_plate_state },
  { name: 'Migration20261226000000_risk_grade_events', class: Migration20261226000000_risk_grade_events },
  { name: 'Migration20261227000000_grading_watermark', class: Migration20261227000000_grading_watermark },
  { name: 'Migration20261230000000_clue_link_scope_data', class: Migration20261230000000_clue_link_scope_data },
  { name: 'Migration20270101000000_random_inspections', class: Migration20270101000000_random_inspections },
  { name: 'Migration20270102000000_case_transfer', class: Migration20270102000000_case_transfer },
  { name: 'Migration20270102010000_case_decision_dates', class: Migration20270102010000_case_decision_dates },
  { name: 'Migration20270103000000_cooperation', class: Migration20270103000000_cooperation },
  { name: 'Migration20270104000000_rollups', class: Migration20270104000000_rollups },
  { name: 'Migration20270107000000_shared_rate_limit', class: Migration20270107000000_shared_rate_limit },
  { name: 'Migration20270113000000_inspection_roster_attributes', class: Migration20270113000000_inspection_roster_attributes },
  { name: 'Migration20270113000100_recognised_inspection_results', class: Migration20270113000100_recognised_inspection_results },
];

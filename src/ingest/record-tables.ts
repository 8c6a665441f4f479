import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type {
  AbnormalOperationRecord,
  CheckpointRecord,
  CreditListEntryRecord,
  CreditRatingRecord,
  EnforcementCaseRecord,
  EnterpriseRecord,
  OperatorLicenceRecord,
  PractitionerRecord,
  VehicleRecord,
  WeighingRecord,
} from '../../connectors/contract/canonical/records';

/**
 * Where each kind of canonical record lands: its table, its natural key, the system it comes from
 * and its id there. Record fields map to columns by name (camelCase → snake_case).
 */
export interface RecordTable<R> {
  table: string;
  keyColumns: string[];
  system: SourceSystem;
  recordId: (record: R) => string;
}

export const RECORD_TABLES = {
  enterprise: { table: 'enterprise', keyColumns: ['uscc'], system: SourceSystem.MARKET_REGISTRY, recordId: (r) => r.uscc } as RecordTable<EnterpriseRecord>,
  abnormalOperation: {
    table: 'abnormal_operation',
    keyColumns: ['source_id'],
    system: SourceSystem.MARKET_REGISTRY,
    recordId: (r) => r.sourceId,
  } as RecordTable<AbnormalOperationRecord>,
  licence: {
    table: 'operator_licence',
    keyColumns: ['number'],
    system: SourceSystem.TRANSPORT,
    recordId: (r) => r.number,
  } as RecordTable<OperatorLicenceRecord>,
  vehicle: {
    table: 'vehicle',
    keyColumns: ['plate_number', 'plate_color'],
    system: SourceSystem.TRANSPORT,
    recordId: (r) => `${r.plateNumber}|${r.plateColor}`,
  } as RecordTable<VehicleRecord>,
  practitioner: {
    table: 'practitioner',
    keyColumns: ['id_number'],
    system: SourceSystem.TRANSPORT,
    recordId: (r) => r.idNumber,
  } as RecordTable<PractitionerRecord>,
  checkpoint: { table: 'checkpoint', keyColumns: ['code'], system: SourceSystem.CHECKPOINT_EXCHANGE, recordId: (r) => r.code } as RecordTable<CheckpointRecord>,
  creditRating: {
    table: 'credit_rating',
    keyColumns: ['source_id'],
    system: SourceSystem.CREDIT_PLATFORM,
    recordId: (r) => r.sourceId,
  } as RecordTable<CreditRatingRecord>,
  creditListEntry: {
    table: 'credit_list_entry',
    keyColumns: ['source_id'],
    system: SourceSystem.CREDIT_PLATFORM,
    recordId: (r) => r.sourceId,
  } as RecordTable<CreditListEntryRecord>,
  enforcementCase: {
    table: 'enforcement_case',
    keyColumns: ['case_number'],
    system: SourceSystem.TRANSPORT,
    recordId: (r) => r.caseNumber,
  } as RecordTable<EnforcementCaseRecord>,
  weighing: { table: 'weighing', keyColumns: ['source_id'], system: SourceSystem.TRANSPORT, recordId: (r) => r.sourceId } as RecordTable<WeighingRecord>,
};

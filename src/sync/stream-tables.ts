import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { RECORD_TABLES, type RecordTable } from '../ingest/record-tables';

/** Where each stream of each upstream system lands in the hub. */
export const STREAM_TABLES: Partial<Record<SourceSystem, Record<string, RecordTable<never>>>> = {
  [SourceSystem.TRANSPORT]: {
    licences: RECORD_TABLES.licence as RecordTable<never>,
    vehicles: RECORD_TABLES.vehicle as RecordTable<never>,
    practitioners: RECORD_TABLES.practitioner as RecordTable<never>,
    enforcementCases: RECORD_TABLES.enforcementCase as RecordTable<never>,
    weighings: RECORD_TABLES.weighing as RecordTable<never>,
  },
  [SourceSystem.MARKET_REGISTRY]: {
    enterprises: RECORD_TABLES.enterprise as RecordTable<never>,
    abnormalOperations: RECORD_TABLES.abnormalOperation as RecordTable<never>,
  },
  [SourceSystem.CREDIT_PLATFORM]: {
    ratings: RECORD_TABLES.creditRating as RecordTable<never>,
    listEntries: RECORD_TABLES.creditListEntry as RecordTable<never>,
  },
  [SourceSystem.CHECKPOINT_EXCHANGE]: {
    checkpoints: RECORD_TABLES.checkpoint as RecordTable<never>,
  },
};

/** Where a stream's batches go: record tables by upsert, captures by the bulk path. */
export type StreamTarget = { kind: 'records'; spec: RecordTable<{ updatedAt: string }> } | { kind: 'captures' };

/** The table spec of a record stream, or undefined for a stream the hub does not know. */
export function streamTable(system: SourceSystem, stream: string): RecordTable<{ updatedAt: string }> | undefined {
  return STREAM_TABLES[system]?.[stream] as RecordTable<{ updatedAt: string }> | undefined;
}

/** Where a stream lands, or undefined for a stream the hub does not know. */
export function streamTarget(system: SourceSystem, stream: string): StreamTarget | undefined {
  if (system === SourceSystem.CHECKPOINT_EXCHANGE && stream === 'captures') return { kind: 'captures' };
  const spec = streamTable(system, stream);
  return spec ? { kind: 'records', spec } : undefined;
}

/** Every stream the hub knows, per system, in a stable order (captures are the exchange's bulk stream). */
export function knownStreams(): Array<{ system: SourceSystem; streams: string[] }> {
  return Object.values(SourceSystem).map((system) => ({
    system,
    streams: [...Object.keys(STREAM_TABLES[system] ?? {}), ...(system === SourceSystem.CHECKPOINT_EXCHANGE ? ['captures'] : [])],
  }));
}

import type { AuditEventRow as Row } from '../audit-log';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { pageByKey, type Page } from '../../read-kit/pagination';
import type { AuditEvent, AuditEventFilterInput, DataAccessLine } from './audit.types';

const counts = (record: Record<string, number> | undefined) =>
  Object.entries(record ?? {})
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => a.key.localeCompare(b.key));

function eventOf(row: Row): AuditEvent {
  const c = row.content;
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    agency: c.agency,
    subject: c.subject,
    roles: c.roles,
    agreement: c.agreement,
    purpose: c.purpose,
    caseNumber: c.caseNumber,
    caseScope: c.caseScope ?? null,
    operationName: c.operationName,
    documentHash: c.documentHash,
    operationSignature: c.operationSignature ?? null,
    variables: JSON.stringify(c.variables ?? {}),
    arguments: JSON.stringify(c.arguments ?? []),
    fieldsReturned: counts(c.fieldsReturned),
    recordsCounted: counts(c.recordsCounted),
    sources: counts(c.sources),
    sourcesCounted: counts(c.sourcesCounted),
    outcome: c.outcome,
    refusal: c.refusal ?? null,
    durationMs: c.durationMs,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

/** `dataAccess`'s statement: `$1` the source agency, `$2`/`$3` the window, read by the trail's time index. */
export const DATA_ACCESS = `
  select content->>'agency' as agency, content->>'purpose' as purpose, count(*)::int as operations,
         coalesce(sum((content->'sources'->>$1)::int), 0)::int as records,
         coalesce(sum((content->'sourcesCounted'->>$1)::bigint), 0)::int as counted
  from audit_event
  where occurred_at >= $2 and occurred_at < $3 and ((content->'sources') ? $1 or (content->'sourcesCounted') ? $1)
  group by 1, 2 order by 1, 2 nulls first`;

/** Reads of the audit trail, for auditors and providing agencies. */
export class AuditRepository {
  constructor(private readonly scope: ReadScope) {}

  findPage(filter: AuditEventFilterInput, first?: number | null, after?: string | null): Promise<Page<AuditEvent>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of [
      ['agency', filter.agency],
      ['subject', filter.subject],
      ['outcome', filter.outcome],
      ['caseNumber', filter.caseNumber],
    ] as const) {
      if (value) conditions.push(`content->>'${key}' = $${params.push(value)}`);
    }
    if (filter.from) conditions.push(`occurred_at >= $${params.push(filter.from)}`);
    if (filter.to) conditions.push(`occurred_at < $${params.push(filter.to)}`);
    return pageByKey(this.scope, {
      table: 'audit_event',
      key: 'seq',
      columns: 'seq::text, occurred_at, content, prev_hash, hash',
      conditions,
      params,
      first,
      after,
      map: (row: Row) => eventOf(row),
    });
  }

  /**
   * Per consumer agency and purpose: operations that read `source`'s records (returned, counted or
   * paged over), and how many were returned and counted.
   */
  async dataAccess(source: string, from: Date, to: Date): Promise<DataAccessLine[]> {
    const rows = await this.scope.sql.query<{ agency: string; purpose: string | null; operations: number; records: number; counted: number }>(DATA_ACCESS, [
      source,
      from,
      to,
    ]);
    return rows.map((r) => ({ consumerAgency: r.agency, purpose: r.purpose, operations: r.operations, records: r.records, recordsCounted: r.counted }));
  }
}

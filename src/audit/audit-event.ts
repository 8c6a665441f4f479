/** What one audited operation records. Personal values in `variables` are redacted by the caller. */
export interface AuditEventContent {
  agency: string;
  subject: string;
  roles: string[];
  agreement: string | null;
  purpose: string | null;
  caseNumber: string | null;
  /** `ALL_PLATES` when the case was declared to reach every plate's captures (absent: its own vehicles). */
  caseScope?: string | null;
  operationName: string | null;
  /** SHA-256 of the operation document. */
  documentHash: string;
  variables: Record<string, unknown>;
  /** Classified fields returned, with how many records each. */
  fieldsReturned: Record<string, number>;
  /** Records returned per providing agency, for its data-access report. */
  sources?: Record<string, number>;
  /** Why the request was refused, when it was. */
  refusal?: string | null;
  outcome: 'OK' | 'PARTIAL' | 'DENIED' | 'ERROR';
  durationMs: number;
}

/** An event as stored: its place in the chain and the hashes that bind it there. */
export interface AuditRecord {
  seq: number;
  occurredAt: string;
  content: AuditEventContent;
  prevHash: string;
  hash: string;
}

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

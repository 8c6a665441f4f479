/** The arguments one field of an operation was given, literal or variable (personal values digested). */
export interface AuditedArgument {
  field: string;
  alias?: string;
  arguments: Record<string, unknown>;
}

/**
 * What one audited operation records. Personal values in `variables` and `arguments` are
 * digested by the caller (salted per event with `digestSalt`). Fields added later are optional:
 * events written before them still verify (the chain hash covers the content as stored).
 */
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
  /**
   * The server's signature of what was asked (see OperationAnalysis.signature), whatever the
   * client named the operation; null when the document did not resolve to an operation.
   */
  operationSignature?: string | null;
  variables: Record<string, unknown>;
  /** Every argument of every field, literal or variable. */
  arguments?: AuditedArgument[];
  /** The salt of this event's digests. */
  digestSalt?: string;
  /** Fields returned (counts and page info included), with how many objects of their type came back. */
  fieldsReturned: Record<string, number>;
  /** Records counted (`totalCount`), per type: a count reads the rows it counts. */
  recordsCounted?: Record<string, number>;
  /**
   * Records returned per providing agency, for its data-access report; an agency whose data was
   * read only by counting or paging information is listed with 0.
   */
  sources?: Record<string, number>;
  /** Records counted per providing agency. */
  sourcesCounted?: Record<string, number>;
  /** Why the request was refused, when it was. */
  refusal?: string | null;
  outcome: 'OK' | 'PARTIAL' | 'DENIED' | 'ERROR';
  /**
   * The `jti` of the access token the request presented (tokens are reused until they expire, so
   * it ties a client's requests together and names what to revoke), or of the token issued.
   */
  tokenId?: string;
  /**
   * For requests refused before authentication, which are counted rather than chained one by one:
   * how many came from `source` (address) for this refusal between `from` and `to`.
   */
  refused?: { source: string; count: number; from: string; to: string };
  durationMs: number;
  /** The export (`POST /exports`) this request was a page of: its id, file format and page number. */
  export?: { id: string; format: string; page: number };
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

import type { ClassType } from 'type-graphql';
import type { AnswerNotes } from './operation/answer-notes';
import type { EntityReads, ReadCaller } from './rows/read-caller';
import type { BookkeepingSql, RowReads } from './rows/read-gateway';
import type { FieldSelection, ReadScope } from './rows/read-scope';

/**
 * The verified caller of a request. Access control attaches it here when it authenticates the
 * request; resolvers never read headers themselves.
 */
export interface Viewer {
  agency: string;
  subject: string;
  roles: string[];
  /** Administrative divisions the caller works in (token claim `divisions`), for row scopes. */
  divisions: string[];
  /** The `jti` of the access token the request presented, for the audit (tokens are reused until they expire). */
  tokenId?: string;
  /** When that token expires (its `exp`): a long-lived connection (a subscription) ends then. */
  expiresAt?: Date;
  /** When that token was issued (its `iat`): an agency's revocation refuses the tokens issued until then. */
  issuedAt?: Date;
}

/**
 * What a domain's resolvers may use, created fresh for each request. `L` names the loaders a
 * domain reads (its own and other domains'); the composed context (`src/graphql/context.ts`)
 * extends every domain's, so the compiler checks that it provides them all.
 */
export interface RequestContext<L extends object = object> {
  /** The request's reads of the domain tables, through the read gateway; repositories take `{ reads, sql }` from here. */
  reads: RowReads;
  /** The request's reads of the tables the gateway does not own (the audit trail, sync state). */
  sql: BookkeepingSql;
  /** What the operation selects, once it is resolved (reads project to it). */
  operation: { readonly selection: FieldSelection | null };
  loaders: L;
  /** The authenticated caller; null only where access control is off (benchmarks). */
  viewer: Viewer | null;
  /** The caller's row scopes, applied by the read gateway (see `ReadCaller.access`), and what a hub-native type read of another's records. */
  access: (NonNullable<ReadCaller['access']> & ReadCredit & FieldGrants & CaseCheck & AggregateGrants) | null | undefined;
  /** The schema's relations: the keys reads load for them, and the prefetch of lookups by key. */
  relations: RequestRelations;
  /** What the response's `extensions` will say of how the answer was computed (an aggregate's source). */
  answer: AnswerNotes;
}

/**
 * Reads of an agency's records made through a hub-native type that only names them (a clue's
 * evidence names weighings, captures, cases, certificates): the audit counts them as reads of the
 * type's provider, for its data-access report. Absent where nothing is audited.
 */
export interface ReadCredit {
  creditRead?(typeName: string, records: number): void;
  /** Records of the type an aggregate counted, published or withheld: counted reads of its provider, as a `totalCount`'s are. */
  creditCount?(typeName: string, records: number): void;
}

/**
 * Whether the caller's agreement grants a field (`Type.field`) in full, unmasked: for a hub-native
 * type that summarises other records (a risk grade's deductions), which shows a summary only to a
 * caller granted the facts it summarises. Absent where access control is off.
 */
export interface FieldGrants {
  grants?(typeName: string, fieldName: string): boolean;
  /** Whether the agreement shows the field at all, in full or masked: what a rule guarding its values asks. */
  shows?(typeName: string, fieldName: string): boolean;
}

/** The agreement's aggregate grants, for the `…Stats` queries. Absent where access control is off. */
export interface AggregateGrants {
  /** The smallest unit an aggregate of the type publishes (the agreement's k), or null when it grants none. */
  aggregateK?(typeName: string): number | null;
}

/**
 * The case rule of checkpoint captures, for what shows a capture's time and place outside a read
 * of `CheckpointCapture` (a watch's hits): the plates an open case names, the case read under the
 * caller's agreement exactly as a capture read binds it (access/case-binding.ts), or a typed
 * refusal (CASE_NOT_VALID) when the caller does not hold it. Absent where access control is off.
 */
export interface CaseCheck {
  platesOfCase?(caseNumber: string, scope: ReadScope): Promise<ReadonlyArray<readonly [string, string]>>;
}

/** The schema's relations as a request uses them (`relations/relations.ts` builds them from the domains' declarations). */
export interface RequestRelations extends EntityReads {
  prefetch<T extends object>(ctx: RequestContext, type: ClassType<T>, key: Partial<T>): void;
}

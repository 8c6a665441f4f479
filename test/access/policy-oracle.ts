import fs from 'node:fs';
import path from 'node:path';
import { isObjectType, parse, print, type GraphQLField, type GraphQLSchema } from 'graphql';

/**
 * The access tests' own reading of `schema/policy/agreements.json`, written from the file's `$comment`
 * and the brief, NOT from `src/access`: the matrix compares the hub against this, so a mistake in
 * the hub's interpreter cannot hide behind the same mistake in the expectation.
 *
 * - One agreement per agency + role. None: NO_AGREEMENT; outside [validFrom, validUntil]: AGREEMENT_EXPIRED.
 * - Per type, `"*"` grants every PUBLIC and INTERNAL field in full; other fields only when named.
 *   A named field is "full", "masked", "masked:<KIND>" or "none"; absent means denied.
 * - `__typename` is always allowed; `Query.myAccess` and everything below it always;
 *   `__schema`, `__type` and `Query._service` (and below) exactly when `introspection` is true.
 * - `allowedOperations` (optional): the consumer may send only those documents (compared in
 *   graphql-js's printed form, so layout and comments do not matter); anything else is
 *   OPERATION_NOT_ALLOWED. Its own description (`myAccess`) stays open.
 * - Row scopes: every condition of the type holds (`startsWithAny` literal prefixes or the
 *   token's divisions for `"$viewer.divisions"`; `equals`). A type without a scope is unscoped.
 *   `inJurisdictionOf: "$viewer.divisions"`: one of the file's `jurisdictions` rules for the type
 *   holds (its own field, or with `via`, the field of a world row of that type joined by `on`,
 *   starts with one of the divisions).
 * - Captures read under a case are those of the plates it names (its vehicle, its party
 *   enterprise's fleet) unless the request declared ALL_PLATES: `casePlates` when set.
 */

export const POLICY_FILE = path.join(__dirname, '..', '..', 'schema', 'policy', 'agreements.json');

export type Mode = { kind: 'full' } | { kind: 'masked'; mask: string | null };

interface RawCondition {
  field: string;
  startsWithAny?: string[] | string;
  equals?: string | number | boolean;
  inJurisdictionOf?: string;
  /** Any one holds. */
  anyOf?: RawCondition[];
  /** A joined row of this type (`on`: this type's field, that type's) meets the condition. */
  via?: string;
  on?: Record<string, string>;
}

export interface RawJurisdictionRule {
  field: string;
  via?: string;
  on?: Record<string, string>;
}

export interface RawAgreement {
  id: string;
  consumer: { agency: string; roles: string[] };
  purposes: string[];
  validFrom: string;
  validUntil: string;
  introspection: boolean;
  fields: Record<string, Record<string, string>>;
  rowScopes?: Record<string, RawCondition[]>;
  /** Persisted operations (files next to the policy) the consumer is limited to, if any. */
  allowedOperations?: string[];
  /** Open cases the consumer holds: those meeting every `holds` condition (absent: none). */
  cases?: { holds: Array<{ field: string; equals: string | number | boolean }>; allPlates: boolean };
}

export interface RawPolicy {
  purposes: string[];
  agreements: RawAgreement[];
  jurisdictions?: Record<string, RawJurisdictionRule[] | string>;
  agencies: Record<string, { roles: string[] } | string>;
}

/** Every agency of the file and the roles its tokens may carry (`$comment` aside). */
export function agencyRoles(policy: RawPolicy): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(policy.agencies).flatMap(([agency, entry]) => (typeof entry === 'string' ? [] : [[agency, entry.roles]])));
}

/** World rows of a type (for following `via` relations), or null when the world has none. */
export type RowsOf = (typeName: string) => readonly Record<string, unknown>[] | null;

export function readPolicy(file = POLICY_FILE): RawPolicy {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RawPolicy;
}

/** A document in graphql-js's printed form: layout and comments do not matter. */
export function normalDocument(text: string): string {
  return print(parse(text));
}

/** The classification a field declares next to it (`extensions.classification`), or null. */
export function levelOf(field: GraphQLField<unknown, unknown>): string | null {
  const level = (field.extensions as Record<string, unknown> | undefined)?.classification;
  return typeof level === 'string' ? level : null;
}

/** The classification whose fields need an open case of the caller's agency (checkpoint captures). */
export const CASE_LEVEL = 'POLICE_RESTRICTED';

const WILDCARD_LEVELS: ReadonlySet<string> = new Set(['PUBLIC', 'INTERNAL']);

/** Types that describe the caller (reached only through `myAccess`): open to every caller. */
export const CALLER_TYPES: ReadonlySet<string> = new Set(['MyAccess', 'AgreementSummary', 'TypeAccess', 'FieldAccess']);

export type Standing = 'OK' | 'NO_AGREEMENT' | 'AGREEMENT_EXPIRED';

/** What one caller (agency, one role, divisions claim) may do under the policy at `now`. */
export class CallerPolicy {
  constructor(
    readonly schema: GraphQLSchema,
    readonly agency: string,
    readonly role: string,
    readonly divisions: readonly string[],
    readonly agreement: RawAgreement | null,
    readonly standing: Standing,
    private readonly jurisdictions: RawPolicy['jurisdictions'] = {},
    private readonly rowsOf: RowsOf = () => null,
  ) {}

  /** Plate keys (`plate|colour`) the request's case names; null: captures are not bound to a case. */
  casePlates: ReadonlySet<string> | null = null;

  get purposes(): readonly string[] {
    return this.standing === 'OK' ? this.agreement!.purposes : [];
  }

  /** The documents the caller is limited to (printed normal form), or null: any. */
  get allowedOperations(): ReadonlySet<string> | null {
    if (this.standing !== 'OK' || !this.agreement!.allowedOperations) return null;
    return new Set(this.agreement!.allowedOperations.map((file) => normalDocument(fs.readFileSync(path.resolve(path.dirname(POLICY_FILE), file), 'utf8'))));
  }

  /** Whether the caller may send `document` at all (before any field is looked at). */
  maySend(document: string): boolean {
    const allowed = this.allowedOperations;
    return allowed === null || allowed.has(normalDocument(document));
  }

  get introspection(): boolean {
    return this.standing === 'OK' && this.agreement!.introspection;
  }

  /** The mode `Type.field` is granted in, or null (denied). Meta fields are the caller's own rules. */
  mode(typeName: string, fieldName: string): Mode | null {
    if (fieldName === '__typename') return { kind: 'full' };
    if (CALLER_TYPES.has(typeName) || typeName === '_Service') return { kind: 'full' };
    if (typeName === 'Query' && fieldName === 'myAccess') return { kind: 'full' };
    if (fieldName === '__schema' || fieldName === '__type' || (typeName === 'Query' && fieldName === '_service')) {
      return this.introspection ? { kind: 'full' } : null;
    }
    if (this.standing !== 'OK') return null;
    return this.granted(typeName, fieldName);
  }

  /** What the agreement itself says of `Type.field` (no meta rules; refused callers included). */
  granted(typeName: string, fieldName: string): Mode | null {
    if (!this.agreement) return null;
    const grants = this.agreement.fields[typeName];
    if (!grants) return null;
    const type = this.schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`policy oracle: no field ${typeName}.${fieldName}`);
    const named = grants[fieldName];
    if (named === undefined) return grants['*'] === 'full' && WILDCARD_LEVELS.has(levelOf(field) ?? '') ? { kind: 'full' } : null;
    if (named === 'full') return { kind: 'full' };
    if (named === 'none') return null;
    if (named === 'masked') return { kind: 'masked', mask: null };
    if (named.startsWith('masked:')) return { kind: 'masked', mask: named.slice('masked:'.length) };
    throw new Error(`policy oracle: unknown mode ${named} for ${typeName}.${fieldName}`);
  }

  /** Whether a row (a world record, whose property names are the GraphQL field names) is visible. */
  sees(typeName: string, row: Record<string, unknown>): boolean {
    if (this.standing !== 'OK') return false;
    if (typeName === 'CheckpointCapture' && this.casePlates && !this.casePlates.has(`${String(row.plateNumber)}|${String(row.plateColor)}`)) return false;
    const conditions = this.agreement!.rowScopes?.[typeName];
    if (!conditions) return true;
    const startsWith = (value: unknown, prefixes: readonly string[]) => typeof value === 'string' && prefixes.some((p) => value.startsWith(p));
    const holds = (c: RawCondition): boolean => {
      if (c.anyOf) return c.anyOf.some(holds);
      if (c.via) {
        const on = Object.entries(c.on ?? {});
        const prefixes = Array.isArray(c.startsWithAny) ? c.startsWithAny : [];
        return (this.rowsOf(c.via) ?? []).some(
          (other) => on.every(([mine, theirs]) => row[mine] !== null && row[mine] === other[theirs]) && startsWith(other[c.field], prefixes),
        );
      }
      if (c.inJurisdictionOf !== undefined) {
        const rules = this.jurisdictions?.[typeName];
        if (!Array.isArray(rules)) throw new Error(`policy oracle: no jurisdiction for ${typeName}`);
        const divisions = c.inJurisdictionOf === '$viewer.divisions' ? this.divisions : [];
        return rules.some((rule) => {
          if (!rule.via) return startsWith(row[rule.field], divisions);
          const on = Object.entries(rule.on ?? {});
          return (this.rowsOf(rule.via) ?? []).some(
            (other) => on.every(([mine, theirs]) => row[mine] !== null && row[mine] === other[theirs]) && startsWith(other[rule.field], divisions),
          );
        });
      }
      const value = row[c.field];
      if ('equals' in c) return value === c.equals;
      const prefixes = c.startsWithAny === '$viewer.divisions' ? this.divisions : Array.isArray(c.startsWithAny) ? c.startsWithAny : [];
      return startsWith(value, prefixes);
    };
    return conditions.every(holds);
  }

  /** Whether the caller's agreement lets it hold `c` (open, visible to it, meeting `cases.holds`). */
  holds(c: Record<string, unknown>): boolean {
    const rules = this.standing === 'OK' ? this.agreement!.cases : undefined;
    return !!rules && c.status !== 'CLOSED' && this.sees('EnforcementCase', c) && rules.holds.every((h) => c[h.field] === h.equals);
  }
}

/** The policy file, read independently of the hub, answering per caller. */
export class PolicyOracle {
  constructor(
    readonly schema: GraphQLSchema,
    readonly policy: RawPolicy = readPolicy(),
    readonly now: Date = new Date(),
    readonly rowsOf: RowsOf = () => null,
  ) {}

  caller(agency: string, role: string, divisions: readonly string[] = []): CallerPolicy {
    const matching = this.policy.agreements.filter((a) => a.consumer.agency === agency && a.consumer.roles.includes(role));
    if (matching.length > 1) throw new Error(`policy oracle: ${agency} ${role} has ${matching.length} agreements`);
    const agreement = matching[0] ?? null;
    let standing: Standing = 'OK';
    if (!agreement) standing = 'NO_AGREEMENT';
    else if (this.now < new Date(agreement.validFrom) || this.now > new Date(agreement.validUntil)) standing = 'AGREEMENT_EXPIRED';
    return new CallerPolicy(this.schema, agency, role, divisions, agreement, standing, this.policy.jurisdictions, this.rowsOf);
  }
}

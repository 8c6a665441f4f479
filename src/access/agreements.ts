import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, isLeafType, isObjectType, parse, print, validate, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { Classification, classificationOf, declaredMaskOf } from '../read-kit/fields/classification';
import { isMaskKind, MaskKind } from '../read-kit/fields/masks';
import type { RateLimit } from '../admission/token-bucket';
import { AgencyRegistry, type Agency } from '../auth/agencies';
import { RecordSystem } from '../../connectors/contract/canonical/codes';
import { DEFAULT_AGGREGATE_K } from '../read-kit/aggregate/aggregate-k';

/**
 * Data-sharing agreements as reviewable data (`schema/policy/agreements.json`): who may read which
 * fields of which types, masked or in full, for which purposes, over which rows, until when;
 * which cases a consumer holds, whose data-access reports it reads, and the agencies themselves.
 */

/** A field's grant: the value in full, or masked with one of the documented masks. */
export type FieldMode = { kind: 'full' } | { kind: 'masked'; mask: MaskKind };

/**
 * One condition a row must meet. `startsWithAny` takes literal prefixes or `$viewer.<claim>`,
 * a list claim of the caller's token (e.g. the divisions a district officer works in).
 * `inJurisdictionOf` holds when the row is supervised in one of those divisions, as the file's
 * `jurisdictions` define it for the row's type.
 */
export type RowCondition =
  | { field: string; startsWithAny: string[] | `$viewer.${string}` }
  | { field: string; equals: string | number | boolean }
  /**
   * The row's `field` (a division) overlaps one of the values or the list claim: lies within one
   * or contains one. A city's random-inspection task concerns the district officers of every
   * division it covers, a district's task those of that district, another district's nobody there.
   */
  | { field: string; overlapsAny: string[] | `$viewer.${string}` }
  | { inJurisdictionOf: `$viewer.${string}` }
  /** Any one of the conditions holds (e.g. a case transferred by the transport system, or through the hub). */
  | { anyOf: RowCondition[] }
  /** A live row of `via.type` joined on `via.on` (this type's field, that type's) has `field` starting with a literal prefix. */
  | { via: { type: string; on: Array<readonly [string, string]> }; field: string; startsWithAny: string[] };

/**
 * One way a row of a type is supervised in a division: its own `field` holds the division, or,
 * with `via`, the field of a row of another type it is joined to (`on`: this type's field to that
 * type's field), e.g. a vehicle through its owner enterprise's registration.
 */
export interface JurisdictionRule {
  field: string;
  via: { type: string; on: Array<readonly [string, string]> } | null;
}

/** Per supervised type, the ways its rows fall under a division: any one of them suffices. */
export type Jurisdictions = ReadonlyMap<string, readonly JurisdictionRule[]>;

/** Which enforcement cases an agreement's consumer may hold, and how far a case reaches. */
export interface CaseRules {
  /** Conditions an open case the caller may see must also meet to be held (none: every such case). */
  holds: Array<Extract<RowCondition, { equals: unknown }>>;
  /** Whether a request may declare `caseScope: "ALL_PLATES"` (captures of any plate under the case). */
  allPlates: boolean;
}

export interface Agreement {
  id: string;
  title: string;
  consumer: { agency: string; roles: string[] };
  legalBasis: string;
  purposes: string[];
  validFrom: Date;
  validUntil: Date;
  introspection: boolean;
  /** Per type, per field: the mode; a field absent here is denied. */
  fields: Map<string, Map<string, FieldMode>>;
  /** Per type: conditions every visible row meets (all of them). */
  rowScopes: Map<string, RowCondition[]>;
  /** Null: the consumer holds no case, so it never reads police-restricted data. */
  cases: CaseRules | null;
  /**
   * Persisted operations, when the agreement limits the consumer to them: each document printed
   * in graphql-js's normal form, so whitespace and comments do not matter. Null: any operation.
   */
  allowedOperations: Set<string> | null;
  /** Requests per second the consumer may send under this agreement (a token bucket), or null: no rate limit. */
  rateLimit: RateLimit | null;
  /** Whose data-access reports the consumer reads: its own agency's, or every agency's (the auditors'). */
  dataAccessReports: DataAccessReports;
  /** What the consumer may do to the sync queues on the queue dashboard; empty: it only looks (see queue-board-grant.ts). */
  queueActions: ReadonlySet<QueueAction>;
  /** What a watch (布控) the consumer sets must carry; only where the agreement grants `Mutation.addWatch`. */
  watches: WatchRule;
  /** Per type: the aggregates the consumer may compute of it, whether or not it may read its rows. */
  aggregates: ReadonlyMap<string, AggregateGrant>;
}

/**
 * `"aggregates": { "CheckpointCapture": { "fields": ["capturedAt", "checkpointCode"], "k": 10 } }`:
 * the consumer may group, filter and measure the type's records by these fields in aggregates
 * (`…Stats` queries), never seeing a row; every value it gets is a sum over units of at least `k`
 * records (default 5), so no cell singles out a person or vehicle.
 */
export interface AggregateGrant {
  fields: ReadonlySet<string>;
  k: number;
}

/** `"watches": { "caseNumberRequired": true }`: every watch the consumer sets names the case it serves. */
export interface WatchRule {
  caseNumberRequired: boolean;
}

export const DATA_ACCESS_REPORTS = ['own-agency', 'every-agency'] as const;
export type DataAccessReports = (typeof DATA_ACCESS_REPORTS)[number];

/**
 * What the queue dashboard may be granted beyond looking: retry failed (or completed) jobs,
 * promote delayed ones, clean jobs of a status out (or empty the waiting list), pause and resume
 * queues. Nothing else the dashboard offers (adding or editing jobs, schedulers, limits,
 * obliterating a queue) can be granted: runs are queued through `triggerSync`, and schedules
 * are declared in one place (`registerSchedules`).
 */
export const QUEUE_ACTIONS = ['retry', 'promote', 'clean', 'pause', 'resume'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

/**
 * The root field whose grant opens the queue dashboard: whoever may queue sync runs may watch
 * the queues, under the same agreement.
 */
export const QUEUE_BOARD_GATE = { type: 'Mutation', field: 'triggerSync' } as const;

/** An agreements file that cannot be used; the hub does not start with it. */
export class AgreementsError extends Error {
  constructor(message: string) {
    super(`Invalid agreements: ${message}`);
    this.name = 'AgreementsError';
  }
}

/**
 * The mask "masked" means when the field declares none: the classification's default. Every
 * level redacts fully; fields whose shape allows a partial mask (names, IDs, phones) declare it.
 */
const DEFAULT_MASK: Record<Classification, MaskKind> = {
  [Classification.PUBLIC]: MaskKind.REDACT,
  [Classification.INTERNAL]: MaskKind.REDACT,
  [Classification.PERSONAL]: MaskKind.REDACT,
  [Classification.SENSITIVE_PERSONAL]: MaskKind.REDACT,
  [Classification.POLICE_RESTRICTED]: MaskKind.REDACT,
};

/** Classifications a type's `"*"` grants: personal and police data must always be named. */
const WILDCARD_LEVELS = new Set<Classification | null>([Classification.PUBLIC, Classification.INTERNAL]);

type Raw = Record<string, unknown>;

function asObject(value: unknown, where: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AgreementsError(`${where} must be an object`);
  return value as Raw;
}

function asStrings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new AgreementsError(`${where} must be a list of non-empty strings`);
  }
  return value as string[];
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new AgreementsError(`${where} must be a non-empty string`);
  return value;
}

function asInstant(value: unknown, where: string): Date {
  const text = asString(value, where);
  const date = new Date(text);
  if (!/[Zz]|[+-]\d\d:\d\d$/.test(text) || Number.isNaN(date.getTime())) {
    throw new AgreementsError(`${where} must be an ISO instant with a zone, got "${text}"`);
  }
  return date;
}

function parseMode(value: unknown, where: string, field: GraphQLField<unknown, unknown>): FieldMode | null {
  if (value === 'full') return { kind: 'full' };
  if (value === 'none') return null;
  if (value === 'masked') {
    if (!isLeafType(getNamedType(field.type))) throw new AgreementsError(`${where}: only scalar fields can be masked`);
    return { kind: 'masked', mask: declaredMaskOf(field) ?? DEFAULT_MASK[classificationOf(field) ?? Classification.INTERNAL] };
  }
  if (typeof value === 'string' && value.startsWith('masked:')) {
    const mask = value.slice('masked:'.length);
    if (!isLeafType(getNamedType(field.type))) throw new AgreementsError(`${where}: only scalar fields can be masked`);
    if (!isMaskKind(mask)) throw new AgreementsError(`${where}: unknown mask "${mask}"; masks are ${Object.values(MaskKind).join(', ')}`);
    return { kind: 'masked', mask };
  }
  throw new AgreementsError(`${where} must be "full", "masked", "masked:<MASK>" or "none", got ${JSON.stringify(value)}`);
}

function parseFields(raw: Raw, where: string, schema: GraphQLSchema): Agreement['fields'] {
  const result: Agreement['fields'] = new Map();
  for (const [typeName, grants] of Object.entries(raw)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new AgreementsError(`${where}.${typeName}: no such object type in the schema`);
    const schemaFields = type.getFields();
    const modes = new Map<string, FieldMode>();
    const entries = asObject(grants, `${where}.${typeName}`);
    if ('*' in entries) {
      // Root fields are operations: each is granted by name, so a new one reaches nobody unasked.
      if ([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].some((root) => root?.name === typeName)) {
        throw new AgreementsError(`${where}.${typeName}: "*" is not allowed on root types; name each field`);
      }
      if (entries['*'] !== 'full') throw new AgreementsError(`${where}.${typeName}."*" may only be "full"`);
      for (const field of Object.values(schemaFields)) {
        if (WILDCARD_LEVELS.has(classificationOf(field))) modes.set(field.name, { kind: 'full' });
      }
    }
    for (const [fieldName, value] of Object.entries(entries)) {
      if (fieldName === '*') continue;
      const field = schemaFields[fieldName];
      if (!field) throw new AgreementsError(`${where}.${typeName}.${fieldName}: no such field`);
      const mode = parseMode(value, `${where}.${typeName}.${fieldName}`, field);
      if (mode) modes.set(fieldName, mode);
      else modes.delete(fieldName);
    }
    result.set(typeName, modes);
  }
  return result;
}

function parseRowScopes(raw: Raw, where: string, schema: GraphQLSchema, jurisdictions: Jurisdictions): Agreement['rowScopes'] {
  const result: Agreement['rowScopes'] = new Map();
  for (const [typeName, conditions] of Object.entries(raw)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new AgreementsError(`${where}.${typeName}: no such object type in the schema`);
    if (!Array.isArray(conditions) || conditions.length === 0) throw new AgreementsError(`${where}.${typeName} must be a non-empty list`);
    result.set(
      typeName,
      conditions.map((c, i) => parseRowCondition(c, `${where}.${typeName}[${i}]`, typeName, schema, jurisdictions)),
    );
  }
  return result;
}

function parseRowCondition(c: unknown, at: string, typeName: string, schema: GraphQLSchema, jurisdictions: Jurisdictions): RowCondition {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new AgreementsError(`${at}: no such object type ${typeName}`);
  const condition = asObject(c, at);
  if ('anyOf' in condition) {
    if (!Array.isArray(condition.anyOf) || condition.anyOf.length === 0) throw new AgreementsError(`${at}.anyOf must be a non-empty list`);
    return { anyOf: condition.anyOf.map((a, j) => parseRowCondition(a, `${at}.anyOf[${j}]`, typeName, schema, jurisdictions)) };
  }
  if ('via' in condition) {
    const via = asString(condition.via, `${at}.via`);
    const field = asString(condition.field, `${at}.field`);
    fieldOf(schema, via, field, at);
    const on = Object.entries(asObject(condition.on, `${at}.on`)).map(([own, other]) => {
      fieldOf(schema, typeName, own, `${at}.on`);
      fieldOf(schema, via, asString(other, `${at}.on.${own}`), `${at}.on`);
      return [own, other as string] as const;
    });
    if (on.length === 0) throw new AgreementsError(`${at}.on must join at least one field`);
    return { via: { type: via, on }, field, startsWithAny: asStrings(condition.startsWithAny, `${at}.startsWithAny`) };
  }
  if ('inJurisdictionOf' in condition) {
    const claim = condition.inJurisdictionOf;
    if (typeof claim !== 'string' || !/^\$viewer\.[a-zA-Z]+$/.test(claim)) throw new AgreementsError(`${at}.inJurisdictionOf must be $viewer.<claim>`);
    if (!jurisdictions.has(typeName)) throw new AgreementsError(`${at}: the file defines no jurisdiction for ${typeName}`);
    return { inJurisdictionOf: claim as `$viewer.${string}` };
  }
  const field = asString(condition.field, `${at}.field`);
  if (!type.getFields()[field]) throw new AgreementsError(`${at}.field: no field "${field}"`);
  if ('equals' in condition) {
    const value = condition.equals;
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new AgreementsError(`${at}.equals must be a string, number or boolean`);
    return { field, equals: value as string | number | boolean };
  }
  const kind = 'overlapsAny' in condition ? 'overlapsAny' : 'startsWithAny';
  const values = condition[kind];
  let parsed: string[] | `$viewer.${string}`;
  if (typeof values === 'string') {
    if (!/^\$viewer\.[a-zA-Z]+$/.test(values)) throw new AgreementsError(`${at}.${kind}: "${values}" is not $viewer.<claim>`);
    parsed = values as `$viewer.${string}`;
  } else parsed = asStrings(values, `${at}.${kind}`);
  return kind === 'overlapsAny' ? { field, overlapsAny: parsed } : { field, startsWithAny: parsed };
}

function fieldOf(schema: GraphQLSchema, typeName: string, field: string, where: string): void {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new AgreementsError(`${where}: no such object type ${typeName}`);
  if (!type.getFields()[field]) throw new AgreementsError(`${where}: no field ${typeName}.${field}`);
}

function parseJurisdictions(raw: unknown, schema: GraphQLSchema): Jurisdictions {
  const result = new Map<string, JurisdictionRule[]>();
  if (raw === undefined) return result;
  for (const [typeName, rules] of Object.entries(asObject(raw, 'jurisdictions'))) {
    if (typeName === '$comment') continue;
    const where = `jurisdictions.${typeName}`;
    if (!Array.isArray(rules) || rules.length === 0) throw new AgreementsError(`${where} must be a non-empty list`);
    result.set(
      typeName,
      rules.map((r, i) => {
        const rule = asObject(r, `${where}[${i}]`);
        const field = asString(rule.field, `${where}[${i}].field`);
        if (rule.via === undefined) {
          fieldOf(schema, typeName, field, `${where}[${i}]`);
          return { field, via: null };
        }
        const via = asString(rule.via, `${where}[${i}].via`);
        fieldOf(schema, via, field, `${where}[${i}]`);
        const on = Object.entries(asObject(rule.on, `${where}[${i}].on`)).map(([own, other]) => {
          fieldOf(schema, typeName, own, `${where}[${i}].on`);
          fieldOf(schema, via, asString(other, `${where}[${i}].on.${own}`), `${where}[${i}].on`);
          return [own, other as string] as const;
        });
        if (on.length === 0) throw new AgreementsError(`${where}[${i}].on must join at least one field`);
        return { field, via: { type: via, on } };
      }),
    );
  }
  return result;
}

function parseCaseRules(raw: unknown, where: string, schema: GraphQLSchema): CaseRules | null {
  if (raw === undefined) return null;
  const rules = asObject(raw, where);
  if (!Array.isArray(rules.holds)) throw new AgreementsError(`${where}.holds must be a list (empty: every open case the caller may see)`);
  const holds = rules.holds.map((c, i) => {
    const condition = asObject(c, `${where}.holds[${i}]`);
    const field = asString(condition.field, `${where}.holds[${i}].field`);
    fieldOf(schema, 'EnforcementCase', field, `${where}.holds[${i}]`);
    if (!['string', 'number', 'boolean'].includes(typeof condition.equals))
      throw new AgreementsError(`${where}.holds[${i}].equals must be a string, number or boolean`);
    return { field, equals: condition.equals as string | number | boolean };
  });
  if (typeof rules.allPlates !== 'boolean') throw new AgreementsError(`${where}.allPlates must be true or false`);
  return { holds, allPlates: rules.allPlates };
}

function parseAllowedOperations(raw: unknown, where: string, schema: GraphQLSchema, baseDir: string): Set<string> | null {
  if (raw === undefined) return null;
  const files = asStrings(raw, where);
  return new Set(
    files.map((file) => {
      let document: DocumentNode;
      try {
        document = parse(fs.readFileSync(path.resolve(baseDir, file), 'utf8'));
      } catch (error) {
        throw new AgreementsError(`${where}: ${file}: ${(error as Error).message}`);
      }
      // An allowed operation the schema no longer accepts is a broken agreement, found at start.
      const errors = validate(schema, document);
      if (errors.length) throw new AgreementsError(`${where}: ${file} is not valid against the schema: ${errors[0].message}`);
      return print(document);
    }),
  );
}

/** `"rateLimit": { "requestsPerSecond": 20, "burst": 40 }`: optional; both positive, the burst at least one request. */
function parseRateLimit(raw: unknown, where: string): RateLimit | null {
  if (raw === undefined) return null;
  const limit = asObject(raw, where);
  const extra = Object.keys(limit).filter((k) => k !== 'requestsPerSecond' && k !== 'burst');
  if (extra.length) throw new AgreementsError(`${where}: unknown ${extra.join(', ')} (allowed: requestsPerSecond, burst)`);
  const { requestsPerSecond, burst } = limit;
  if (typeof requestsPerSecond !== 'number' || !Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    throw new AgreementsError(`${where}.requestsPerSecond must be a number above 0`);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) throw new AgreementsError(`${where}.burst must be a whole number from 1`);
  return { requestsPerSecond, burst };
}

function parseDataAccessReports(raw: unknown, where: string): DataAccessReports {
  if (raw === undefined) return 'own-agency';
  if (!DATA_ACCESS_REPORTS.includes(raw as DataAccessReports)) {
    throw new AgreementsError(`${where} must be ${DATA_ACCESS_REPORTS.map((v) => `"${v}"`).join(' or ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as DataAccessReports;
}

/** `"queueActions": ["retry", "promote"]`: optional, none by default; only where the agreement opens the dashboard. */
function parseQueueActions(raw: unknown, where: string, fields: Agreement['fields']): ReadonlySet<QueueAction> {
  if (raw === undefined) return new Set();
  const actions = Array.isArray(raw) && raw.length === 0 ? [] : asStrings(raw, where);
  const unknown = actions.filter((action) => !(QUEUE_ACTIONS as readonly string[]).includes(action));
  if (unknown.length) throw new AgreementsError(`${where}: unknown ${unknown.join(', ')} (actions: ${QUEUE_ACTIONS.join(', ')})`);
  if (actions.length && !fields.get(QUEUE_BOARD_GATE.type)?.has(QUEUE_BOARD_GATE.field)) {
    throw new AgreementsError(
      `${where}: the queue dashboard comes with ${QUEUE_BOARD_GATE.type}.${QUEUE_BOARD_GATE.field}, which this agreement does not grant`,
    );
  }
  return new Set(actions as QueueAction[]);
}

/** `"watches": { "caseNumberRequired": true }`: optional (no case required); only where the agreement grants `Mutation.addWatch`. */
function parseWatchRule(raw: unknown, where: string, fields: Agreement['fields']): WatchRule {
  if (raw === undefined) return { caseNumberRequired: false };
  const rule = asObject(raw, where);
  const unknown = Object.keys(rule).filter((key) => key !== 'caseNumberRequired');
  if (unknown.length) throw new AgreementsError(`${where}: unknown ${unknown.join(', ')} (known: caseNumberRequired)`);
  if (typeof rule.caseNumberRequired !== 'boolean') throw new AgreementsError(`${where}.caseNumberRequired must be true or false`);
  if (!fields.get('Mutation')?.has('addWatch')) throw new AgreementsError(`${where}: watches come with Mutation.addWatch, which this agreement does not grant`);
  return { caseNumberRequired: rule.caseNumberRequired };
}

/** `"aggregates"`: optional; per object type, the fields aggregates may read (each a field of the type) and k (a whole number from 2). */
function parseAggregates(raw: unknown, where: string, schema: GraphQLSchema): ReadonlyMap<string, AggregateGrant> {
  const result = new Map<string, AggregateGrant>();
  if (raw === undefined) return result;
  for (const [typeName, value] of Object.entries(asObject(raw, where))) {
    if (typeName === '$comment') continue;
    const grant = asObject(value, `${where}.${typeName}`);
    const unknown = Object.keys(grant).filter((key) => key !== 'fields' && key !== 'k');
    if (unknown.length) throw new AgreementsError(`${where}.${typeName}: unknown ${unknown.join(', ')} (known: fields, k)`);
    const fields = asStrings(grant.fields, `${where}.${typeName}.fields`);
    for (const field of fields) fieldOf(schema, typeName, field, `${where}.${typeName}.fields`);
    const k = grant.k === undefined ? DEFAULT_AGGREGATE_K : grant.k;
    // k = 1 would publish single records: suppression cannot be switched off by an agreement.
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) throw new AgreementsError(`${where}.${typeName}.k must be a whole number from 2`);
    result.set(typeName, { fields: new Set(fields), k });
  }
  return result;
}

const AGENCY_KEYS = new Set(['roles', 'systems', 'provides']);

/**
 * The `agencies` section: per agency its roles, and optionally the systems it runs and the types
 * it provides. Every system has exactly one agency (provenance names one for every record); a
 * type has at most one. With a schema, every type provided must be one of its object types.
 */
function parseAgencies(raw: unknown, schema: GraphQLSchema | null): AgencyRegistry {
  const section = asObject(raw, 'agencies');
  const systems = new Map<string, string>();
  const types = new Map<string, string>();
  const agencies = Object.entries(section)
    .filter(([id]) => id !== '$comment')
    .map(([id, value]): Agency => {
      const where = `agencies.${id}`;
      if (!id.trim()) throw new AgreementsError('agencies: an agency id must be a non-empty string');
      const entry = asObject(value, where);
      const extra = Object.keys(entry).filter((key) => !AGENCY_KEYS.has(key) && key !== '$comment');
      if (extra.length) throw new AgreementsError(`${where}: unknown ${extra.join(', ')} (allowed: ${[...AGENCY_KEYS].join(', ')})`);
      const roles = asStrings(entry.roles, `${where}.roles`);
      if (roles.length === 0) throw new AgreementsError(`${where}.roles must name at least one role`);
      const twice = roles.filter((role, i) => roles.indexOf(role) !== i);
      if (twice.length) throw new AgreementsError(`${where}.roles: ${twice.join(', ')} named twice`);
      const owned = entry.systems === undefined ? [] : asStrings(entry.systems, `${where}.systems`);
      for (const system of owned) {
        if (!(Object.values(RecordSystem) as string[]).includes(system)) {
          throw new AgreementsError(`${where}.systems: unknown system "${system}"; systems are ${Object.values(RecordSystem).join(', ')}`);
        }
        const other = systems.get(system);
        if (other) throw new AgreementsError(`${where}.systems: ${system} is run by ${other} already`);
        systems.set(system, id);
      }
      const provides = entry.provides === undefined ? [] : asStrings(entry.provides, `${where}.provides`);
      for (const type of provides) {
        if (schema && !isObjectType(schema.getType(type))) throw new AgreementsError(`${where}.provides: no such object type ${type}`);
        const other = types.get(type);
        if (other) throw new AgreementsError(`${where}.provides: ${type} is provided by ${other} already`);
        types.set(type, id);
      }
      return { id, roles, systems: owned as RecordSystem[], provides };
    });
  if (agencies.length === 0) throw new AgreementsError('agencies must declare at least one agency');
  const unowned = Object.values(RecordSystem).filter((system) => !systems.has(system));
  if (unowned.length) throw new AgreementsError(`agencies: no agency runs ${unowned.join(', ')} (every record's provenance names its agency)`);
  return new AgencyRegistry(agencies);
}

/** The agreements, the jurisdictions their row scopes refer to, and the agencies they cover. */
export interface AgreementsFile {
  agreements: Agreement[];
  jurisdictions: Jurisdictions;
  agencies: AgencyRegistry;
}

/** Parses and checks agreements against the schema: every type and field named must exist. */
export function parseAgreements(json: unknown, schema: GraphQLSchema, knownPurposes?: readonly string[], baseDir = '.'): Agreement[] {
  return parseAgreementsFile(json, schema, knownPurposes, baseDir).agreements;
}

/** Parses the whole file: agreements and the jurisdictions of the supervised types. */
export function parseAgreementsFile(json: unknown, schema: GraphQLSchema, knownPurposes?: readonly string[], baseDir = '.'): AgreementsFile {
  const root = asObject(json, 'the file');
  const purposes = asStrings(root.purposes, 'purposes');
  const agencies = parseAgencies(root.agencies, schema);
  const jurisdictions = parseJurisdictions(root.jurisdictions, schema);
  if (!Array.isArray(root.agreements)) throw new AgreementsError('agreements must be a list');
  const seen = new Set<string>();
  const consumers = new Map<string, string>();
  const agreements = root.agreements.map((entry, index): Agreement => {
    const raw = asObject(entry, `agreements[${index}]`);
    const id = asString(raw.id, `agreements[${index}].id`);
    const where = `agreement ${id}`;
    if (seen.has(id)) throw new AgreementsError(`${where} is declared twice`);
    seen.add(id);
    const consumer = asObject(raw.consumer, `${where}.consumer`);
    const agency = asString(consumer.agency, `${where}.consumer.agency`);
    const roles = asStrings(consumer.roles, `${where}.consumer.roles`);
    if (!agencies.has(agency)) throw new AgreementsError(`${where}.consumer.agency: "${agency}" is not declared in agencies`);
    const undeclared = roles.filter((role) => !agencies.rolesOf(agency).includes(role));
    if (undeclared.length) {
      const declared = agencies.rolesOf(agency).join(', ');
      throw new AgreementsError(`${where}.consumer.roles: ${agency} has no role ${undeclared.join(', ')} (agencies.${agency}.roles: ${declared})`);
    }
    // One agreement per agency and role: which one governs a request is never ambiguous.
    for (const role of roles) {
      const other = consumers.get(`${agency}/${role}`);
      if (other) throw new AgreementsError(`${where} and ${other} both cover ${agency} ${role}`);
      consumers.set(`${agency}/${role}`, id);
    }
    const agreementPurposes = asStrings(raw.purposes, `${where}.purposes`);
    const unknown = agreementPurposes.filter((p) => !(knownPurposes ?? purposes).includes(p));
    if (unknown.length) throw new AgreementsError(`${where}.purposes: unknown ${unknown.join(', ')}`);
    const validFrom = asInstant(raw.validFrom, `${where}.validFrom`);
    const validUntil = asInstant(raw.validUntil, `${where}.validUntil`);
    if (validUntil <= validFrom) throw new AgreementsError(`${where}: validUntil is not after validFrom`);
    if (typeof raw.introspection !== 'boolean') throw new AgreementsError(`${where}.introspection must be true or false`);
    const fields = parseFields(asObject(raw.fields, `${where}.fields`), `${where}.fields`, schema);
    return {
      id,
      title: asString(raw.title, `${where}.title`),
      consumer: { agency, roles },
      legalBasis: asString(raw.legalBasis, `${where}.legalBasis`),
      purposes: agreementPurposes,
      validFrom,
      validUntil,
      introspection: raw.introspection,
      fields,
      rowScopes: parseRowScopes(raw.rowScopes === undefined ? {} : asObject(raw.rowScopes, `${where}.rowScopes`), `${where}.rowScopes`, schema, jurisdictions),
      cases: parseCaseRules(raw.cases, `${where}.cases`, schema),
      allowedOperations: parseAllowedOperations(raw.allowedOperations, `${where}.allowedOperations`, schema, baseDir),
      rateLimit: parseRateLimit(raw.rateLimit, `${where}.rateLimit`),
      dataAccessReports: parseDataAccessReports(raw.dataAccessReports, `${where}.dataAccessReports`),
      queueActions: parseQueueActions(raw.queueActions, `${where}.queueActions`, fields),
      watches: parseWatchRule(raw.watches, `${where}.watches`, fields),
      aggregates: parseAggregates(raw.aggregates, `${where}.aggregates`, schema),
    };
  });
  return { agreements, jurisdictions, agencies };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgreementsError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Reads the agreements file; any problem stops the hub with the agreement and field named. */
export function loadAgreements(file: string, schema: GraphQLSchema): AgreementsFile {
  return parseAgreementsFile(readJson(file), schema, undefined, path.dirname(file));
}

/**
 * Only the agencies of an agreements file, for what runs without the schema (minting development
 * tokens, loading the trust configuration); the types they provide are checked when the hub loads
 * the whole file.
 */
export function loadAgencies(file: string): AgencyRegistry {
  return parseAgencies(asObject(readJson(file), 'the file').agencies, null);
}

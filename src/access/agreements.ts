import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType, isLeafType, isObjectType, parse, print, validate, type DocumentNode, type GraphQLField, type GraphQLSchema,
} from 'graphql';
import { Classification, classificationOf, declaredMaskOf } from '../graphql/classification';
import { isMaskKind, MaskKind } from './masks';
import type { RateLimit } from '../admission/token-bucket';

/**
 * Data-sharing agreements as reviewable data (`schema/agreements.json`): who may read which
 * fields of which types, masked or in full, for which purposes, over which rows, until when.
 */

/** A field's grant: the value in full, or masked with one of the documented masks. */
export type FieldMode = { kind: 'full' } | { kind: 'masked'; mask: MaskKind };

/**
 * One condition a row must meet. `startsWithAny` takes literal prefixes or `$viewer.<claim>`,
 * a list claim of the caller's token (e.g. the divisions a district officer works in).
 */
export type RowCondition =
  | { field: string; startsWithAny: string[] | `$viewer.${string}` }
  | { field: string; equals: string | number | boolean };

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
  /**
   * Persisted operations, when the agreement limits the consumer to them: each document printed
   * in graphql-js's normal form, so whitespace and comments do not matter. Null: any operation.
   */
  allowedOperations: Set<string> | null;
  /** Requests per second the consumer may send under this agreement (a token bucket), or null: no rate limit. */
  rateLimit: RateLimit | null;
}

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
      if (typeName === schema.getQueryType()?.name || typeName === schema.getMutationType()?.name) {
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

function parseRowScopes(raw: Raw, where: string, schema: GraphQLSchema): Agreement['rowScopes'] {
  const result: Agreement['rowScopes'] = new Map();
  for (const [typeName, conditions] of Object.entries(raw)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new AgreementsError(`${where}.${typeName}: no such object type in the schema`);
    if (!Array.isArray(conditions) || conditions.length === 0) throw new AgreementsError(`${where}.${typeName} must be a non-empty list`);
    result.set(typeName, conditions.map((c, i) => {
      const condition = asObject(c, `${where}.${typeName}[${i}]`);
      const field = asString(condition.field, `${where}.${typeName}[${i}].field`);
      if (!type.getFields()[field]) throw new AgreementsError(`${where}.${typeName}[${i}].field: no field "${field}"`);
      if ('equals' in condition) {
        const value = condition.equals;
        if (!['string', 'number', 'boolean'].includes(typeof value)) throw new AgreementsError(`${where}.${typeName}[${i}].equals must be a string, number or boolean`);
        return { field, equals: value as string | number | boolean };
      }
      const values = condition.startsWithAny;
      if (typeof values === 'string') {
        if (!/^\$viewer\.[a-zA-Z]+$/.test(values)) throw new AgreementsError(`${where}.${typeName}[${i}].startsWithAny: "${values}" is not $viewer.<claim>`);
        return { field, startsWithAny: values as `$viewer.${string}` };
      }
      return { field, startsWithAny: asStrings(values, `${where}.${typeName}[${i}].startsWithAny`) };
    }));
  }
  return result;
}

function parseAllowedOperations(raw: unknown, where: string, schema: GraphQLSchema, baseDir: string): Set<string> | null {
  if (raw === undefined) return null;
  const files = asStrings(raw, where);
  return new Set(files.map((file) => {
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
  }));
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

/** Parses and checks agreements against the schema: every type and field named must exist. */
export function parseAgreements(json: unknown, schema: GraphQLSchema, knownPurposes?: readonly string[], baseDir = '.'): Agreement[] {
  const root = asObject(json, 'the file');
  const purposes = asStrings(root.purposes, 'purposes');
  if (!Array.isArray(root.agreements)) throw new AgreementsError('agreements must be a list');
  const seen = new Set<string>();
  const consumers = new Map<string, string>();
  return root.agreements.map((entry, index) => {
    const raw = asObject(entry, `agreements[${index}]`);
    const id = asString(raw.id, `agreements[${index}].id`);
    const where = `agreement ${id}`;
    if (seen.has(id)) throw new AgreementsError(`${where} is declared twice`);
    seen.add(id);
    const consumer = asObject(raw.consumer, `${where}.consumer`);
    const agency = asString(consumer.agency, `${where}.consumer.agency`);
    const roles = asStrings(consumer.roles, `${where}.consumer.roles`);
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
    return {
      id,
      title: asString(raw.title, `${where}.title`),
      consumer: { agency, roles },
      legalBasis: asString(raw.legalBasis, `${where}.legalBasis`),
      purposes: agreementPurposes,
      validFrom,
      validUntil,
      introspection: raw.introspection,
      fields: parseFields(asObject(raw.fields, `${where}.fields`), `${where}.fields`, schema),
      rowScopes: parseRowScopes(raw.rowScopes === undefined ? {} : asObject(raw.rowScopes, `${where}.rowScopes`), `${where}.rowScopes`, schema),
      allowedOperations: parseAllowedOperations(raw.allowedOperations, `${where}.allowedOperations`, schema, baseDir),
      rateLimit: parseRateLimit(raw.rateLimit, `${where}.rateLimit`),
    };
  });
}

/** Reads the agreements file; any problem stops the hub with the agreement and field named. */
export function loadAgreements(file: string, schema: GraphQLSchema): Agreement[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgreementsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseAgreements(json, schema, undefined, path.dirname(file));
}

import { getNamedType, isEnumType, isListType, isNonNullType, isScalarType, type GraphQLObjectType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import type { Mode } from './policy-oracle';
import { possibleTypeNames, selectionKey, stepKeys, type Plan } from './matrix-plan';
import type { WorldIndex } from './world-index';

/** What the hub answered over HTTP. */
export interface Outcome {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  raw: string;
}

/** Root fields the world's data is read through (their arguments are anchored on world rows). */
export const DATA_ROOTS: ReadonlySet<string> = new Set([
  'enterprise',
  'enterprises',
  'vehicle',
  'vehicles',
  'checkpoint',
  'checkpointCaptures',
  'practitioner',
  'practitioners',
  'enforcementCases',
  'weighings',
]);

/** Decisions checked against returned values, for the coverage report: `agency/role Type.field mode`. */
export type Verified = Set<string>;

/** The expected refusal code of a plan, or null when it must succeed. */
export function expectedCode(plan: Plan): string | null {
  const { caller } = plan;
  if (caller.standing !== 'OK') return plan.expectedDenied.length ? caller.standing : null;
  if (plan.expectedDenied.length) return 'FORBIDDEN';
  // A consumer limited to persisted operations may send nothing else (its own description excepted).
  // The policy does not rank the two refusals; the hub names refused fields first, which says more.
  const ownDescription = plan.steps[0]?.field === 'myAccess';
  return !ownDescription && !caller.maySend(plan.query) ? 'OPERATION_NOT_ALLOWED' : null;
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** Whether `value` is a valid response value of `type` (non-null, lists, scalars, enums). */
function shapeProblem(type: GraphQLOutputType, value: unknown): string | null {
  if (isNonNullType(type)) return value === null || value === undefined ? 'null for a non-null field' : shapeProblem(type.ofType, value);
  if (value === null) return null;
  if (value === undefined) return 'missing';
  if (isListType(type)) {
    if (!Array.isArray(value)) return `not a list: ${short(value)}`;
    for (const item of value) {
      const problem = shapeProblem(type.ofType, item);
      if (problem) return problem;
    }
    return null;
  }
  if (isEnumType(type)) return type.getValues().some((v) => v.name === value) ? null : `not a ${type.name}: ${short(value)}`;
  if (isScalarType(type)) {
    const ok = (() => {
      switch (type.name) {
        case 'String':
        case 'ID':
          return typeof value === 'string';
        case 'Int':
          return Number.isInteger(value);
        case 'Float':
          return typeof value === 'number' && Number.isFinite(value);
        case 'Boolean':
          return typeof value === 'boolean';
        case 'DateTime':
          return typeof value === 'string' && !Number.isNaN(Date.parse(value));
        case 'LocalDate':
          return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
        default:
          return true;
      }
    })();
    return ok ? null : `not a ${type.name}: ${short(value)}`;
  }
  return null;
}

/** Equality of a returned value with the world's, per scalar type. */
function same(typeName: string, returned: unknown, world: unknown): boolean {
  if (returned === null || world === null || returned === undefined || world === undefined) return (returned ?? null) === (world ?? null);
  if (Array.isArray(returned) || Array.isArray(world)) {
    return Array.isArray(returned) && Array.isArray(world) && returned.length === world.length && returned.every((r, i) => same(typeName, r, world[i]));
  }
  if (typeName === 'DateTime') return Date.parse(String(returned)) === Date.parse(String(world));
  if (typeName === 'Float')
    return typeof returned === 'number' && typeof world === 'number' && Math.abs(returned - world) <= 1e-9 * Math.max(1, Math.abs(world));
  return returned === world;
}

/**
 * Whether `value` is `raw` masked with `kind`: the same type, a different value, and the shape the
 * masks promise (REDACT: "***" / 0 / false; the partial masks keep the length in code points and
 * star what they hide; COORDINATE: rounded to two decimals). null stays null.
 */
function maskedProblem(kind: string, raw: unknown, value: unknown): string | null {
  if (raw === null || raw === undefined) return value === null ? null : `raw is null but masked value is ${short(value)}`;
  if (Array.isArray(raw)) {
    if (!Array.isArray(value) || value.length !== raw.length) return `not a masked list: ${short(value)}`;
    for (let i = 0; i < raw.length; i++) {
      const problem = maskedProblem(kind, raw[i], value[i]);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof raw === 'string') {
    if (typeof value !== 'string') return `masked string became ${short(value)}`;
    if (kind === 'REDACT') return value === '***' ? null : `REDACT gave ${short(value)}`;
    if (value === raw) return `returned unmasked (${short(value)})`;
    if (!value.includes('*')) return `no masking stars in ${short(value)}`;
    if (Array.from(value).length !== Array.from(raw).length) return `${kind} changed the length: ${short(value)} for ${short(raw)}`;
    return null;
  }
  if (typeof raw === 'number') {
    if (typeof value !== 'number') return `masked number became ${short(value)}`;
    if (kind === 'COORDINATE')
      return Math.abs(value - raw) <= 0.005 + 1e-9 && Math.round(value * 100) === value * 100 ? null : `COORDINATE gave ${value} for ${raw}`;
    return value === 0 ? null : `REDACT gave ${value}`;
  }
  if (typeof raw === 'boolean') return value === false ? null : `REDACT gave ${short(value)}`;
  return `cannot check a masked ${typeof raw}`;
}

function maskKindOf(target: GraphQLObjectType, field: string, mode: Mode & { kind: 'masked' }): string {
  if (mode.mask) return mode.mask;
  const declared = (target.getFields()[field].extensions as Record<string, unknown> | undefined)?.mask;
  return typeof declared === 'string' ? declared : 'REDACT';
}

/** The objects of the target type in the response, following the plan's path through lists. */
export function targetsIn(plan: Plan, data: Record<string, unknown>): Array<Record<string, unknown>> {
  let at: unknown[] = [data];
  for (const key of stepKeys(plan)) {
    const next: unknown[] = [];
    for (const item of at) {
      const value = (item as Record<string, unknown>)[key];
      if (Array.isArray(value)) next.push(...value.filter((v) => v !== null));
      else if (value !== null && value !== undefined) next.push(value);
    }
    at = next;
  }
  return at as Array<Record<string, unknown>>;
}

/**
 * Everything wrong with the hub's answer to one plan, as readable lines; empty when it obeys the
 * policy. Successful answers are also compared with the world: full fields equal the source
 * value, masked ones differ from it but keep type and shape, and no masked raw value appears
 * anywhere in the body.
 */
export function checkOutcome(schema: GraphQLSchema, world: WorldIndex, plan: Plan, outcome: Outcome, verified?: Verified, empty?: Set<string>): string[] {
  const { caller } = plan;
  const who = `${caller.agency}/${caller.role} ${plan.target} [${plan.style}${plan.grantedOnly ? ', granted fields only' : ''}]`;
  const problems: string[] = [];
  const code = expectedCode(plan);
  const errors = outcome.errors ?? [];
  if (code) {
    const got = errors.map((e) => e.extensions?.code);
    if (outcome.status !== 403) problems.push(`${who}: expected HTTP 403 ${code}, got ${outcome.status} ${short(got)}`);
    if (errors.length !== 1 || got[0] !== code)
      problems.push(`${who}: expected one ${code} error, got ${short(errors.map((e) => ({ code: e.extensions?.code, message: e.message })))}`);
    if (code === 'FORBIDDEN' && errors.length === 1) {
      const denied = errors[0].extensions?.deniedPaths;
      if (JSON.stringify(denied) !== JSON.stringify(plan.expectedDenied)) {
        problems.push(`${who}: deniedPaths ${short(denied)}, policy says ${short(plan.expectedDenied)}`);
      }
    }
    if (outcome.data !== undefined && outcome.data !== null) problems.push(`${who}: refused but data was returned: ${short(outcome.data)}`);
    return problems;
  }
  if (plan.operation === 'mutation') {
    // Granted: the access check passes and the resolver refuses the placeholder stream, so nothing runs.
    // A resolver may also refuse a caller the agreement admits but the hub's own configuration does
    // not (receivePeerMessage from a bureau that is not this hub's peer): FORBIDDEN without the
    // shield's deniedPaths, in a 200.
    const resolverRefusal = (e: (typeof errors)[number]) =>
      e.extensions?.code === 'BAD_USER_INPUT' || (e.extensions?.code === 'FORBIDDEN' && e.extensions?.deniedPaths === undefined && outcome.status === 200);
    if (outcome.status === 403 || errors.length === 0 || !errors.every(resolverRefusal)) {
      problems.push(
        `${who}: policy grants the mutation; expected only the resolver's BAD_USER_INPUT, got ${outcome.status} ${short(errors.map((e) => ({ code: e.extensions?.code, message: e.message })))}`,
      );
    }
    return problems;
  }
  if (outcome.status !== 200 || errors.length || !outcome.data) {
    return [
      `${who}: policy grants it all, hub answered ${outcome.status} ${short(errors.map((e) => ({ code: e.extensions?.code, message: e.message, deniedPaths: e.extensions?.deniedPaths })))}`,
    ];
  }

  const target = schema.getType(plan.target) as GraphQLObjectType;
  const objects = targetsIn(plan, outcome.data);
  if (objects.length === 0) {
    // Paths from the data roots are anchored on world rows the caller may see: they must return some.
    if (plan.steps.length && DATA_ROOTS.has(plan.steps[0].field)) {
      return [`${who}: the path returned no ${plan.target} (anchors should reach real rows): ${short(outcome.data)}`];
    }
    empty?.add(`${caller.agency}/${caller.role} ${plan.target}`);
    return problems;
  }

  const parentType = plan.steps.length ? plan.steps[plan.steps.length - 1].parent : undefined;
  const records = world.recordsOf(plan.target, parentType);
  const leaves = plan.selections.filter((s) => s.leaf);
  for (const object of objects) {
    if (object.__typename !== undefined && object.__typename !== plan.target) problems.push(`${who}: __typename ${short(object.__typename)}`);
    for (const s of plan.selections) {
      const value = object[selectionKey(s)];
      if (s.meta) {
        if (value === null || typeof value !== 'object') problems.push(`${who}: ${s.field} returned ${short(value)}`);
        continue;
      }
      const fieldType = target.getFields()[s.field].type;
      if (s.leaf) {
        const problem = shapeProblem(fieldType, value);
        if (problem) problems.push(`${who}: ${s.field}: ${problem}`);
        continue;
      }
      const problem = shapeProblem(fieldType, value);
      if (problem) problems.push(`${who}: ${s.field}: ${problem}`);
      const allowedNames = possibleTypeNames(schema, getNamedType(fieldType).name);
      const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
      for (const item of items) {
        if (item === null) continue; // a null list item the type allows (checked above)
        const typename = (item as Record<string, unknown> | null)?.__typename;
        if (!allowedNames.includes(String(typename))) problems.push(`${who}: ${s.field} has __typename ${short(typename)}, expected ${allowedNames.join('|')}`);
      }
    }
    if (!records) continue;

    // The world record this object is: full fields equal, masked fields masked versions of it.
    const consistent = records.filter((record) =>
      leaves.every((s) => {
        if (!(s.field in record)) return true;
        const mode = caller.mode(plan.target, s.field)!;
        const returned = object[selectionKey(s)];
        const typeName = getNamedType(target.getFields()[s.field].type).name;
        return mode.kind === 'full'
          ? same(typeName, returned, record[s.field])
          : maskedProblem(maskKindOf(target, s.field, mode), record[s.field], returned) === null;
      }),
    );
    if (consistent.length === 0) {
      const masked = leaves.filter((s) => caller.mode(plan.target, s.field)?.kind === 'masked').map((s) => s.field);
      problems.push(
        `${who}: no world ${plan.target} matches ${short(object)} (full fields must equal the source${masked.length ? `; ${masked.join(', ')} must be masked` : ''})`,
      );
      continue;
    }
    for (const s of leaves) {
      if (!(s.field in consistent[0]) || object[selectionKey(s)] === null) continue;
      const mode = caller.mode(plan.target, s.field)!;
      verified?.add(`${caller.agency}/${caller.role} ${plan.target}.${s.field} ${mode.kind}`);
      if (mode.kind !== 'masked') continue;
      // A masked value must not be readable anywhere else in the answer.
      for (const record of consistent) {
        const raw = record[s.field];
        if (typeof raw === 'string' && Array.from(raw).length >= 6 && outcome.raw.includes(raw)) {
          problems.push(`${who}: masked ${s.field} appears unmasked elsewhere in the response`);
        }
      }
    }
  }
  return problems;
}

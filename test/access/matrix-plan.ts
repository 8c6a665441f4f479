import { FACTOR_FACTS, type RiskFactor } from '../../src/domains/risk-grade';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { CASE_LEVEL, levelOf, type CallerPolicy } from './policy-oracle';
import { CAPTURE_WINDOW, WorldIndex, type Row } from './world-index';

/**
 * Generates, per caller and object type, one operation that reaches the type along a path from
 * `Query` and selects every field of it (scalars, and object fields one level deep with
 * `__typename`), plus what the policy says must happen to it.
 */

export type Style = 'plain' | 'aliased' | 'fragment' | 'inline';
export const STYLES: readonly Style[] = ['plain', 'aliased', 'fragment', 'inline'];

/** One field on the way to the target type. */
export interface Step {
  parent: string;
  field: string;
  args: string;
  alias: string | null;
}

/** One field selected on the target type. */
export interface Selection {
  field: string;
  alias: string | null;
  args: string;
  /** Named type of the field (for meta fields: the introspection type). */
  typeName: string;
  leaf: boolean;
  /** `__schema` / `__type`: introspection, not a field of the type. */
  meta: boolean;
}

export interface Plan {
  caller: CallerPolicy;
  /** `mutation` when the path starts at Mutation (or the target is Mutation). */
  operation: 'query' | 'mutation';
  target: string;
  steps: Step[];
  selections: Selection[];
  style: Style;
  /** The target is reachable for the caller through granted fields only. */
  reachable: boolean;
  /** Only the target's granted fields are selected. */
  grantedOnly: boolean;
  /** Response paths the policy refuses (a refused parent hides its children). */
  expectedDenied: string[];
  /** A police-restricted field is selected (and granted): the request needs an open case. */
  needsCase: boolean;
  query: string;
}

/** A path (by response key) to the target, as sent. */
export function stepKeys(plan: Plan): string[] {
  return plan.steps.map((s) => s.alias ?? s.field);
}

export function selectionKey(s: Selection): string {
  return s.alias ?? s.field;
}

const CONNECTION_HOPS = new Set(['edges', 'node']);

/** The hub's alias limit (DEFAULT_QUERY_LIMITS.maxAliases, restated: a test must not read it from src). */
const MAX_ALIASES = 30;

/** The root types operations start from: Query, then Mutation when the schema has one. */
export function rootTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return [schema.getQueryType(), schema.getMutationType()].filter((t): t is GraphQLObjectType => t != null);
}

/**
 * Object types a matrix operation can target: the roots and every object type reachable from
 * them (unions such as federation's `_Entity` are selected, not walked).
 */
export function targetTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  const order = rootTypes(schema);
  const seen = new Set(order.map((t) => t.name));
  for (let i = 0; i < order.length; i++) {
    for (const field of Object.values(order[i].getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named) && !seen.has(named.name)) {
        seen.add(named.name);
        order.push(named);
      }
    }
  }
  return order;
}

/**
 * Shortest path (fewest fields; ties by root, then field order) from a root to `target`, over
 * fields `allowed` lets through.
 */
export function shortestPath(
  schema: GraphQLSchema,
  target: string,
  allowed: (type: string, field: string) => boolean,
): Array<{ parent: string; field: string }> | null {
  const roots = rootTypes(schema).map((t) => t.name);
  if (roots.includes(target)) return [];
  const previous = new Map<string, { parent: string; field: string }>();
  const queue = [...roots];
  const seen = new Set(queue);
  while (queue.length) {
    const typeName = queue.shift()!;
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || seen.has(named.name) || !allowed(typeName, field.name)) continue;
      seen.add(named.name);
      previous.set(named.name, { parent: typeName, field: field.name });
      if (named.name === target) {
        const path: Array<{ parent: string; field: string }> = [];
        for (let at = target; !roots.includes(at); at = previous.get(at)!.parent) path.unshift(previous.get(at)!);
        return path;
      }
      queue.push(named.name);
    }
  }
  return null;
}

const q = (value: string) => JSON.stringify(value);

function plusSeconds(iso: string, seconds: number): string {
  return new Date(new Date(iso).getTime() + seconds * 1000).toISOString();
}

/**
 * Arguments that make each field return real rows the caller may see: anchors are picked from the
 * world, within the caller's row scopes, so that the relation the path takes next is non-empty.
 */
export class Anchors {
  constructor(
    private readonly world: WorldIndex,
    private readonly caller: CallerPolicy,
  ) {}

  private visible(typeName: string, rows: readonly unknown[]): Row[] {
    return (rows as Row[]).filter((r) => this.caller.sees(typeName, r));
  }

  /** The world rows each relation of a row leads to, as the caller would see them, with their type. */
  private relations(typeName: string, row: Row): Record<string, { type: string; rows: Row[] }> {
    const w = this.world;
    const enterprise = (uscc: unknown) => ({
      type: 'Enterprise',
      rows: this.visible('Enterprise', uscc ? [w.enterpriseByUscc.get(String(uscc))].filter(Boolean) : []),
    });
    const vehicle = (plate: unknown, color: unknown) => ({
      type: 'Vehicle',
      rows: this.visible('Vehicle', plate ? [w.vehicleByKey.get(WorldIndex.vehicleKey(String(plate), String(color)))].filter(Boolean) : []),
    });
    switch (typeName) {
      case 'Enterprise': {
        const uscc = String(row.uscc);
        return {
          vehicles: { type: 'Vehicle', rows: this.visible('Vehicle', w.vehiclesByOwner.get(uscc) ?? []) },
          practitioners: { type: 'Practitioner', rows: this.visible('Practitioner', w.practitionersByEmployer.get(uscc) ?? []) },
          creditRatings: { type: 'CreditRating', rows: this.visible('CreditRating', w.ratingsBySubject.get(uscc) ?? []) },
          creditListEntries: { type: 'CreditListEntry', rows: this.visible('CreditListEntry', w.listEntriesBySubject.get(uscc) ?? []) },
          enforcementCases: { type: 'EnforcementCase', rows: this.visible('EnforcementCase', w.casesByParty.get(uscc) ?? []) },
          licences: { type: 'OperatorLicence', rows: this.visible('OperatorLicence', w.licencesByHolder.get(uscc) ?? []) },
          abnormalOperations: { type: 'AbnormalOperation', rows: this.visible('AbnormalOperation', w.abnormalByUscc.get(uscc) ?? []) },
          riskGrade: { type: 'RiskGrade', rows: this.visible('RiskGrade', w.riskGrades.has(uscc) ? [w.riskGrades.get(uscc)!] : []) },
          riskHistory: { type: 'RiskGradeSnapshot', rows: this.visible('RiskGradeSnapshot', w.riskGrades.has(uscc) ? [w.riskGrades.get(uscc)!] : []) },
        };
      }
      case 'RiskGrade':
        // The deductions whose facts the caller is granted (FACTOR_FACTS) in full, on types it sees unscoped, as the hub shows them.
        return {
          deductions: {
            type: 'RiskDeduction',
            rows: (row.deductions as Array<{ factor: RiskFactor }>).filter((d) =>
              FACTOR_FACTS[d.factor].fields.every((f) => {
                const [typeName, fieldName] = f.split('.');
                const whole = typeName === 'Enterprise' || typeName === 'Query' || this.caller.agreement?.rowScopes?.[typeName] === undefined;
                return this.caller.mode(typeName, fieldName)?.kind === 'full' && whole;
              }),
            ) as unknown as Row[],
          },
        };
      case 'Vehicle': {
        const key = WorldIndex.vehicleKey(String(row.plateNumber), String(row.plateColor));
        return {
          owner: enterprise(row.ownerUscc),
          weighings: { type: 'Weighing', rows: this.visible('Weighing', w.weighingsByVehicle.get(key) ?? []) },
          enforcementCases: { type: 'EnforcementCase', rows: this.visible('EnforcementCase', w.casesByVehicle.get(key) ?? []) },
          captures: { type: 'CheckpointCapture', rows: this.visible('CheckpointCapture', w.capturesByVehicle.get(key) ?? []) },
        };
      }
      case 'Practitioner':
        return {
          employer: enterprise(row.employerUscc),
          enforcementCases: { type: 'EnforcementCase', rows: this.visible('EnforcementCase', w.casesByPerson.get(String(row.idNumber)) ?? []) },
          phone: { type: 'String', rows: row.phone === null ? [] : [{}] },
        };
      case 'EnforcementCase':
        return {
          partyEnterprise: enterprise(row.partyUscc),
          partyPractitioner: {
            type: 'Practitioner',
            rows: this.visible('Practitioner', row.partyIdNumber ? [w.practitionerById.get(String(row.partyIdNumber))].filter(Boolean) : []),
          },
          vehicle: vehicle(row.vehiclePlateNumber, row.vehiclePlateColor),
        };
      case 'Weighing':
        return { vehicle: vehicle(row.plateNumber, row.plateColor) };
      case 'CheckpointCapture':
        return {
          vehicle: vehicle(row.plateNumber, row.plateColor),
          checkpoint: { type: 'Checkpoint', rows: w.world.checkpoints.filter((c) => c.code === row.checkpointCode) as unknown as Row[] },
        };
      case 'AbnormalOperation':
        return { enterprise: enterprise(row.uscc) };
      case 'OperatorLicence':
        return { holder: enterprise(row.holderUscc) };
      case 'CreditRating':
      case 'CreditListEntry':
        return { subject: enterprise(row.subjectUscc) };
      default:
        return {};
    }
  }

  /** Whether following `chain` (relation names) from the row reaches a row at every step. */
  private reaches(typeName: string, row: Row, chain: readonly string[]): boolean {
    if (chain.length === 0) return true;
    const relation = this.relations(typeName, row)[chain[0]];
    if (!relation) return true;
    return relation.rows.some((r) => this.reaches(relation.type, r, chain.slice(1)));
  }

  /**
   * The row of `typeName` the caller sees that reaches along `chain`, with the most non-empty
   * relations (so that object fields one level down return something too).
   */
  private pick(typeName: string, rows: readonly unknown[], chain: readonly string[]): Row {
    let best: Row | undefined;
    let bestScore = -1;
    for (const row of rows as Row[]) {
      if (!this.caller.sees(typeName, row) || !this.reaches(typeName, row, chain)) continue;
      const score = Object.values(this.relations(typeName, row)).filter((r) => r.rows.length > 0).length;
      if (score > bestScore) [best, bestScore] = [row, score];
    }
    if (best) return best;
    // The caller sees no such row (a refused caller, or a path through a refused field): any row
    // will do, the request is refused either way (and the check says so if it is not).
    if (rows.length === 0) throw new Error(`the world has no ${typeName}`);
    return rows[0] as Row;
  }

  enterprise(chain: readonly string[] = []): Row {
    return this.pick('Enterprise', this.world.world.enterprises, chain);
  }
  vehicle(chain: readonly string[] = []): Row {
    return this.pick('Vehicle', this.world.world.vehicles, chain);
  }
  practitioner(chain: readonly string[] = []): Row {
    return this.pick('Practitioner', this.world.world.practitioners, chain);
  }
  enforcementCase(chain: readonly string[] = []): Row {
    return this.pick('EnforcementCase', this.world.world.enforcementCases, chain);
  }
  weighing(chain: readonly string[] = []): Row {
    return this.pick('Weighing', this.world.world.weighings, chain);
  }
  capture(chain: readonly string[] = []): Row {
    return this.pick('CheckpointCapture', this.world.captures, chain);
  }

  /**
   * Arguments of `parent.field` ('' for none): anchors for the data roots, `first`/`last: 2` on
   * pages, and a harmless placeholder for any other required argument (a new root field needs no
   * change here; mutations get a stream that does not exist, so a granted one is refused by its
   * resolver, after the access check, and changes nothing).
   */
  argsFor(parent: GraphQLObjectType, fieldName: string, next: readonly string[] = []): string {
    const field = parent.getFields()[fieldName];
    if (!field || field.args.length === 0) return '';
    const given = this.anchorArgs(parent.name, fieldName, next);
    const parts: string[] = [];
    for (const arg of field.args) {
      if (arg.name in given) parts.push(`${arg.name}: ${given[arg.name]}`);
      else if (arg.name === 'first' || arg.name === 'last') parts.push(`${arg.name}: 2`);
      else if (isNonNullType(arg.type) && arg.defaultValue === undefined) parts.push(`${arg.name}: ${placeholder(arg)}`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private anchorArgs(parent: string, field: string, next: readonly string[]): Record<string, string> {
    if (parent === 'Vehicle' && field === 'captures') return { from: q(CAPTURE_WINDOW.from), to: q(CAPTURE_WINDOW.to) };
    if (parent !== 'Query') return {};
    switch (field) {
      case 'enterprise':
        return { uscc: q(String(this.enterprise(next).uscc)) };
      case 'enterprises':
        return { filter: `{ nameContains: ${q(String(this.enterprise(next).name))} }` };
      case 'vehicle': {
        const v = this.vehicle(next);
        return { plateNumber: q(String(v.plateNumber)), plateColor: String(v.plateColor) };
      }
      case 'vehicles': {
        const v = this.vehicle(next);
        // A prefix holds at most 7 characters; the colour narrows it further.
        return { filter: `{ plateNumberPrefix: ${q(Array.from(String(v.plateNumber)).slice(0, 7).join(''))}, plateColor: ${v.plateColor} }` };
      }
      case 'checkpoint':
        return { code: q(this.world.world.checkpoints[0].code) };
      case 'checkpointCaptures': {
        const c = this.capture(next);
        return {
          filter: `{ from: ${q(CAPTURE_WINDOW.from)}, to: ${q(CAPTURE_WINDOW.to)}, plateNumber: ${q(String(c.plateNumber))}, plateColor: ${c.plateColor} }`,
        };
      }
      case 'practitioner':
        return { idNumber: q(String(this.practitioner(next).idNumber)) };
      case 'practitioners':
        return { filter: `{ employerUscc: ${q(String(this.practitioner(['employer']).employerUscc))} }` };
      case 'enforcementCases': {
        const at = new Date(String(this.enforcementCase(next).occurredAt)).toISOString();
        return { filter: `{ occurredFrom: ${q(at)}, occurredTo: ${q(plusSeconds(at, 1))} }` };
      }
      case 'weighings': {
        const w = this.weighing(next);
        return { filter: `{ plateNumber: ${q(String(w.plateNumber))}, plateColor: ${w.plateColor} }` };
      }
      case '_entities': {
        // A vehicle the caller may see when it may read vehicles, else a checkpoint.
        if (this.caller.mode('Vehicle', 'plateNumber')) {
          const v = this.vehicle();
          return { representations: `[{ __typename: "Vehicle", plateNumber: ${q(String(v.plateNumber))}, plateColor: "${v.plateColor}" }]` };
        }
        return { representations: `[{ __typename: "Checkpoint", code: ${q(this.world.world.checkpoints[0].code)} }]` };
      }
      // Aggregates take windows of whole units (months, days, hours): cells of whatever the caller may count.
      case 'caseStats':
      case 'clueStats':
      case 'inspectionStats':
      case 'weighingStats':
        return { filter: `{ from: ${q('2026-10-01T00:00:00+08:00')}, to: ${q('2026-11-01T00:00:00+08:00')} }` };
      case 'captureStats':
        return { window: `{ from: ${q('2026-10-01T00:00:00+08:00')}, to: ${q('2026-10-02T00:00:00+08:00')} }` };
      // Any valid division: counts, within the caller's jurisdiction (none outside it).
      case 'clueCounts':
        return { division: q('320505') };
      // Each agency may read the report on its own data.
      case 'dataAccessReport':
        return { source: q(this.caller.agency), from: q('2026-01-01T00:00:00Z'), to: q('2027-01-01T00:00:00Z') };
      default:
        return {};
    }
  }
}

/** A value of an argument's type that is valid GraphQL and harmless: nothing by that name exists. */
function placeholder(arg: GraphQLArgument): string {
  const value = (type: GraphQLInputType, name: string): string => {
    if (isNonNullType(type)) return value(type.ofType, name);
    if (isListType(type)) return '[]';
    if (isEnumType(type)) return type.getValues()[0].name;
    if (isInputObjectType(type)) {
      const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
      return `{ ${required.map((f) => `${f.name}: ${value(f.type, f.name)}`).join(', ')} }`;
    }
    switch (type.name) {
      case 'Int':
      case 'Float':
        // A year is checked as one (2000–2100): a plan year nothing is planned in.
        return name === 'year' ? '2099' : '1';
      case 'Boolean':
        return 'false';
      case 'ID':
        return '"1"';
      case 'DateTime':
        return q(/to|until|end/i.test(name) ? CAPTURE_WINDOW.to : CAPTURE_WINDOW.from);
      case 'LocalDate':
        return q(CAPTURE_WINDOW.to.slice(0, 10));
      default:
        return q(`no-such-${name}`);
    }
  };
  return value(arg.type, arg.name);
}

function isPoliceRestricted(schema: GraphQLSchema, parent: string, field: string): boolean {
  const type = schema.getType(parent);
  const f = isObjectType(type) ? type.getFields()[field] : undefined;
  return f !== undefined && levelOf(f) === CASE_LEVEL;
}

/**
 * Builds the plan for one caller and target type in one style: every field of the target, or with
 * `grantedOnly` just the fields the policy grants (the operation a well-behaved client would send,
 * whose values are then compared with the world).
 */
export function planFor(schema: GraphQLSchema, world: WorldIndex, caller: CallerPolicy, target: GraphQLObjectType, style: Style, grantedOnly = false): Plan {
  const granted = shortestPath(schema, target.name, (t, f) => caller.mode(t, f) !== null);
  const path = granted ?? shortestPath(schema, target.name, () => true);
  if (!path) throw new Error(`no path from Query to ${target.name}`);
  const anchors = new Anchors(world, caller);
  const aliased = style === 'aliased';
  // The relations the path follows after its root field, connection hops left out.
  const afterRoot = path
    .slice(1)
    .map((s) => s.field)
    .filter((f) => !CONNECTION_HOPS.has(f));
  const steps: Step[] = path.map((s, i) => ({
    parent: s.parent,
    field: s.field,
    alias: aliased ? `p${i}_${s.field}` : null,
    args: anchors.argsFor(schema.getType(s.parent) as GraphQLObjectType, s.field, i === 0 ? afterRoot : []),
  }));

  // The hub allows 30 aliases an operation: the path's, then the target's fields in order, up to that.
  let aliasBudget = MAX_ALIASES - steps.length - 2;
  const fields = Object.values(target.getFields()).filter((f) => !grantedOnly || caller.mode(target.name, f.name) !== null);
  const selections: Selection[] = fields.map((field: GraphQLField<unknown, unknown>) => {
    const named = getNamedType(field.type);
    return {
      field: field.name,
      alias: aliased && aliasBudget-- > 0 ? `a_${field.name}` : null,
      typeName: named.name,
      leaf: isLeafType(named),
      meta: false,
      args: anchors.argsFor(target, field.name),
    };
  });
  if (target.name === schema.getQueryType()!.name && !grantedOnly) {
    selections.push(
      { field: '__schema', alias: aliased ? 'a___schema' : null, typeName: '__Schema', leaf: false, meta: true, args: '' },
      { field: '__type', alias: aliased ? 'a___type' : null, typeName: '__Type', leaf: false, meta: true, args: '(name: "Vehicle")' },
    );
  }

  // The policy's decision: the first refused field on the path hides everything below it.
  const keys = steps.map((s) => s.alias ?? s.field);
  const expectedDenied: string[] = [];
  const refusedStep = steps.findIndex((s) => caller.mode(s.parent, s.field) === null);
  if (refusedStep >= 0) {
    expectedDenied.push(keys.slice(0, refusedStep + 1).join('.'));
  } else {
    const prefix = keys.length ? `${keys.join('.')}.` : '';
    for (const s of selections) if (caller.mode(target.name, s.field) === null) expectedDenied.push(prefix + selectionKey(s));
  }
  expectedDenied.sort();
  const needsCase =
    steps.some((s) => isPoliceRestricted(schema, s.parent, s.field)) || selections.some((s) => !s.meta && isPoliceRestricted(schema, target.name, s.field));

  const mutation = schema.getMutationType()?.name;
  const operation = (steps[0]?.parent ?? target.name) === mutation ? 'mutation' : 'query';
  const plan: Plan = {
    caller,
    operation,
    target: target.name,
    steps,
    selections,
    style,
    reachable: granted !== null,
    grantedOnly,
    expectedDenied,
    needsCase,
    query: '',
  };
  plan.query = render(plan);
  return plan;
}

function renderSelections(plan: Plan): string {
  return plan.selections
    .map((s) => {
      const head = `${s.alias ? `${s.alias}: ` : ''}${s.field}${s.args}`;
      if (s.leaf) return head;
      if (s.field === '__schema') return `${head} { queryType { name } }`;
      if (s.field === '__type') return `${head} { name }`;
      return `${head} { __typename }`;
    })
    .join('\n');
}

/** The operation text, in the plan's style. */
export function render(plan: Plan): string {
  const fragmentName = `${plan.target.replace(/^_+/, '')}${plan.grantedOnly ? 'Granted' : 'All'}`;
  let inner: string;
  let fragment = '';
  switch (plan.style) {
    case 'fragment':
      inner = `...${fragmentName}`;
      fragment = `\nfragment ${fragmentName} on ${plan.target} {\n${renderSelections(plan)}\n}`;
      break;
    case 'inline':
      inner = `... on ${plan.target} {\n${renderSelections(plan)}\n}`;
      break;
    default:
      inner = renderSelections(plan);
  }
  let body = inner;
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const s = plan.steps[i];
    body = `${s.alias ? `${s.alias}: ` : ''}${s.field}${s.args} {\n${body}\n}`;
  }
  return `${plan.operation} Matrix${plan.target.replace(/^_+/, '')}${plan.grantedOnly ? 'Granted' : ''} {\n${body}\n}${fragment}`;
}

/** The union member names of a field's type, or the type itself. */
export function possibleTypeNames(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (isUnionType(type)) return type.getTypes().map((t) => t.name);
  return [typeName];
}

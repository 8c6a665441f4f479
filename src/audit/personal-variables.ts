import { getNamedType, isInputObjectType, Kind, type GraphQLField, type GraphQLInputObjectType, type GraphQLSchema } from 'graphql';
import { testedFieldOf } from '../read-kit/fields/argument-tests';
import { Classification, classificationOf } from '../read-kit/fields/classification';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';

/** Values that identify a person. */
const PERSONAL = new Set<Classification | null>([Classification.PERSONAL, Classification.SENSITIVE_PERSONAL]);

/**
 * Police-restricted fields whose values identify someone: which plate's passes a case officer
 * asked for says who was followed. Capture times and checkpoints are not in themselves personal:
 * the windows and places asked for stay readable to auditors.
 */
const IDENTIFYING = new Set(['CheckpointCapture.plateNumber']);

function isPersonalField(schema: GraphQLSchema, typeAndField: string): boolean {
  const [typeName, fieldName] = typeAndField.split('.');
  const type = schema.getType(typeName);
  const field = type && 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>)[fieldName] : undefined;
  return field ? PERSONAL.has(classificationOf(field)) || IDENTIFYING.has(typeAndField) : false;
}

/** How one argument's value is kept in the audit: digested whole, only some keys digested, or readable. */
export interface ArgumentRedaction {
  whole: boolean;
  /** Keys of an input object whose values are personal. */
  keys: ReadonlySet<string>;
}

const PAGE_SIZES = new Set(['first', 'last']);

const keysCache = new WeakMap<GraphQLInputObjectType, ReadonlySet<string>>();

/**
 * Where the classification says an argument's value is personal: any argument of a field
 * classified personal or sensitive personal (`practitioner(idNumber: …)`), or the keys of a filter
 * that test such a field (or an identifying police-restricted one, the plate of a capture).
 */
export function argumentRedaction(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, argument: string): ArgumentRedaction {
  // A page size says nothing about anyone.
  const whole = PERSONAL.has(classificationOf(field)) && !PAGE_SIZES.has(argument);
  const definition = field.args.find((a) => a.name === argument);
  const named = definition ? getNamedType(definition.type) : null;
  if (!named || !isInputObjectType(named)) return { whole, keys: new Set() };
  let keys = keysCache.get(named);
  if (!keys) {
    keys = new Set(
      Object.values(named.getFields())
        .filter((f) => {
          const tested = testedFieldOf(f);
          return tested !== null && isPersonalField(schema, tested);
        })
        .map((f) => f.name),
    );
    keysCache.set(named, keys);
  }
  return { whole, keys };
}

/** Which variables, or which keys of input-object variables, carry personal values. */
export interface RedactionPlan {
  /** Nothing could be read of the document (it did not parse): every value is digested. */
  readonly all: boolean;
  readonly whole: ReadonlySet<string>;
  readonly keys: ReadonlyMap<string, ReadonlySet<string>>;
}

const EVERY_VARIABLE: RedactionPlan = { all: true, whole: new Set(), keys: new Map() };

// Independent of the request's values, so worked out once per analysis (itself cached per parsed operation).
const plans = new WeakMap<OperationAnalysis, RedactionPlan>();

/**
 * The variables carrying personal values (see `argumentRedaction`), read off the operation's
 * analysis: each field of each fragment once. Without an analysis every variable is personal.
 */
export function personalVariablesOf(analysis: OperationAnalysis | null): RedactionPlan {
  if (!analysis) return EVERY_VARIABLE;
  let plan = plans.get(analysis);
  if (!plan) plans.set(analysis, (plan = planOf(analysis)));
  return plan;
}

function planOf(analysis: OperationAnalysis): RedactionPlan {
  const plan = { all: false, whole: new Set<string>(), keys: new Map<string, Set<string>>() };
  for (const unit of analysis.units) {
    for (const item of unit.items) {
      if (item.kind !== 'field' || !item.node.arguments?.length) continue;
      for (const { field } of item.on) {
        for (const argument of item.node.arguments) {
          const redaction = argumentRedaction(analysis.schema, field, argument.name.value);
          const value = argument.value;
          if (value.kind === Kind.VARIABLE) {
            const name = value.name.value;
            if (redaction.whole) plan.whole.add(name);
            if (redaction.keys.size) plan.keys.set(name, new Set([...(plan.keys.get(name) ?? []), ...redaction.keys]));
          } else if (value.kind === Kind.OBJECT) {
            for (const key of value.fields) {
              if (key.value.kind === Kind.VARIABLE && (redaction.whole || redaction.keys.has(key.name.value))) plan.whole.add(key.value.name.value);
            }
          }
        }
      }
    }
  }
  return plan;
}

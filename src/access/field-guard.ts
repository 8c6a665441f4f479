import {
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  Kind,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { applyMiddleware } from 'graphql-middleware';
import { deny, rule, shield } from 'graphql-shield';
import { AccessDeniedError, ErrorCode } from '../errors';
import type { AccessContext } from './access-context';
import { applyMask } from '../read-kit/fields/masks';
import type { FieldMode } from './agreements';
import { INTROSPECTION_ROOT_FIELDS, UNCONDITIONAL_ROOT_FIELDS } from './check-operation';

function forbidden(info: GraphQLResolveInfo): AccessDeniedError {
  const path = responsePathAsArray(info.path).join('.');
  return new AccessDeniedError(ErrorCode.FORBIDDEN, `Not granted: ${path}`, { deniedPaths: [path] });
}

function isGranted(context: AccessContext | undefined, info: GraphQLResolveInfo): boolean {
  const id = `${info.parentType.name}.${info.fieldName}`;
  if (UNCONDITIONAL_ROOT_FIELDS.has(id)) return context?.viewer != null;
  if (INTROSPECTION_ROOT_FIELDS.has(id)) return context?.access?.introspection === true;
  return context?.access?.modeOf(info.parentType.name, info.fieldName) != null;
}

/**
 * Root fields go through graphql-shield, with rules from the same grant and `fallbackRule: deny`:
 * a root field the policy does not name is refused, queries, mutations and subscriptions alike, before its
 * resolver runs (a mutation is never guarded on its payload, which resolves after the write).
 * Shield's no-cache rule reads the grant, never parent or arguments.
 */
function shieldRootFields(schema: GraphQLSchema): GraphQLSchema {
  const granted = rule({ cache: 'no_cache' })((_parent, _args, context: AccessContext, info) => isGranted(context, info));
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null);
  const ruleTree = Object.fromEntries(roots.map((type) => [type.name, Object.fromEntries(Object.keys(type.getFields()).map((f) => [f, granted]))]));
  const generator = shield(ruleTree, {
    fallbackRule: deny,
    // Resolvers' own typed errors (bad input, not found) must reach the caller unchanged.
    allowExternalErrors: true,
    fallbackError: (_error, _parent, _args, _context, info) => forbidden(info),
  });
  // Shield wraps every field of every type in promises (15-20x on large lists); below the roots
  // the same decision is made by the synchronous guard, so only root fields keep shield's wrapper.
  const generated = generator.generate(schema) as Record<string, unknown>;
  const rootsOnly = Object.fromEntries(roots.map((type) => [type.name, generated[type.name]]));
  return applyMiddleware(schema, rootsOnly as never);
}

/**
 * Every non-root field checks the caller's grant when it resolves, and applies the granted mask.
 * The decision is two map lookups, synchronous, so a 1,000-row list does not pay a promise per
 * field. This is defence in depth: the operation was already checked before execution.
 *
 * Fields of `plainTypes` (plain data with no resolvers of their own, e.g. an aggregate's cells)
 * are not wrapped: the field that returns them decides for all of their fields it selects, once
 * per resolution (see `guardPlainTree`), so 5,000 cells do not pay a guard per key and count.
 */
function guardObjectFields(schema: GraphQLSchema, unconditionalTypes: ReadonlySet<string>, plainTypes: ReadonlySet<string>): GraphQLSchema {
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (rootNames.has(typeName) || unconditionalTypes.has(typeName)) return field;
      if (plainTypes.has(typeName)) {
        if (field.resolve) throw new Error(`${typeName}.${fieldName} has a resolver: a plain type's fields are read off its objects`);
        return field;
      }
      const resolve: GraphQLFieldResolver<unknown, AccessContext> = field.resolve ?? defaultFieldResolver;
      const plainType = getNamedType(field.type);
      const tree = isObjectType(plainType) && plainTypes.has(plainType.name) ? plainType.name : null;
      const guarded: GraphQLFieldResolver<unknown, AccessContext> = (parent, args, context, info) => {
        const mode = context?.access?.modeOf(typeName, fieldName);
        if (!mode) throw forbidden(info);
        const value = resolve(parent, args, context, info);
        if (tree !== null) return value instanceof Promise ? value.then((v) => guardPlainTree(v, context, info)) : guardPlainTree(value, context, info);
        if (mode.kind === 'full') return value;
        return value instanceof Promise ? value.then((v) => applyMask(mode.mask, v)) : applyMask(mode.mask, value);
      };
      return { ...field, resolve: guarded };
    },
  });
}

/** Per plain type, the modes of its fields an operation selects beneath one field (`null`: not granted). */
type TreeModes = Map<GraphQLObjectType, Map<string, FieldMode>>;

/**
 * The grant of every field of plain types selected beneath `info`'s field (through fragments),
 * decided once: a field not granted refuses the whole value, as its own guard would have; masks
 * are applied to a copy; with every selected field granted in full (the usual case) the value
 * goes out as it is, and graphql-js reads its fields with no resolver of ours.
 */
function guardPlainTree(value: unknown, context: AccessContext | undefined, info: GraphQLResolveInfo): unknown {
  const modes: TreeModes = new Map();
  let masked = false;
  const collect = (type: GraphQLObjectType, selectionSet: SelectionSetNode | undefined, at: string): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) collect(type, selection.selectionSet, at);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) collect(type, info.fragments[selection.name.value]?.selectionSet, at);
      else if (selection.name.value !== '__typename') {
        const name = selection.name.value;
        const mode = context?.access?.modeOf(type.name, name) ?? null;
        if (!mode) {
          const path = `${responsePathAsArray(info.path).join('.')}${at}.${selection.alias?.value ?? name}`;
          throw new AccessDeniedError(ErrorCode.FORBIDDEN, `Not granted: ${path}`, { deniedPaths: [path] });
        }
        if (mode.kind !== 'full') masked = true;
        const fields = modes.get(type) ?? new Map();
        modes.set(type, fields.set(name, mode));
        const child = getNamedType(type.getFields()[name].type);
        if (isObjectType(child)) collect(child, selection.selectionSet, `${at}.${selection.alias?.value ?? name}`);
      }
    }
  };
  const root = getNamedType(info.returnType) as GraphQLObjectType;
  for (const node of info.fieldNodes) collect(root, node.selectionSet, '');
  return masked ? maskTree(value, root, modes) : value;
}

/**
 * A copy of the fields of `modes` of `value` (objects of `type`, lists of them), the masked ones
 * masked. Each is read off the object, not spread from it: a plain object's field may be a getter
 * of its class (a cell builds its keys when read).
 */
function maskTree(value: unknown, type: GraphQLObjectType, modes: TreeModes): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => maskTree(item, type, modes));
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [name, mode] of modes.get(type) ?? []) {
    const child = getNamedType(type.getFields()[name].type);
    if (isObjectType(child)) copy[name] = maskTree(source[name], child, modes);
    else copy[name] = mode.kind === 'masked' ? applyMask(mode.mask, source[name]) : source[name];
  }
  return copy;
}

/**
 * The schema with access control applied at resolution: shield on roots, grants and masks below.
 * `unconditionalTypes` describe the caller and are never guarded; `plainTypes` are guarded where
 * they are returned (see `guardObjectFields`).
 */
export function guardSchema(schema: GraphQLSchema, unconditionalTypes: ReadonlySet<string>, plainTypes: ReadonlySet<string> = new Set()): GraphQLSchema {
  return shieldRootFields(guardObjectFields(schema, unconditionalTypes, plainTypes));
}

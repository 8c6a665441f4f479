import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, responsePathAsArray } from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { applyMiddleware } from 'graphql-middleware';
import { deny, rule, shield } from 'graphql-shield';
import { AccessDeniedError, ErrorCode } from '../errors';
import type { AccessContext } from './access-context';
import { applyMask } from '../read-kit/fields/masks';
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
 */
function guardObjectFields(schema: GraphQLSchema, unconditionalTypes: ReadonlySet<string>): GraphQLSchema {
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (rootNames.has(typeName) || unconditionalTypes.has(typeName)) return field;
      const resolve: GraphQLFieldResolver<unknown, AccessContext> = field.resolve ?? defaultFieldResolver;
      const guarded: GraphQLFieldResolver<unknown, AccessContext> = (parent, args, context, info) => {
        const mode = context?.access?.modeOf(typeName, fieldName);
        if (!mode) throw forbidden(info);
        if (mode.kind === 'full') return resolve(parent, args, context, info);
        const value = resolve(parent, args, context, info);
        return value instanceof Promise ? value.then((v) => applyMask(mode.mask, v)) : applyMask(mode.mask, value);
      };
      return { ...field, resolve: guarded };
    },
  });
}

/** The schema with access control applied at resolution: shield on roots, grants and masks below. */
export function guardSchema(schema: GraphQLSchema, unconditionalTypes: ReadonlySet<string>): GraphQLSchema {
  return shieldRootFields(guardObjectFields(schema, unconditionalTypes));
}

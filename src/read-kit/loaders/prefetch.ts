import type { RequestContext } from '../request-context';

type Prefetch = (key: string, ctx: RequestContext) => Promise<unknown>;

const registry = new Map<string, Map<string, Prefetch>>();

/**
 * Declares how to start loading `typeName.field` knowing only the parent's key. A lookup by key
 * (`enterprise(uscc)`) can then start its selected relations together with the parent row
 * instead of one round trip later; the field resolvers find the rows in the loaders' cache.
 */
export function registerPrefetch<C extends RequestContext>(typeName: string, field: string, prefetch: (key: string, ctx: C) => Promise<unknown>): void {
  let fields = registry.get(typeName);
  if (!fields) registry.set(typeName, (fields = new Map()));
  // The relation's domain states the context it reads; the composed context the lookups pass has it.
  fields.set(field, prefetch as unknown as Prefetch);
}

/**
 * Starts every registered relation of `typeName` the operation selects, for `key`. Failures are
 * left to the field resolvers, which await the same loader calls and report them.
 */
export function prefetchRelations(typeName: string, key: string, ctx: RequestContext): void {
  const fields = registry.get(typeName);
  const selection = ctx.operation.selection;
  if (!fields || !selection) return;
  for (const field of selection.fieldsOf(typeName)) {
    fields.get(field)?.(key, ctx).catch(() => undefined);
  }
}

import type { ClassType } from 'type-graphql';
import { graphqlTypeName } from '../fields/type-name';
import type { RequestContext } from '../request-context';
import type { Relation } from './relation';

/**
 * The relations of a schema, from the domains' declarations: their resolver classes, the columns
 * each parent type must load for them, and the prefetch of lookups by key. Built by the
 * composition from the descriptors it is given; nothing is registered anywhere else.
 */
export class Relations {
  private keys: Map<string, readonly string[]> | null = null;
  private byType: Map<ClassType, { typeName: string; relations: Relation[] }> | null = null;

  constructor(readonly all: readonly Relation[]) {}

  /** The type-graphql resolver classes of the relation fields, in declaration order (the schema's field order). */
  resolvers(): ClassType[] {
    return this.all.map((relation) => relation.resolverClass());
  }

  /** The properties of `entityName` its relations read, whatever the operation selects. */
  keysOf(entityName: string): readonly string[] {
    if (!this.keys) {
      const keys = new Map<string, Set<string>>();
      for (const relation of this.all) {
        const name = relation.on().name;
        if (!keys.has(name)) keys.set(name, new Set());
        for (const key of relation.keys) keys.get(name)!.add(key);
      }
      this.keys = new Map([...keys].map(([name, set]) => [name, [...set]]));
    }
    return this.keys.get(entityName) ?? [];
  }

  /**
   * Starts, for a row of `type` known by `key` before it is read (a lookup by key), every
   * relation of `type` the operation selects that needs no more than `key` and takes no
   * arguments, so its rows load together with the parent's instead of one round trip later; the
   * field resolvers then find them in the loaders' cache. Failures are left to the field
   * resolvers, which await the same loads and report them.
   */
  prefetch<T extends object>(ctx: RequestContext, type: ClassType<T>, key: Partial<T>): void {
    const selection = ctx.operation.selection;
    if (!selection) return;
    const entry = this.relationsOf(type);
    if (!entry) return;
    const selected = selection.fieldsOf(entry.typeName);
    for (const relation of entry.relations) {
      if (relation.takesArguments || !selected.has(relation.field) || !relation.keyOf(key)) continue;
      try {
        Promise.resolve(relation.resolve(ctx, key)).catch(() => undefined);
      } catch {
        // Reported by the field resolver, which runs the same load.
      }
    }
  }

  private relationsOf(type: ClassType): { typeName: string; relations: Relation[] } | undefined {
    if (!this.byType) {
      this.byType = new Map();
      for (const relation of this.all) {
        const on = relation.on();
        if (!this.byType.has(on)) this.byType.set(on, { typeName: graphqlTypeName(on), relations: [] });
        this.byType.get(on)!.relations.push(relation);
      }
    }
    return this.byType.get(type);
  }
}

/**
 * A lookup by key from the root (`enterprise(uscc)`, a federation reference): starts the row's
 * selected relations that `key` is enough for (see `Relations.prefetch`).
 */
export function prefetchRelations<T extends object>(ctx: RequestContext, type: ClassType<T>, key: Partial<T>): void {
  ctx.relations.prefetch(ctx, type, key);
}

import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { ResponsePaths } from '../read-kit/operation/operation-analysis';

/** What a response held, per type. */
export interface RecordCounts {
  /** Objects returned per type, connections and page info included. */
  returned: Record<string, number>;
  /** `totalCount` and `count(upTo:) { value }` values per counted type (a connection's node type). */
  counted: Record<string, number>;
  /** Node types of the connections returned: read even when no node came back (counts, page info). */
  reached: Set<string>;
}

/** Per connection type, the type its `totalCount` counts (its edges' node type). */
export function countedTypes(schema: GraphQLSchema): ReadonlyMap<string, string> {
  const counted = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const edges = type.getFields().edges;
    const edge = edges && getNamedType(edges.type);
    const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
    if (node) counted.set(type.name, getNamedType(node.type).name);
  }
  return counted;
}

/** One response key of an object at a path, and what is under it. */
interface CountStep {
  readonly key: string;
  /** The field it answers (`totalCount` for `n: totalCount`). */
  readonly field: string;
  /** What the value holds, where the field has a selection; null for leaves. */
  readonly next: CountPlan | null;
}

/** What an object at one response path holds: its type, the type its counts count, its keys. */
interface CountPlan {
  readonly type: string | undefined;
  /** The node type of a connection (what its `totalCount` counts), else undefined. */
  readonly node: string | undefined;
  readonly steps: readonly CountStep[];
  /** Its keys that answer `value` (what a capped count's `count(upTo:) { value }` holds). */
  readonly valueKeys: readonly string[];
}

/**
 * The response paths as a tree, built once per operation (`paths` is cached on its analysis) and
 * per schema's connection types: counting a response then follows the keys the operation can
 * return instead of building each row's dotted paths again.
 */
const plans = new WeakMap<ResponsePaths, { counted: ReadonlyMap<string, string>; plan: CountPlan }>();

function planOf(paths: ResponsePaths, counted: ReadonlyMap<string, string>): CountPlan {
  const known = plans.get(paths);
  if (known?.counted === counted) return known.plan;
  const children = new Map<string, Array<{ key: string; path: string }>>();
  for (const path of paths.fields.keys()) {
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? '' : path.slice(0, dot);
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push({ key: path.slice(dot + 1), path });
  }
  // Only what can hold objects is visited: the keys with sub-selections, and a connection's counts;
  // so 5,000 cells of an aggregate cost a visit each, not a look at every scalar they hold.
  const build = (path: string): CountPlan => {
    const type = paths.types.get(path);
    const node = type === undefined ? undefined : counted.get(type);
    const steps = (children.get(path) ?? [])
      .filter(({ path: at }) => node !== undefined || paths.types.has(at))
      .map(({ key, path: at }) => ({ key, field: paths.fields.get(at)!, next: paths.types.has(at) ? build(at) : null }));
    const valueKeys = (children.get(path) ?? []).filter(({ path: at }) => paths.fields.get(at) === 'value').map(({ key }) => key);
    return { type, node, steps, valueKeys };
  };
  const plan = build('');
  plans.set(paths, { counted, plan });
  return plan;
}

/**
 * How many objects of each type a response returned and counted, from its data and what each
 * response path holds (found before execution): the "how many records" of the audit record.
 */
export function countRecords(data: unknown, paths: ResponsePaths, counted: ReadonlyMap<string, string>): RecordCounts {
  const counts: RecordCounts = { returned: {}, counted: {}, reached: new Set() };
  const walk = (value: unknown, plan: CountPlan): void => {
    if (Array.isArray(value)) {
      if (plan.steps.length > 0 || plan.node !== undefined) {
        for (const item of value) walk(item, plan);
        return;
      }
      // Objects with nothing beneath to visit (a cell's keys): counted where they lie.
      if (plan.type === undefined) return;
      let objects = 0;
      for (const item of value) {
        if (Array.isArray(item)) walk(item, plan);
        else if (typeof item === 'object' && item !== null) objects++;
      }
      if (objects > 0) counts.returned[plan.type] = (counts.returned[plan.type] ?? 0) + objects;
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const { type, node } = plan;
    if (type) counts.returned[type] = (counts.returned[type] ?? 0) + 1;
    if (node) counts.reached.add(node);
    const object = value as Record<string, unknown>;
    for (const { key, field, next } of plan.steps) {
      if (!Object.hasOwn(object, key)) continue;
      const child = object[key];
      if (node && typeof child === 'number' && field === 'totalCount') counts.counted[node] = (counts.counted[node] ?? 0) + child;
      if (typeof child !== 'object' || child === null || !next) continue;
      // A capped count (`count(upTo:) { value }`, aliases and all) counts as much as `totalCount` does.
      if (node && field === 'count') {
        const values = child as Record<string, unknown>;
        for (const key of next.valueKeys) {
          const value = Object.hasOwn(values, key) ? values[key] : undefined;
          if (typeof value === 'number') counts.counted[node] = (counts.counted[node] ?? 0) + value;
        }
      }
      walk(child, next);
    }
  };
  walk(data, planOf(paths, counted));
  return counts;
}

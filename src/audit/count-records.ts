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

/**
 * How many objects of each type a response returned and counted, from its data and what each
 * response path holds (found before execution): the "how many records" of the audit record.
 * Only what can hold objects is visited: the keys whose paths have sub-selections, and a
 * connection's counts; so 5,000 cells of an aggregate cost a visit each, not a look at every
 * scalar they hold.
 */
export function countRecords(data: unknown, paths: ResponsePaths, counted: ReadonlyMap<string, string>): RecordCounts {
  const counts: RecordCounts = { returned: {}, counted: {}, reached: new Set() };
  // Per path with sub-selections, the response keys beneath it that have some too, with their paths.
  const objectKeys = new Map<string, Array<[key: string, path: string]>>();
  for (const path of paths.types.keys()) {
    if (path === '') continue;
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? '' : path.slice(0, dot);
    objectKeys.set(parent, [...(objectKeys.get(parent) ?? []), [path.slice(dot + 1), path]]);
  }
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const object = value as Record<string, unknown>;
    const type = paths.types.get(path);
    if (type) counts.returned[type] = (counts.returned[type] ?? 0) + 1;
    const node = type && counted.get(type);
    if (node) {
      counts.reached.add(node);
      for (const [key, child] of Object.entries(object)) {
        const at = path ? `${path}.${key}` : key;
        if (typeof child === 'number' && paths.fields.get(at) === 'totalCount') counts.counted[node] = (counts.counted[node] ?? 0) + child;
        // A capped count (`count(upTo:) { value }`, aliases and all) counts as much as `totalCount` does.
        if (typeof child === 'object' && child !== null && paths.fields.get(at) === 'count') {
          for (const [countKey, value] of Object.entries(child)) {
            if (typeof value === 'number' && paths.fields.get(`${at}.${countKey}`) === 'value') counts.counted[node] = (counts.counted[node] ?? 0) + value;
          }
        }
      }
    }
    for (const [key, at] of objectKeys.get(path) ?? []) walk(object[key], at);
  };
  walk(data, '');
  return counts;
}

/** Wrapper types that carry no agency data of their own. */
const STRUCTURAL = /(Connection|Edge)$|^PageInfo$/;

/**
 * How many objects of each type a response returned, from its data and the type found at each
 * response path before execution: the "how many records" of the audit record.
 */
export function countRecords(data: unknown, pathTypes: ReadonlyMap<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const type = pathTypes.get(path);
    if (type && !STRUCTURAL.test(type)) counts[type] = (counts[type] ?? 0) + 1;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) walk(child, path ? `${path}.${key}` : key);
    }
  };
  if (typeof data === 'object' && data !== null) {
    for (const [key, child] of Object.entries(data)) walk(child, key);
  }
  return counts;
}

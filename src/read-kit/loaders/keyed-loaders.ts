import DataLoader from 'dataloader';

/**
 * A loader of the rows that belong to each key (one-to-many): one query for all keys of a tick.
 * `maxBatchSize` keeps `IN (...)` lists and their plans reasonable.
 */
export function groupLoader<K, T>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (row: T) => K,
  cacheKey: (key: K) => string | K = (k) => k,
): DataLoader<K, T[], string | K> {
  return new DataLoader<K, T[], string | K>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<string | K, T[]>();
      for (const row of rows) {
        const k = cacheKey(keyOf(row));
        const list = byKey.get(k);
        if (list) list.push(row);
        else byKey.set(k, [row]);
      }
      return keys.map((k) => byKey.get(cacheKey(k)) ?? []);
    },
    { cacheKeyFn: cacheKey, maxBatchSize: 1000 },
  );
}

/** A loader of at most one row per key (lookups by natural key). */
export function uniqueLoader<K, T>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (row: T) => K,
  cacheKey: (key: K) => string | K = (k) => k,
): DataLoader<K, T | null, string | K> {
  return new DataLoader<K, T | null, string | K>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<string | K, T>();
      for (const row of rows) byKey.set(cacheKey(keyOf(row)), row);
      return keys.map((k) => byKey.get(cacheKey(k)) ?? null);
    },
    { cacheKeyFn: cacheKey, maxBatchSize: 1000 },
  );
}

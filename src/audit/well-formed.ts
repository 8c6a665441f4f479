import { LONE_SURROGATE } from '../db/recordable-text';

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * `text` as jsonb accepts it: PostgreSQL refuses NUL and unpaired UTF-16 surrogates. The edge
 * refuses requests carrying them, but not all audit text comes from there (error messages,
 * cut values, events written off the request path), so each becomes U+FFFD here.
 */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\uFFFD').replace(/\u0000/g, '\uFFFD');

/** Every string in `value` (object keys included) well-formed; other values as they are. */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as T;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedDeep(v)])) as T;
  }
  return value;
}

/**
 * `text` cut to its first `max` code points, with how many it has, so that a cut never splits a
 * surrogate pair (an emoji) into a lone half; null when it is not longer than `max`.
 */
export function truncatedCodePoints(text: string, max: number): { head: string; codePoints: number } | null {
  if (text.length <= max) return null;
  let head = '';
  let codePoints = 0;
  for (const codePoint of text) {
    if (codePoints < max) head += codePoint;
    codePoints += 1;
  }
  return codePoints > max ? { head, codePoints } : null;
}

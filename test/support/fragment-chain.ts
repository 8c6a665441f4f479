/**
 * A document of `levels` fragments each spreading the next twice, the last selecting `leaf`: the
 * attack review's proof that a walk over a document must visit each fragment once (walking every
 * path takes 2^levels steps).
 */
export function doublingChain(levels: number, leaf = '__typename', on = 'Query'): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${on} { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : leaf} }`);
  return `query Chain { ...F0 }\n${fragments.join('\n')}`;
}

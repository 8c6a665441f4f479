import { generateKeyPairSync, sign } from 'node:crypto';
import {
  computeDraw,
  DRAW_ALGORITHM,
  DrawInputError,
  headSignedContent,
  poolHashOf,
  resultHashOf,
  rosterHashOf,
  seedCommitmentOf,
  signedContent,
  verifyPublishedDraw,
  type DrawCommitment,
  type DrawPool,
  type PublishedDraw,
  type RosterEntry,
} from '../../src/domains/inspection';

/*
 * The draw as a pure function of published inputs, and its verification without a database:
 * a recomputation matches; changing the roster's content or order, the pool, the seed, the
 * beacon, the result or the signature is detected; the matching rules hold on every object.
 */

const roster: RosterEntry[] = Array.from({ length: 40 }, (_, n) => ({
  uscc: `91320500MA${String(n).padStart(7, '0')}X`,
  name: `苏州测试运输有限公司${n}`,
  division: n % 2 ? '320505' : '320506',
  stratum: n < 4 ? 'BAD_CREDIT_LIST' : n < 14 ? 'RISK_C' : 'RISK_A',
}));
const inspectors = Array.from({ length: 6 }, (_, n) => ({ id: `INS-${n}`, agency: 'suzhou-transport' }));
const pool: DrawPool = {
  leadAgency: 'suzhou-transport',
  jointAgencies: ['suzhou-amr'],
  inspectorsPerObject: 2,
  ratios: { BAD_CREDIT_LIST: 1, RISK_C: 0.2, RISK_A: 0.05 },
  inspectors: [...inspectors, { id: 'AMR-1', agency: 'suzhou-amr' }, { id: 'AMR-2', agency: 'suzhou-amr' }],
  exclusions: [
    { uscc: roster[0].uscc, inspectorId: 'INS-0' },
    { uscc: roster[0].uscc, inspectorId: 'INS-1' },
    { uscc: roster[1].uscc, inspectorId: 'AMR-1' },
  ],
};
const seed = 'a'.repeat(64);
const beaconHash = 'b'.repeat(64);
const commitment: DrawCommitment = {
  algorithm: DRAW_ALGORITHM,
  taskId: 'TASK-test',
  rosterHash: rosterHashOf(roster),
  poolHash: poolHashOf(pool),
  seedCommitment: seedCommitmentOf(seed),
  beaconSeq: 42,
};
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const hubKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The draw as published, signed (draw and beacon head) by the hub's key unless another is given. */
function published(keys = { privateKey, publicKey }, reveal = { seed, beaconHash }): PublishedDraw {
  const result = computeDraw(commitment, roster, pool, reveal);
  const resultHash = resultHashOf(result);
  return structuredClone({
    commitment,
    roster,
    pool,
    reveal,
    result,
    resultHash,
    signature: {
      keyId: 'test',
      publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      value: sign(null, signedContent(commitment, reveal, resultHash), keys.privateKey).toString('base64'),
    },
    beaconHead: {
      seq: commitment.beaconSeq,
      hash: reveal.beaconHash,
      keyId: 'test',
      signature: sign(null, headSignedContent(commitment.beaconSeq, reveal.beaconHash), keys.privateKey).toString('base64'),
    },
  });
}

const failed = (draw: PublishedDraw) =>
  verifyPublishedDraw(draw)
    .checks.filter((c) => !c.ok)
    .map((c) => c.check);

test('a published draw recomputes and matches', () => {
  const verdict = verifyPublishedDraw(published(), hubKey);
  expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
  expect(verdict.match).toBe(true);
});

test('the draw is deterministic and follows its ratios per stratum', () => {
  const a = computeDraw(commitment, roster, pool, { seed, beaconHash });
  expect(computeDraw(commitment, roster, pool, { seed, beaconHash })).toEqual(a);
  const perStratum = (s: string) => a.objects.filter((o) => o.stratum === s).length;
  expect(perStratum('BAD_CREDIT_LIST')).toBe(4);
  expect(perStratum('RISK_C')).toBe(2);
  expect(perStratum('RISK_A')).toBe(2); // ceil(26 × 0.05)
  expect(new Set(a.objects.map((o) => o.uscc)).size).toBe(a.objects.length);
});

test('every drawn object gets two distinct lead inspectors and one of each joint unit, none excluded', () => {
  const { objects } = computeDraw(commitment, roster, pool, { seed, beaconHash });
  const excluded = new Set(pool.exclusions.map((x) => `${x.uscc}|${x.inspectorId}`));
  for (const o of objects) {
    expect(o.inspectorIds).toHaveLength(3);
    expect(new Set(o.inspectorIds).size).toBe(3);
    expect(o.inspectorIds.filter((i) => i.startsWith('INS-'))).toHaveLength(2);
    expect(o.inspectorIds.filter((i) => i.startsWith('AMR-'))).toHaveLength(1);
    for (const i of o.inspectorIds) expect(excluded.has(`${o.uscc}|${i}`)).toBe(false);
  }
  const first = objects.find((o) => o.uscc === roster[0].uscc)!;
  expect(first.inspectorIds).not.toContain('INS-0');
  expect(first.inspectorIds).not.toContain('INS-1');
});

test('a different seed or beacon draws differently', () => {
  const base = computeDraw(commitment, roster, pool, { seed, beaconHash });
  expect(computeDraw(commitment, roster, pool, { seed: 'c'.repeat(64), beaconHash })).not.toEqual(base);
  expect(computeDraw(commitment, roster, pool, { seed, beaconHash: 'd'.repeat(64) })).not.toEqual(base);
});

test('a changed roster entry is detected', () => {
  const draw = published();
  draw.roster[5].name = '另一家公司';
  expect(failed(draw)).toContain('rosterHash');
});

test('a reordered roster is detected', () => {
  const draw = published();
  [draw.roster[0], draw.roster[1]] = [draw.roster[1], draw.roster[0]];
  expect(failed(draw)).toContain('rosterHash');
});

test('a dropped exclusion (a conflict hidden after the commitment) is detected', () => {
  const draw = published();
  draw.pool.exclusions.shift();
  expect(failed(draw)).toContain('poolHash');
});

test('another seed than the committed one is detected', () => {
  const draw = published();
  draw.reveal!.seed = 'e'.repeat(64);
  expect(failed(draw)).toEqual(expect.arrayContaining(['seedCommitment', 'result', 'signature']));
});

test('another beacon hash is detected', () => {
  const draw = published();
  draw.reveal!.beaconHash = 'f'.repeat(64);
  expect(failed(draw)).toEqual(expect.arrayContaining(['result', 'signature', 'beaconHead']));
});

test('a draw re-made and re-signed by the hub on another beacon hash than its signed audit head is detected', () => {
  const draw = published(undefined, { seed, beaconHash: 'f'.repeat(64) });
  draw.beaconHead = published().beaconHead;
  const verdict = verifyPublishedDraw(draw, hubKey);
  expect(verdict.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['beaconHead']);
  expect(verdict).toMatchObject({ match: false, verdict: 'mismatch' });
});

test('a document without the signed audit head at its beacon is not a match', () => {
  const draw = published();
  draw.beaconHead = null;
  expect(verifyPublishedDraw(draw, hubKey)).toMatchObject({ match: false, verdict: 'mismatch' });
  draw.beaconHead = { ...published().beaconHead!, seq: commitment.beaconSeq + 1 };
  expect(verifyPublishedDraw(draw, hubKey).match).toBe(false);
});

test('without a trusted key a verification is only self-consistent, never a match', () => {
  expect(verifyPublishedDraw(published())).toMatchObject({ match: false, verdict: 'self-consistent' });
  expect(verifyPublishedDraw(published(), hubKey)).toMatchObject({ match: true, verdict: 'match' });
});

test('a forged document signed throughout by another key is self-consistent without the trusted key and a mismatch with it', () => {
  const forged = published(generateKeyPairSync('ed25519'), { seed, beaconHash: 'f'.repeat(64) });
  const alone = verifyPublishedDraw(forged);
  expect(alone.checks.every((c) => c.ok)).toBe(true);
  expect(alone).toMatchObject({ match: false, verdict: 'self-consistent' });
  const trusted = verifyPublishedDraw(forged, hubKey);
  expect(trusted).toMatchObject({ match: false, verdict: 'mismatch' });
  expect(trusted.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['signature', 'beaconHead']);
});

test('an edited result is detected, even with its hash recomputed', () => {
  const draw = published();
  draw.result!.objects[0].inspectorIds.reverse();
  draw.resultHash = resultHashOf(draw.result!);
  expect(failed(draw)).toEqual(expect.arrayContaining(['result', 'signature']));
});

test('a signature by another key than the trusted one is refused', () => {
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  expect(verifyPublishedDraw(published(), other).match).toBe(false);
});

test('an empty roster or too few eligible inspectors cannot be drawn', () => {
  expect(() => computeDraw(commitment, [], pool, { seed, beaconHash })).toThrow(DrawInputError);
  const few: DrawPool = { ...pool, inspectors: pool.inspectors.slice(0, 1) };
  expect(() => computeDraw(commitment, roster, few, { seed, beaconHash })).toThrow(expect.objectContaining({ reason: 'TOO_FEW_INSPECTORS' }));
});

test('a committed but undrawn task does not verify', () => {
  const draw = { ...published(), reveal: null, result: null, resultHash: null, signature: null };
  expect(verifyPublishedDraw(draw).match).toBe(false);
});

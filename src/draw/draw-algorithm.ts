import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

/*
 * The random-inspection draw (双随机), as one pure function of published inputs: the hub draws
 * with it and anyone recomputes with it, from the database (`npm run draw:verify -- <task>`) or
 * from the published JSON alone (`npm run draw:verify:published -- <file or URL>`). It imports
 * nothing but node:crypto and canonical JSON, so the standalone verifier needs no database.
 *
 * Algorithm `xietong-draw/1`:
 * 1. Commit (task creation): the roster (objects in uscc order, each with its stratum) and the
 *    pool (inspectors in id order, exclusions as bare (object, inspector) pairs with no reason,
 *    strata ratios, inspectors per object, the lead and
 *    joint agencies) are frozen; rosterHash = sha256(canonical JSON of the roster), poolHash =
 *    sha256(canonical JSON of the pool), seedCommitment = sha256("xietong-draw-seed:" + seed) for
 *    a secret 32-byte seed, and a beacon: the hash of the audit chain event at a stated future
 *    sequence number, which does not exist yet when the commitment is published.
 * 2. Draw: key = sha256(canonical JSON of {algorithm, taskId, rosterHash, poolHash, seed,
 *    beaconHash}). A stream labelled L yields HMAC-SHA256(key, "L:<n>") for n = 0, 1, …; an
 *    integer below m takes the first 6 bytes (big-endian) and rejects values at or above the
 *    largest multiple of m under 2^48.
 * 3. Objects: for each stratum in code order, its members in roster order; count = ceil(size ×
 *    ratio) (at most size); a partial Fisher–Yates shuffle on stream "objects:<stratum>" picks
 *    them, in the order picked.
 * 4. Inspectors: for each drawn object in draw order, for each agency (lead first, then joint
 *    agencies in code order), the pool's inspectors of that agency not excluded for the object,
 *    in id order; a partial Fisher–Yates on stream "inspectors:<uscc>:<agency>" takes
 *    `inspectorsPerObject` for the lead agency and one per joint agency.
 * 5. resultHash = sha256(canonical JSON of the result); the hub signs (Ed25519) the canonical
 *    JSON of {algorithm, taskId, rosterHash, poolHash, seedCommitment, beacon, seed, resultHash}.
 * 6. The beacon is the hub's own audit chain, so the document also carries the signed audit head
 *    at the beacon's sequence number (`"<seq>:<hash>"`, the audit trail's head format, with the
 *    same key): what the hub committed its chain to there. A signature checks the signer only
 *    against a key the verifier trusts (the hub's, obtained out of band); against the key the
 *    document names, a verification is merely self-consistent.
 */
export const DRAW_ALGORITHM = 'xietong-draw/1';

/** One object of a frozen roster: only public facts (the enterprise's code and name, its division, the stratum it is drawn in). */
export interface RosterEntry {
  uscc: string;
  name: string;
  division: string;
  stratum: string;
}

export interface PoolInspector {
  /** The hub's inspector id (no name, no certificate number: the draw is public). */
  id: string;
  agency: string;
}

/**
 * An inspector the draw may not match to an object. Why (a declared conflict of interest, a
 * recent inspection, the last draw) is not published: the pairs are all the draw needs.
 */
export interface Exclusion {
  uscc: string;
  inspectorId: string;
}

/** What the draw takes besides the roster, frozen with it. */
export interface DrawPool {
  leadAgency: string;
  jointAgencies: string[];
  inspectorsPerObject: number;
  /** Sampling ratio per stratum code, 0..1. */
  ratios: Record<string, number>;
  inspectors: PoolInspector[];
  exclusions: Exclusion[];
}

export interface DrawCommitment {
  algorithm: string;
  taskId: string;
  rosterHash: string;
  poolHash: string;
  seedCommitment: string;
  /** The audit chain event whose hash is the draw's outside input. */
  beaconSeq: number;
}

export interface DrawnObject {
  uscc: string;
  stratum: string;
  inspectorIds: string[];
}

export interface DrawResult {
  objects: DrawnObject[];
}

/** The draw as the hub publishes it (`GET /public/draws/<task>`): everything needed to recompute and check it. */
export interface PublishedDraw {
  commitment: DrawCommitment;
  roster: RosterEntry[];
  pool: DrawPool;
  /** Revealed at the draw: null before. */
  reveal: { seed: string; beaconHash: string } | null;
  result: DrawResult | null;
  resultHash: string | null;
  signature: { keyId: string; publicKey: string; value: string } | null;
  /** The audit head the hub signed at the beacon event: null before the draw. */
  beaconHead: SignedHead | null;
}

/** A signed audit chain head (src/audit/audit-log.ts `signHead`): Ed25519 over `"<seq>:<hash>"`. */
export interface SignedHead {
  seq: number;
  hash: string;
  keyId: string;
  signature: string;
}

/** The bytes a signed audit head covers. */
export const headSignedContent = (seq: number, hash: string): Buffer => Buffer.from(`${seq}:${hash}`);

/** Why the draw cannot be made from these inputs; the hub refuses the draw with it (nothing is stored). */
export class DrawInputError extends Error {
  constructor(
    readonly reason: 'EMPTY_ROSTER' | 'TOO_FEW_INSPECTORS',
    message: string,
  ) {
    super(message);
    this.name = 'DrawInputError';
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const rosterHashOf = (roster: readonly RosterEntry[]): string => sha256(canonicalJson(roster));
export const poolHashOf = (pool: DrawPool): string => sha256(canonicalJson(pool));
export const seedCommitmentOf = (seed: string): string => sha256(`xietong-draw-seed:${seed}`);
export const resultHashOf = (result: DrawResult): string => sha256(canonicalJson(result));

/** The bytes the hub signs for a draw. */
export function signedContent(commitment: DrawCommitment, reveal: { seed: string; beaconHash: string }, resultHash: string): Buffer {
  return Buffer.from(canonicalJson({ ...commitment, beacon: commitment.beaconSeq, seed: reveal.seed, beaconHash: reveal.beaconHash, resultHash }));
}

const TWO_48 = 2 ** 48;

/** A deterministic stream of integers below a bound, keyed by the draw and labelled per use. */
class Stream {
  private counter = 0;
  constructor(
    private readonly key: Buffer,
    private readonly label: string,
  ) {}

  below(bound: number): number {
    const limit = Math.floor(TWO_48 / bound) * bound;
    for (;;) {
      const block = createHmac('sha256', this.key).update(`${this.label}:${this.counter++}`).digest();
      const value = block.readUIntBE(0, 6);
      if (value < limit) return value % bound;
    }
  }
}

/** The first `count` of `items` after a partial Fisher–Yates shuffle on `stream` (items not changed). */
function pick<T>(items: readonly T[], count: number, stream: Stream): T[] {
  const a = [...items];
  const n = Math.min(count, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + stream.below(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** How many of a stratum of `size` members its ratio draws. */
export const drawCount = (size: number, ratio: number): number => Math.min(size, Math.ceil(size * ratio - 1e-9));

/** How many objects a frozen roster draws at its ratios: known at commitment, whatever the seed (step 3). */
export function objectsToDraw(roster: readonly RosterEntry[], ratios: Readonly<Record<string, number>>): number {
  const sizes: Record<string, number> = {};
  for (const entry of roster) sizes[entry.stratum] = (sizes[entry.stratum] ?? 0) + 1;
  return drawCountOf(sizes, ratios);
}

/** The same from the roster's stratum sizes (members per stratum), as a task's read shows them. */
export function drawCountOf(sizes: Readonly<Record<string, number>>, ratios: Readonly<Record<string, number>>): number {
  return Object.entries(sizes).reduce((n, [stratum, size]) => n + drawCount(size, ratios[stratum] ?? 0), 0);
}

/** The draw itself: pure, deterministic in its inputs. Throws DrawInputError when it cannot be made. */
export function computeDraw(
  commitment: DrawCommitment,
  roster: readonly RosterEntry[],
  pool: DrawPool,
  reveal: { seed: string; beaconHash: string },
): DrawResult {
  if (roster.length === 0) throw new DrawInputError('EMPTY_ROSTER', 'The roster holds no object to draw');
  const key = createHash('sha256')
    .update(
      canonicalJson({
        algorithm: commitment.algorithm,
        taskId: commitment.taskId,
        rosterHash: commitment.rosterHash,
        poolHash: commitment.poolHash,
        seed: reveal.seed,
        beaconHash: reveal.beaconHash,
      }),
    )
    .digest();
  const strata = [...new Set(roster.map((e) => e.stratum))].sort();
  const drawn: RosterEntry[] = [];
  for (const stratum of strata) {
    const members = roster.filter((e) => e.stratum === stratum);
    drawn.push(...pick(members, drawCount(members.length, pool.ratios[stratum] ?? 0), new Stream(key, `objects:${stratum}`)));
  }
  const excluded = new Set(pool.exclusions.map((x) => `${x.uscc}|${x.inspectorId}`));
  const agencies = [pool.leadAgency, ...[...pool.jointAgencies].sort()];
  const objects = drawn.map((entry): DrawnObject => {
    const inspectorIds: string[] = [];
    for (const agency of agencies) {
      const needed = agency === pool.leadAgency ? pool.inspectorsPerObject : 1;
      const eligible = pool.inspectors
        .filter((i) => i.agency === agency && !excluded.has(`${entry.uscc}|${i.id}`))
        .map((i) => i.id)
        .sort();
      if (eligible.length < needed) {
        throw new DrawInputError('TOO_FEW_INSPECTORS', `${entry.uscc} has ${eligible.length} eligible ${agency} inspectors; the draw needs ${needed}`);
      }
      inspectorIds.push(...pick(eligible, needed, new Stream(key, `inspectors:${entry.uscc}:${agency}`)));
    }
    return { uscc: entry.uscc, stratum: entry.stratum, inspectorIds };
  });
  return { objects };
}

/** One check of a verification and whether it held. */
export interface DrawCheck {
  check: string;
  ok: boolean;
  detail?: string;
}

/**
 * How a verification ended: `match` only when every check held and the signatures are by the key
 * the verifier trusts; `self-consistent` when every check held against the key the document
 * itself names (anyone can make such a document: the signer is not verified); else `mismatch`.
 */
export type DrawVerdict = 'match' | 'self-consistent' | 'mismatch';

const signedBy = (content: Buffer, signature: string, keyPem: string): boolean => {
  try {
    return verify(null, content, createPublicKey(keyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Recomputes a published draw from its own inputs and checks every link: the roster and pool
 * against their committed hashes, the seed against its commitment, the beacon hash against the
 * audit head signed at the beacon event, the result against a fresh computation, the signatures
 * against the trusted key (none given: against the published key, which proves nothing of who signed).
 */
export function verifyPublishedDraw(draw: PublishedDraw, trustedPublicKeyPem?: string): { match: boolean; verdict: DrawVerdict; checks: DrawCheck[] } {
  const checks: DrawCheck[] = [];
  const c = draw.commitment;
  checks.push({ check: 'algorithm', ok: c.algorithm === DRAW_ALGORITHM, detail: c.algorithm });
  checks.push({ check: 'rosterHash', ok: rosterHashOf(draw.roster) === c.rosterHash });
  checks.push({ check: 'poolHash', ok: poolHashOf(draw.pool) === c.poolHash });
  if (!draw.reveal || !draw.result || !draw.resultHash || !draw.signature) {
    checks.push({ check: 'drawn', ok: false, detail: 'the task is committed but not drawn yet' });
    return { match: false, verdict: 'mismatch', checks };
  }
  checks.push({ check: 'seedCommitment', ok: seedCommitmentOf(draw.reveal.seed) === c.seedCommitment });
  let recomputed: DrawResult | null = null;
  try {
    recomputed = computeDraw(c, draw.roster, draw.pool, draw.reveal);
  } catch (error) {
    checks.push({ check: 'result', ok: false, detail: (error as Error).message });
  }
  if (recomputed) checks.push({ check: 'result', ok: canonicalJson(recomputed) === canonicalJson(draw.result) });
  checks.push({ check: 'resultHash', ok: resultHashOf(draw.result) === draw.resultHash });
  const key = trustedPublicKeyPem ?? draw.signature.publicKey;
  const against = trustedPublicKeyPem ? 'against the trusted key' : 'against the published key only: signer not verified';
  checks.push({ check: 'signature', ok: signedBy(signedContent(c, draw.reveal, draw.resultHash), draw.signature.value, key), detail: against });
  const head = draw.beaconHead;
  checks.push({
    check: 'beaconHead',
    ok: !!head && head.seq === c.beaconSeq && head.hash === draw.reveal.beaconHash && signedBy(headSignedContent(head.seq, head.hash), head.signature, key),
    detail: head ? `audit head ${head.seq} signed ${against}` : 'no signed audit head at the beacon event',
  });
  const verdict: DrawVerdict = !checks.every((k) => k.ok) ? 'mismatch' : trustedPublicKeyPem ? 'match' : 'self-consistent';
  return { match: verdict === 'match', verdict, checks };
}

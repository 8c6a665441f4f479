import { ReplicaLag } from './replica-lag';

/**
 * The replica's lag as polls see it: the primary's WAL head read first, then the replica's replay
 * position. The primary here writes steadily, 4 bytes of WAL a millisecond, so what the replica has
 * replayed tells exactly when the primary had written it, and its true lag is known.
 */
const POLL_MS = 250;
const RATE = 4n;
const walAt = (ms: number) => BigInt(ms) * RATE;
const writtenAt = (lsn: bigint) => Number(lsn / RATE);

/** Polls every 250 ms from `from` until `to` (ms); the replica's replay position is read 5 ms after the primary's head. */
function poll(lag: ReplicaLag, from: number, to: number, replayedAt: (now: number) => bigint, each?: (now: number, replayed: bigint) => void) {
  for (let at = from; at <= to; at += POLL_MS) {
    lag.primarySeen(walAt(at), at);
    const now = at + 5;
    const replayed = replayedAt(now);
    lag.replicaReplayed(replayed);
    each?.(now, replayed);
  }
}

describe('ReplicaLag', () => {
  it('counts a replica that trails a steadily written primary by 100 ms as that close, never closer, never a poll further', () => {
    const lag = new ReplicaLag(121);
    poll(
      lag,
      0,
      10_000,
      (now) => walAt(now - 100),
      (now, replayed) => {
        if (now < 500) return;
        const truly = (now - writtenAt(replayed)) / 1000;
        expect(lag.lagSeconds(now)).not.toBeNull();
        expect(lag.lagSeconds(now)!).toBeGreaterThanOrEqual(truly);
        expect(lag.lagSeconds(now)!).toBeLessThanOrEqual(truly + POLL_MS / 1000);
      },
    );
    // Between polls the bound grows with the clock: the replica may have replayed nothing since.
    expect(lag.lagSeconds(10_005 + 60_000)!).toBeGreaterThan(60);
  });

  it('bounds the lag of a replica whose replay wanders behind a steady primary, from above and within one poll', () => {
    const lag = new ReplicaLag(121);
    // Behind by 0 to 3 s, moving forward only (a replica never replays backwards).
    let replayed = 0n;
    let seed = 7;
    const behind = () => ((seed = (seed * 48271) % 2147483647) % 3000) | 0;
    poll(
      lag,
      0,
      20_000,
      (now) => (replayed = [replayed, walAt(Math.max(0, now - behind()))].reduce((a, b) => (a > b ? a : b))),
      (now, r) => {
        if (now < 3_500) return;
        const truly = (now - writtenAt(r)) / 1000;
        expect(lag.lagSeconds(now)!).toBeGreaterThanOrEqual(truly);
        expect(lag.lagSeconds(now)!).toBeLessThanOrEqual(truly + POLL_MS / 1000);
      },
    );
  });

  it('lets the lag of a replica that stopped replaying grow with the clock, and falls back once it has caught up', () => {
    const lag = new ReplicaLag(121);
    poll(lag, 0, 2_000, (now) => walAt(now - 50));
    const stuck = walAt(1_955);
    poll(lag, 2_250, 12_000, () => stuck);
    expect(lag.lagSeconds(12_005)!).toBeGreaterThanOrEqual((12_005 - 1_955) / 1000);
    // It replays everything the primary had by 11 s: its data is at most 1 s (and a poll) old.
    lag.primarySeen(walAt(12_250), 12_250);
    lag.replicaReplayed(walAt(11_000));
    expect(lag.lagSeconds(12_255)!).toBeGreaterThanOrEqual(1.255);
    expect(lag.lagSeconds(12_255)!).toBeLessThanOrEqual(1.255 + POLL_MS / 1000);
  });

  it('counts a replica of an idle primary that has replayed its head as caught up', () => {
    const lag = new ReplicaLag(121);
    expect(lag.lagSeconds(0)).toBeNull();
    for (let at = 0; at <= 5_000; at += POLL_MS) {
      lag.primarySeen(walAt(100), at);
      lag.replicaReplayed(walAt(100));
      expect(lag.lagSeconds(at + 5)).toBe(0.005);
    }
  });

  it('knows no lag of a replica until it has replayed a position the primary was seen at', () => {
    const lag = new ReplicaLag(121);
    poll(lag, 0, 5_000, () => walAt(0) - 1n);
    expect(lag.lagSeconds(5_005)).toBeNull();
  });

  it('errs towards more lag, never less, once the replica trails further than the positions it keeps', () => {
    const lag = new ReplicaLag(4);
    poll(lag, 0, 500, (now) => walAt(now - 10));
    // Stuck past the primary's head of 250 ms while the 4 positions kept move on to the last second's.
    poll(lag, 750, 10_000, () => walAt(495));
    lag.replicaReplayed(walAt(9_000));
    expect(lag.lagSeconds(10_005)).toBe((10_005 - 250) / 1000);
    // Past kept positions again: within a poll of the truth.
    lag.primarySeen(walAt(10_250), 10_250);
    lag.replicaReplayed(walAt(9_600));
    const truly = (10_255 - 9_600) / 1000;
    expect(lag.lagSeconds(10_255)!).toBeGreaterThanOrEqual(truly);
    expect(lag.lagSeconds(10_255)!).toBeLessThanOrEqual(truly + POLL_MS / 1000);
  });

  it('forgets what it knew when the replica reports an earlier position than before (another standby at the same address)', () => {
    const lag = new ReplicaLag(121);
    poll(lag, 0, 2_000, (now) => walAt(now - 10));
    expect(lag.lagSeconds(2_005)).not.toBeNull();
    lag.primarySeen(walAt(2_250), 2_250);
    lag.replicaReplayed(walAt(100));
    expect(lag.lagSeconds(2_255)).toBeNull();
  });
});

/**
 * At most `limit` holders at once; the rest wait in arrival order, at most `maxWaiting` of them.
 * `acquire` with a wait bound gives up after it (resolving null) so a caller can be refused
 * instead of queued forever; beyond `maxWaiting` it gives up at once.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<(granted: boolean) => void> = [];

  constructor(
    readonly limit: number,
    private readonly maxWaiting = Infinity,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** A release function once a slot is free, or null if none freed within `waitMs`. */
  acquire(waitMs = Infinity): Promise<(() => void) | null> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (waitMs <= 0 || this.waiting.length >= this.maxWaiting) return Promise.resolve(null);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const wake = (granted: boolean) => {
        if (timer) clearTimeout(timer);
        resolve(granted ? this.releaser() : null);
      };
      this.waiting.push(wake);
      if (Number.isFinite(waitMs)) {
        timer = setTimeout(() => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          wake(false);
        }, waitMs);
      }
    });
  }

  /** Runs `fn` in a slot, waiting as long as it takes. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = (await this.acquire())!;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      const next = this.waiting.shift();
      if (next) next(true);
      else this.active -= 1;
    };
  }
}

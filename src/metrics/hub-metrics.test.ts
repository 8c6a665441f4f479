import { HubMetrics } from './hub-metrics';
import { outcomeOfAnswer, SignatureLabels, startRequestMeter } from './request-meter';
import type { ScrapeSources } from './scrape-sources';

const noSources: ScrapeSources = { streams: async () => [], queues: async () => [], pools: () => [] };

/** The value of `name{labels…}` in an exposition text (labels in the order the registry prints them). */
const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('HubMetrics', () => {
  it('keeps each hub’s metrics in its own registry: two in one process do not collide', async () => {
    const a = new HubMetrics(noSources);
    const b = new HubMetrics(noSources);
    a.tokenVerified('OK');
    expect(valueOf(await a.scrape(), 'xietong_token_verifications_total{result="OK"}')).toBe(1);
    expect(valueOf(await b.scrape(), 'xietong_token_verifications_total{result="OK"}')).toBeUndefined();
  });

  it('answers a scrape when a source hangs, without its series, and asks a hung source only once', async () => {
    let asked = 0;
    const metrics = new HubMetrics(
      {
        streams: () => {
          asked++;
          return new Promise(() => undefined);
        },
        queues: async () => [{ queue: 'sync-transport', counts: { waiting: 2, active: 1, delayed: 0, failed: 0 } }],
        pools: () => [{ pool: 'hub', inUse: 1, idle: 3, waiting: 0 }],
      },
      { sourceTimeoutMs: 20 },
    );
    for (let scrape = 0; scrape < 2; scrape++) {
      const text = await metrics.scrape();
      expect(valueOf(text, 'xietong_metrics_source_up{source="sync"}')).toBe(0);
      expect(valueOf(text, 'xietong_metrics_source_up{source="queues"}')).toBe(1);
      expect(text).not.toMatch(/^xietong_sync_lag_seconds\{/m);
      expect(valueOf(text, 'xietong_queue_jobs{queue="sync-transport",state="waiting"}')).toBe(2);
      expect(valueOf(text, 'xietong_db_pool_connections{pool="hub",state="in_use"}')).toBe(1);
    }
    expect(asked).toBe(1);
  });

  it('reports how late the event loop ran in each scrape window: a stall shows in the scrape after it, then not again', async () => {
    const metrics = new HubMetrics(noSources);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const blockedUntil = Date.now() + 150;
    while (Date.now() < blockedUntil);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(valueOf(await metrics.scrape(), 'xietong_event_loop_delay_seconds{quantile="max"}')).toBeGreaterThanOrEqual(0.1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(valueOf(await metrics.scrape(), 'xietong_event_loop_delay_seconds{quantile="max"}')).toBeLessThan(0.1);
  });

  it('marks a source that fails as down and leaves none of its old series', async () => {
    let fail = false;
    const metrics = new HubMetrics({
      ...noSources,
      streams: async () => {
        if (fail) throw new Error('connection refused');
        return [
          {
            system: 'TRANSPORT',
            stream: 'vehicles',
            lagSeconds: 30,
            lastSuccessAt: new Date(0),
            rows: { inserted: 5, updated: 0, deleted: 0 },
            quarantined: 2,
          },
        ];
      },
    });
    expect(valueOf(await metrics.scrape(), 'xietong_sync_lag_seconds{system="TRANSPORT",stream="vehicles"}')).toBe(30);
    fail = true;
    const text = await metrics.scrape();
    expect(valueOf(text, 'xietong_metrics_source_up{source="sync"}')).toBe(0);
    expect(text).not.toContain('stream="vehicles"');
  });
});

describe('request meter', () => {
  const observed: Array<{ labels: Record<string, string>; seconds: number }> = [];
  const meter = (limit = 10) => startRequestMeter((labels, seconds) => observed.push({ labels, seconds }), new SignatureLabels(limit));
  beforeEach(() => {
    observed.length = 0;
  });

  it('observes once, with a refusal sent in place of the answer counted as the outcome', () => {
    const m = meter();
    m.callerIs('suzhou-psb');
    m.answered('abc', 'OK');
    // The audit event could not be written: the front refuses instead of sending the answer.
    m.refused('AUDIT_UNAVAILABLE');
    m.end(503, true);
    m.end(503, true);
    expect(observed).toEqual([{ labels: { signature: 'abc', agency: 'suzhou-psb', outcome: 'AUDIT_UNAVAILABLE' }, seconds: expect.any(Number) }]);
  });

  it('names an edge refusal, a client that left, and an answer nobody named by its status', () => {
    const refused = meter();
    refused.refused('UNAUTHENTICATED');
    refused.end(401, true);
    const left = meter();
    left.callerIs('suzhou-psb');
    left.end(200, false);
    const unnamed = meter();
    unnamed.end(400, true);
    expect(observed.map((o) => o.labels)).toEqual([
      { signature: 'none', agency: 'none', outcome: 'UNAUTHENTICATED' },
      { signature: 'none', agency: 'suzhou-psb', outcome: 'ABORTED' },
      { signature: 'none', agency: 'none', outcome: 'BAD_REQUEST' },
    ]);
  });

  it('labels at most the limit of distinct signatures, the rest as other', () => {
    const labels = new SignatureLabels(2);
    expect(['a', 'b', 'c', 'a', null].map((s) => labels.labelOf(s))).toEqual(['a', 'b', 'other', 'a', 'none']);
  });

  it('takes the first error code of an answer, and only codes in the shape the hub gives them', () => {
    expect(outcomeOfAnswer({})).toBe('OK');
    expect(outcomeOfAnswer({ errors: [] })).toBe('OK');
    expect(outcomeOfAnswer({ errors: [{ extensions: { code: 'FORBIDDEN' } }, { extensions: { code: 'NOT_FOUND' } }] })).toBe('FORBIDDEN');
    expect(outcomeOfAnswer({ errors: [{ extensions: { code: '苏E12345' } }] })).toBe('INTERNAL_SERVER_ERROR');
    expect(outcomeOfAnswer({ errors: [{}] })).toBe('INTERNAL_SERVER_ERROR');
  });
});

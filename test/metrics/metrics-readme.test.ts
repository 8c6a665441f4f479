import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { HubMetrics } from '../../src/metrics/hub-metrics';

/** The README's Metrics table: one row per metric, `| `name` | type | labels | meaning |`. */
function documentedMetrics(): Map<string, { type: string; labels: string }> {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const section = /\n## Metrics\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const rows = new Map<string, { type: string; labels: string }>();
  for (const m of section.matchAll(/^\| `(xietong_\w+)` \| (\w+) \| ([^|]*) \|/gm)) rows.set(m[1], { type: m[2], labels: m[3] });
  return rows;
}

describe('the README documents every metric', () => {
  const catalogue = new HubMetrics({ streams: async () => [], queues: async () => [], pools: () => [] }).catalogue;
  const documented = documentedMetrics();

  it('lists exactly the metrics the hub registers', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(10);
    expect([...documented.keys()].sort()).toEqual(catalogue.map((m) => m.name).sort());
  });

  it.each(catalogue.map((m) => [m.name, m] as const))('%s: its type and every label', (name, metric) => {
    const row = documented.get(name);
    expect(row?.type).toBe(metric.type);
    for (const label of metric.labels) expect(row?.labels).toContain(`\`${label}\``);
  });
});

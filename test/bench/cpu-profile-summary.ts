import path from 'node:path';
import { projectRoot } from '../../src/config';

/** The parts of V8's `.cpuprofile` the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package under node_modules, a hub directory, node's own or V8's. */
function placeOf(url: string): string {
  if (!url) return '(v8)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const relative = path.relative(projectRoot, file).replace(/^dist\//, '');
  return path.dirname(relative);
}

const frameOf = (frame: CpuProfile['nodes'][number]['callFrame']) => {
  const file = frame.url ? frame.url.replace(/^file:\/\//, '').replace(`${projectRoot}/`, '') : '';
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
};

/**
 * Self time (samples in the frame itself) and inclusive time (samples with the frame anywhere on
 * the stack, counted once per sample) of the `top` busiest functions, and self time by place,
 * each as a share of the busy samples (idle and GC roots excluded from the total, GC listed).
 * Only the samples of the profile's last `lastMs` count: the process's start (loading modules,
 * building the schema) is not what a request costs.
 */
export function summariseProfile(profile: CpuProfile, top: number, lastMs: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hitCounts = new Map<number, number>();
  let at = profile.startTime;
  const from = profile.endTime - lastMs * 1000;
  for (const [i, id] of profile.samples.entries()) {
    at += profile.timeDeltas[i];
    if (at >= from) hitCounts.set(id, (hitCounts.get(id) ?? 0) + 1);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const places = new Map<string, number>();
  let busy = 0;
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  const walk = (id: number, onStack: Set<string>) => {
    const node = byId.get(id)!;
    const key = frameOf(node.callFrame);
    const hits = hitCounts.get(id) ?? 0;
    const name = node.callFrame.functionName;
    if (hits && name !== '(idle)' && name !== '(program)') {
      busy += hits;
      add(self, key, hits);
      add(places, name === '(garbage collector)' ? '(gc)' : placeOf(node.callFrame.url), hits);
      for (const k of onStack) add(inclusive, k, hits);
      if (!onStack.has(key)) add(inclusive, key, hits);
    }
    const added = !onStack.has(key);
    if (added) onStack.add(key);
    for (const child of node.children ?? []) walk(child, onStack);
    if (added) onStack.delete(key);
  };
  walk(profile.nodes[0].id, new Set());
  const share = (n: number) => `${((100 * n) / busy).toFixed(1).padStart(5)} %`;
  const list = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${share(v)}  ${k}`)
      .join('\n');
  return [
    `busy samples: ${busy}`,
    '### self time by place',
    list(places, 30),
    '### self time by function',
    list(self, top),
    '### inclusive time by function',
    list(inclusive, top),
    "### inclusive time of the hub's own functions",
    list(new Map([...inclusive].filter(([k]) => k.includes(' dist/src/'))), top),
  ].join('\n');
}

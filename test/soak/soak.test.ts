import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { FAULTS, type Fault, type SoakReport } from './soak-run';

const FAULTS_IN_CI: Fault[] = FAULTS.filter((f) => f !== 'pg-restart' && f !== 'redis-restart');

/** `npm run soak` as CI runs it (compiled, its own process: the private embedded PostgreSQL cannot load inside jest). */
function soak(args: string[]): Promise<{ code: number | null; report: SoakReport | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/test/soak/soak.js'), ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, report: out.trim() ? (JSON.parse(out) as SoakReport) : null, err }));
  });
}

// The CI-sized soak: under a minute of load on two hubs and two workers, each fault once; the long run is `npm run soak`.
describe('the soak, CI-sized', () => {
  it('recovers from each fault by itself and ends exact: one audit event per answered request, chain intact, hub equal to the sources, no run left RUNNING', async () => {
    // The restarts have focused tests of their own, seconds long: pg-restart.test.ts and redis-restart.test.ts.
    const { code, report, err } = await soak([
      '--minutes',
      '0.75',
      '--rps',
      '3',
      '--size',
      '0.01',
      '--embedded-port',
      '54359',
      '--faults',
      FAULTS_IN_CI.join(','),
    ]);
    if (!report) throw new Error(`no report (exit ${code}): ${err}`);
    expect(report.exactness).toEqual({
      answeredWithoutOneEvent: 0,
      chainIntact: true,
      runningRuns: 0,
      tablesEqualSources: { vehicle: true, operator_licence: true, enforcement_case: true, practitioner: true, weighing: true },
      capturesMissing: 0,
      capturesDuplicated: 0,
    });
    expect(report.faults.map((f) => f.fault)).toEqual(FAULTS_IN_CI);
    for (const fault of report.faults) expect(fault.recoverySeconds).not.toBeNull();
    // Never a 500 with internals, whatever failed.
    expect(Object.keys(report.errorsByCode).filter((c) => c.startsWith('500'))).toEqual([]);
    expect(report.requests).toBeGreaterThan(100);
    expect(code).toBe(0);
  }, 900_000);
});

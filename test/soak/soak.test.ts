import { loadConfig } from '../../src/config';
import { FAULTS, runSoak } from './soak-run';

// The CI-sized soak: under a minute of load on two hubs and two workers, each fault once (PostgreSQL
// restarted is a private embedded server's, never the machine's shared one); the long run is `npm run soak`.
describe('the soak, CI-sized', () => {
  it('recovers from each fault by itself and ends exact: one audit event per answered request, chain intact, hub equal to the sources, no run left RUNNING', async () => {
    const report = await runSoak({ minutes: 0.75, rps: 3, faults: FAULTS, size: 0.01, serverUrl: null, embeddedPort: 54359, redisUrl: loadConfig().redisUrl });
    expect(report.exactness).toEqual({
      answeredWithoutOneEvent: 0,
      chainIntact: true,
      runningRuns: 0,
      tablesEqualSources: { vehicle: true, operator_licence: true, enforcement_case: true, practitioner: true, weighing: true },
      capturesMissing: 0,
      capturesDuplicated: 0,
    });
    expect(report.faults.map((f) => f.fault)).toEqual([...FAULTS]);
    for (const fault of report.faults) expect(fault.recoverySeconds).not.toBeNull();
    // Never a 500 with internals, whatever failed.
    expect(Object.keys(report.errorsByCode).filter((code) => code.startsWith('500'))).toEqual([]);
    const pg = report.faults.find((f) => f.fault === 'pg-restart')!;
    expect(pg.detail).toMatch(/went false then true/);
    expect(pg.detail).toMatch(/\(0 without Retry-After\), 0 answered 500/);
    expect(report.requests).toBeGreaterThan(100);
  }, 900_000);
});

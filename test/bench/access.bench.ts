import 'reflect-metadata';
import { spawnHub } from './spawn-hub';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { postGraphQL } from '../support/http-post';
import { reusableToken, tokenVerificationCost } from './bench-tokens';
import { pairedMedians } from './median';
import { runBenchmark } from './bench-database';

const RUNS = 200;

/** 1,000 vehicles (two pages of 500) × 20 fields: scalars, provenance and owner. */
const QUERY = `query Fleet($after: String) {
  a: vehicles(first: 500) { edges { node { ...V } } pageInfo { endCursor } }
  b: vehicles(first: 500, after: $after) { edges { node { ...V } } }
}
fragment V on Vehicle {
  plateNumber plateColor vin vehicleType ownerUscc transportCertificateNumber transportCertificateStatus
  transportCertificateValidTo axleCount ratedTotalMassKg registrationDivision
  provenance { system recordId sourceUpdatedAt syncedAt agency }
  owner { uscc name status divisionCode }
}`;

/**
 * `npm run bench:access`: median latency of a 1,000-row × 20-field list query on the hub with
 * full access control (verification of one reusable token, agreement check before execution, the
 * grant guard on every field, the officer's row scope in SQL, the audit event) next to the same
 * hub without it, over the same database in the same run, and their ratio. Target ≤ 1.3.
 */
runBenchmark('access', async (config, db) => {
  const world = generateWorld({ seed: 20211, size: 0.1 });
  console.log(`loading a world with ${world.vehicles.length} vehicles…`);
  await loadWorld(db.pool, world, { captureFilter: () => false });
  await db.orm.em.fork().execute('analyze');
  const [guarded, open] = await Promise.all([spawnHub(config.databaseUrl), spawnHub(config.databaseUrl, { accessControl: false })]);
  try {
    const token = await reusableToken(guarded.graphqlUrl);
    const first = JSON.parse(await postGraphQL(open.graphqlUrl, QUERY, {})) as { data: { a: { pageInfo: { endCursor: string } } } };
    const after = first.data.a.pageInfo.endCursor;
    const withAccess = () => postGraphQL(guarded.graphqlUrl, QUERY, { after }, { authorization: `Bearer ${token}`, 'x-purpose': 'random-inspection' });
    const without = () => postGraphQL(open.graphqlUrl, QUERY, { after });
    const sample = JSON.parse(await withAccess()) as { data: { a: { edges: unknown[] }; b: { edges: unknown[] } } };
    const rows = sample.data.a.edges.length + sample.data.b.edges.length;
    if (rows !== 1000) throw new Error(`expected 1,000 rows with access control, got ${rows}`);
    const [on, off] = await pairedMedians(withAccess, without, RUNS, 50);
    const ratio = on / off;
    console.log(
      `${rows} rows × 20 fields: with access control ${on.toFixed(2)} ms, without ${off.toFixed(2)} ms (p50 of ${RUNS}), ratio ${ratio.toFixed(2)}; target ≤ 1.3: ${ratio <= 1.3 ? 'met' : 'NOT met'}`,
    );
    const cost = await tokenVerificationCost(config, guarded.graphqlUrl, token, db.pool, 1000);
    console.log(
      `token verification per request: ${cost.verify.toFixed(3)} ms (reusable token, no database);` +
        ` the replay insert single-use tokens paid: ${cost.replayInsert.toFixed(3)} ms (p50 of 1000)`,
    );
  } finally {
    await Promise.all([guarded.stop(), open.stop()]);
  }
});

import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { loadConfig } from '../../src/config';
import { EXPORT_QUEUE, type ExportJobData } from '../../src/export/export-jobs';
import { queueBackend } from '../../src/sync/queue-backend';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * An export queued by an instance that stopped before writing it is not stranded: an instance that
 * has written none yet (so runs no export worker) looks for such exports and writes them.
 */

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const ENTERPRISES = `query Firms($after: String) { enterprises(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { uscc name } } } }`;
const prefix = `xt_stranded_${process.pid}`;
/** The queues of the test hub and of the instance that died alike: Redis when the tests have it. */
const QUEUES = { QUEUE_PREFIX: prefix, ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) };

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('stranded_export', { size: 0.005, env: { EXPORT_STRANDED_CHECK_SECONDS: '1', ...QUEUES } });
}, 120_000);
afterAll(async () => t?.close());

it('is written by another instance that looks for exports nobody writes', async () => {
  const headers = await t.headersAs(ANALYST);
  const claims = decodeJwt(headers.authorization.slice('Bearer '.length));
  // What the instance that died had queued (POST /exports's job), in the queue all instances share.
  const config = loadConfig({ DATABASE_URL: t.hub.db.url, ...QUEUES });
  const queue = queueBackend(config, t.hub.db.url).createQueue<ExportJobData>(EXPORT_QUEUE);
  const id = randomUUID();
  try {
    await queue.add(
      'export',
      {
        owner: { agency: 'suzhou-transport', subject: String(claims.sub) },
        viewer: { agency: 'suzhou-transport', subject: String(claims.sub), roles: ['analyst'], divisions: [], tokenId: claims.jti },
        token: { id: claims.jti!, issuedAt: claims.iat!, expiresAt: claims.exp! },
        query: { query: ENTERPRISES, operationName: 'Firms', variables: {}, extensions: { purpose: 'statistics' } },
        format: 'CSV',
      } as ExportJobData,
      { jobId: id, attempts: 1 },
    );
    let status: { state: string; result: { rows: number } | null } = { state: 'queued', result: null };
    const deadline = Date.now() + 20_000;
    while (status.state !== 'done' && status.state !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await (await fetch(`${t.hub.url}/exports/${id}`, { headers })).json()) as typeof status;
    }
    expect(status).toMatchObject({ state: 'done', result: { rows: t.world.enterprises.length } });
  } finally {
    await queue.close();
  }
});

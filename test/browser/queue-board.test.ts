import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { chromium, type Browser, type Page as BrowserPage } from 'playwright-core';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf } from '../../src/sync/sync-job';
import { agreementsWithQueueOperator, failedJob, QUEUE_OPERATOR } from '../support/queue-operator';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/** Debian's Chromium (`apt-get install chromium`); CI sets XIETONG_REQUIRE_BROWSER so it cannot be skipped there. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.XIETONG_REQUIRE_BROWSER) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
if (!haveChromium) process.stderr.write(`queue dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
const SCREENSHOTS = path.join(__dirname, '..', '.output');

/** The little of the browser's document these checks touch (the project compiles without the DOM library). */
interface Page {
  cookie: string;
  body: { textContent: string | null };
}

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'] };
const TRANSPORT = queueNameOf(SourceSystem.TRANSPORT);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-queue-board-browser-'));

describe('the queue dashboard in a browser', () => {
  let t: TestHub;
  let transport: Queue;
  let browser: Browser | null = null;
  const prefix = `xt_board_browser_${process.pid}`;
  const backend = () => queueBackend({ redisUrl: null }, t.hub.db.url, prefix);

  beforeAll(async () => {
    t = await startTestHub('queue_board_browser', { env: { AGREEMENTS_FILE: agreementsWithQueueOperator(dir), QUEUE_PREFIX: prefix } });
    transport = backend().createQueue(TRANSPORT) as unknown as Queue;
    if (haveChromium) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await transport?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A page signed in through the dashboard's form as `caller`, with what it logged wrong and every request it sent elsewhere. */
  async function signedIn(caller: TestCaller): Promise<{ page: BrowserPage; problems: string[]; elsewhere: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(t.hub.url)) elsewhere.push(request.url());
    });
    // Without a session the dashboard sends a person to its sign-in form.
    await page.goto(`${t.hub.url}/admin/queues/`);
    expect(new URL(page.url()).pathname).toBe('/admin/queues/sign-in');
    await page.fill('#token', (await t.headersAs(caller)).authorization.slice('Bearer '.length));
    await Promise.all([page.waitForURL(`${t.hub.url}/admin/queues/`), page.click('button[type="submit"]')]);
    return { page, problems, elsewhere };
  }

  const screenshot = async (page: BrowserPage, name: string) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, name);
    await page.screenshot({ path: file });
    process.stdout.write(`queue dashboard screenshot: ${file}\n`);
  };

  (haveChromium ? it : it.skip)('signs the administrator in with a token and shows the sync queues, loading nothing but the hub', async () => {
    const { page, problems, elsewhere } = await signedIn(ADMIN);
    const queues = Object.values(SourceSystem).map(queueNameOf);
    await page.waitForFunction(
      (names) => names.every((name) => (globalThis as unknown as { document: Page }).document.body.textContent?.includes(name)),
      queues,
    );
    // The session's token is out of the page's reach; its CSRF token is not.
    const cookies = await page.evaluate(() => (globalThis as unknown as { document: Page }).document.cookie);
    expect(cookies).toContain('XSRF-TOKEN=');
    expect(cookies).not.toContain('xietong_queue_board');
    await screenshot(page, 'queue-board.png');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });

  (haveChromium ? it : it.skip)("retries a failed job from the dashboard's own page for a caller granted retry", async () => {
    const jobId = await failedJob(backend(), transport, { system: 'TRANSPORT', stream: 'vehicles', mode: 'INCREMENTAL' });
    const { page, problems } = await signedIn(QUEUE_OPERATOR);
    await page.goto(`${t.hub.url}/admin/queues/queue/${TRANSPORT}?status=failed`);
    // The UI's own request (axios) echoes the CSRF cookie in its header, as the hub requires of a session's action.
    await page.getByRole('button', { name: 'Retry all', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    for (let i = 0; i < 100 && (await transport.getJobState(jobId)) === 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await transport.getJobState(jobId)).not.toBe('failed');
    await screenshot(page, 'queue-board-retry.png');
    expect(problems).toEqual([]);
    await transport.remove(jobId);
  });
});

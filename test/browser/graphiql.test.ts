import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { demoSignIn } from '../../src/demo/demo-sign-in';
import { createGraphiqlRoutes } from '../../src/http/graphiql/graphiql-routes';
import { startTestHub, type TestHub } from '../support/test-hub';

/** Debian's Chromium (`apt-get install chromium`); CI sets XIETONG_REQUIRE_BROWSER so it cannot be skipped there. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.XIETONG_REQUIRE_BROWSER) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
if (!haveChromium) process.stderr.write(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
const SCREENSHOTS = path.join(__dirname, '..', '.output');

/** The little of the browser's document these checks touch (the project compiles without the DOM library). */
interface Page {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(selector: string): { textContent: string | null } | null;
}

describe('GraphiQL served by the hub', () => {
  let t: TestHub;
  beforeAll(async () => {
    const dataDir = loadConfig({}).dataDir;
    t = await startTestHub('graphiql', { hub: { devSignIn: demoSignIn(dataDir) } });
  });
  afterAll(async () => t?.close());

  it('serves the page to a browser and the API to everyone else', async () => {
    const page = await fetch(t.hub.graphqlUrl, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/graphiql/assets/graphiql.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    // A GraphQL client asking for JSON still meets the API, which wants a token.
    const api = await fetch(t.hub.graphqlUrl, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
  });

  it('serves the assets from the installed packages, cacheably', async () => {
    const asset = await fetch(`${t.hub.url}/graphiql/assets/graphiql.js`);
    expect(asset.status).toBe(200);
    const etag = asset.headers.get('etag')!;
    expect((await asset.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${t.hub.url}/graphiql/assets/graphiql.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${t.hub.url}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${t.hub.url}/graphiql/assets/nothing.js`)).status).toBe(404);
  });

  it('refuses an unknown demo caller with an OAuth-style error', async () => {
    const response = await fetch(`${t.hub.url}/graphiql/dev-sign-in/assertion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ caller: 'root' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  (haveChromium ? it : it.skip)('signs in as a picked demo role and runs a query in headless Chromium', async () => {
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(t.hub.graphqlUrl);
      await page.waitForSelector('#xt-caller option[value="transport-officer"]', { state: 'attached' });
      await page.selectOption('#xt-caller', 'transport-officer');
      await page.waitForFunction(() =>
        (globalThis as unknown as { document: Page }).document.getElementById('xt-status')?.textContent?.includes('suzhou-transport'),
      );
      expect(await page.textContent('#xt-status')).toContain('officer');
      // The purpose list comes from the caller's agreements; the picked role's usual purpose is chosen.
      expect(await page.inputValue('#xt-purpose')).toBe('random-inspection');
      const plate = t.world.vehicles.find((v) => v.registrationDivision.startsWith('3205'))!;
      const query = `{ vehicle(plateNumber: "${plate.plateNumber}", plateColor: ${plate.plateColor}) { plateNumber owner { name } } }`;
      await page.waitForSelector('.graphiql-query-editor .CodeMirror');
      await page.evaluate((q) => {
        const editor = (globalThis as unknown as { document: Page }).document.querySelector('.graphiql-query-editor .CodeMirror') as {
          CodeMirror?: { setValue(v: string): void };
        } | null;
        editor?.CodeMirror?.setValue(q);
      }, query);
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(
        (p) => (globalThis as unknown as { document: Page }).document.querySelector('.graphiql-response')?.textContent?.includes(p),
        plate.plateNumber,
      );
      const response = await page.textContent('.graphiql-response');
      expect(response).toContain('"plateNumber"');
      expect(response).not.toContain('"errors"');
      // The query (a plate) stays in the page: nothing of GraphiQL's is left in the browser's storage.
      const stored = await page.evaluate(() => {
        const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } })
          .localStorage;
        return Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
      });
      expect(stored.filter((entry) => entry.startsWith('graphiql'))).toEqual([]);
      expect(stored.join('\n')).not.toContain(plate.plateNumber);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, 'graphiql.png');
      await page.screenshot({ path: file });
      process.stdout.write(`GraphiQL screenshot: ${file}\n`);
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});

describe('GraphiQL sign-in for the demo', () => {
  const routes = createGraphiqlRoutes({
    graphqlPath: '/graphql',
    tokenEndpoint: '/oauth/token',
    devSignIn: { callers: [{ id: 'r', label: 'r', purpose: 'p' }], assertion: async () => ({ clientAssertion: 'x.y.z', scope: 'role:officer' }) },
  });

  it('answers nobody but this machine: a request from another address finds nothing', async () => {
    let status = 0;
    const req = { method: 'GET', headers: {}, socket: { remoteAddress: '10.20.30.40' } } as unknown as http.IncomingMessage;
    const res = { writeHead: (code: number) => ((status = code), res), end: () => undefined } as unknown as http.ServerResponse;
    expect(await routes(req, res, new URL('http://x/graphiql/dev-sign-in/callers'))).toBe(true);
    expect(status).toBe(404);
  });

  it('answers no request to a name that is not local (DNS rebinding), even from this machine', async () => {
    let status = 0;
    const req = { method: 'GET', headers: { host: 'attacker.example:4000' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as http.IncomingMessage;
    const res = { writeHead: (code: number) => ((status = code), res), end: () => undefined } as unknown as http.ServerResponse;
    expect(await routes(req, res, new URL('http://x/graphiql/dev-sign-in/callers'))).toBe(true);
    expect(status).toBe(404);
  });

  it('answers no request a reverse proxy on this machine relayed: it came from elsewhere', async () => {
    let status = 0;
    const req = { method: 'GET', headers: { 'x-forwarded-for': '203.0.113.9' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as http.IncomingMessage;
    const res = { writeHead: (code: number) => ((status = code), res), end: () => undefined } as unknown as http.ServerResponse;
    expect(await routes(req, res, new URL('http://x/graphiql/dev-sign-in/callers'))).toBe(true);
    expect(status).toBe(404);
  });

  it('refuses an oversized sign-in body as a bad request', async () => {
    const server = http.createServer((req, res) => void routes(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphiql/dev-sign-in/assertion`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ caller: 'r', padding: 'x'.repeat(4096) }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('GraphiQL routes without the demo', () => {
  it('mint nothing: the sign-in paths are not there', async () => {
    const routes = createGraphiqlRoutes({ graphqlPath: '/graphql', tokenEndpoint: '/oauth/token', devSignIn: null });
    const server = http.createServer((req, res) => {
      void routes(req, res, new URL(req.url ?? '/', 'http://x')).then((answered) => {
        if (!answered) res.writeHead(418).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/graphiql/dev-sign-in/callers`)).status).toBe(404);
      const html = await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('"devSignInPath":null');
      expect((await fetch(`${base}/graphql`, { headers: { accept: 'application/json' } })).status).toBe(418);
    } finally {
      server.close();
    }
  });
});

import type http from 'node:http';
import { JWT_BEARER_ASSERTION } from '../../auth';
import { isLoopback } from '../loopback';
import { SIGN_IN_SCRIPT } from '../sign-in/sign-in-script';
import { readBody } from '../read-body';
import { sendStaticAsset, type StaticAsset } from '../static-asset';
import { loadGraphiqlAssets } from './graphiql-assets';
import { GRAPHIQL_PAGE_CSS, GRAPHIQL_PAGE_SCRIPT, graphiqlHtml } from './graphiql-page';

/** A role the demo offers in the picker: what its token will claim, and the purpose it usually declares. */
export interface DevCaller {
  id: string;
  label: string;
  purpose: string;
}

/**
 * The demo's sign-in for the picker: client assertions minted with the development keys. Only
 * handed to the server in the demo, where those keys exist, and only answered on loopback.
 */
export interface DevSignIn {
  callers: readonly DevCaller[];
  /** A client assertion (RFC 7523) for the caller, and the scope its token request asks for. */
  assertion(callerId: string): Promise<{ clientAssertion: string; scope: string }>;
}

export interface GraphiqlOptions {
  graphqlPath: string;
  tokenEndpoint: string;
  devSignIn: DevSignIn | null;
}

const ASSETS_PATH = '/graphiql/assets';
export const DEV_SIGN_IN_PATH = '/graphiql/dev-sign-in';

/** The page loads only the hub's own files and talks only to the hub. */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
  res.end(body);
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown) =>
  send(res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify(body));

function notFound(res: http.ServerResponse): true {
  sendJson(res, 404, { error: 'not found' });
  return true;
}

/** Whether a request is a person's browser opening the endpoint rather than a GraphQL client. */
function wantsPage(req: http.IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && !req.headers.authorization && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html');
}

/** The sign-in's small JSON body, or null when it is too large or not JSON. */
async function readSmallJson(req: http.IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readBody(req, 1024)) as unknown;
  } catch {
    return null;
  }
}

/**
 * GraphiQL served by the hub: the page at `GET /graphql` for a browser, its assets, and in the
 * demo the role picker's sign-in. Answers the requests it owns and returns false for the rest.
 */
export function createGraphiqlRoutes(options: GraphiqlOptions): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean> {
  const assets: ReadonlyMap<string, StaticAsset> = loadGraphiqlAssets({
    'sign-in.js': { text: SIGN_IN_SCRIPT, contentType: 'text/javascript; charset=utf-8' },
    'page.js': { text: GRAPHIQL_PAGE_SCRIPT, contentType: 'text/javascript; charset=utf-8' },
    'page.css': { text: GRAPHIQL_PAGE_CSS, contentType: 'text/css; charset=utf-8' },
  });
  const page = graphiqlHtml(
    {
      graphqlPath: options.graphqlPath,
      tokenEndpoint: options.tokenEndpoint,
      clientAssertionType: JWT_BEARER_ASSERTION,
      devSignInPath: options.devSignIn ? DEV_SIGN_IN_PATH : null,
    },
    ASSETS_PATH,
  );
  const { devSignIn } = options;

  return async (req, res, url) => {
    if (url.pathname === options.graphqlPath && wantsPage(req, url)) {
      send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY, 'cache-control': 'no-cache', vary: 'accept' }, page);
      return true;
    }
    if (url.pathname.startsWith(`${ASSETS_PATH}/`) && (req.method === 'GET' || req.method === 'HEAD')) {
      const asset = assets.get(url.pathname.slice(ASSETS_PATH.length + 1));
      if (!asset) return notFound(res);
      sendStaticAsset(req, res, asset, { 'referrer-policy': 'no-referrer' });
      return true;
    }
    if (!url.pathname.startsWith(`${DEV_SIGN_IN_PATH}/`)) return false;
    // Minting assertions for any demo role is for the person at this machine, never the network.
    if (!devSignIn || !isLoopback(req)) return notFound(res);
    if (url.pathname === `${DEV_SIGN_IN_PATH}/callers` && req.method === 'GET') {
      sendJson(res, 200, { callers: devSignIn.callers });
      return true;
    }
    if (url.pathname === `${DEV_SIGN_IN_PATH}/assertion` && req.method === 'POST') {
      const body = await readSmallJson(req);
      const callerId = typeof body === 'object' && body !== null ? (body as { caller?: unknown }).caller : undefined;
      if (typeof callerId !== 'string' || !devSignIn.callers.some((c) => c.id === callerId)) {
        sendJson(res, 400, { error: 'invalid_request', error_description: `caller must be one of ${devSignIn.callers.map((c) => c.id).join(', ')}` });
        return true;
      }
      sendJson(res, 200, await devSignIn.assertion(callerId));
      return true;
    }
    return notFound(res);
  };
}

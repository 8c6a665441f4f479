import fs from 'node:fs';
import path from 'node:path';
import type {
  AppControllerRoute,
  AppViewRoute,
  BullBoardQueues,
  BullBoardRequest,
  ControllerHandlerReturnType,
  IServerAdapter,
  UIConfig,
} from '@bull-board/api/typings/app';
import { staticAssetOf, type StaticAsset } from '../static-asset';
import { renderBoardPage } from './board-page';

/** What a request gives a board route besides its path: its query, body and headers. */
export interface BoardCall {
  query: Record<string, string>;
  body: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

/** A route of the board that matched a call: its pattern (what the audit names), its parameters, and how to answer. */
export type BoardRoute =
  | { kind: 'api'; method: string; pattern: string; params: Record<string, string>; answer(call: BoardCall): Promise<ControllerHandlerReturnType> }
  | { kind: 'page'; pattern: string; answer(): string }
  | { kind: 'asset'; asset: StaticAsset };

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The UI's files, by path below its static route, read once per directory (both boards share them). */
const assetDirectories = new Map<string, ReadonlyMap<string, StaticAsset>>();

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : entry.isFile() ? [file] : [];
  });
}

function assetsUnder(dir: string): ReadonlyMap<string, StaticAsset> {
  let assets = assetDirectories.get(dir);
  if (!assets) {
    const read = new Map<string, StaticAsset>();
    for (const file of filesUnder(dir)) {
      const contentType = CONTENT_TYPES[path.extname(file)];
      // Only what the page loads, by type: anything else in the package is not served.
      if (contentType) read.set(path.relative(dir, file).split(path.sep).join('/'), staticAssetOf(fs.readFileSync(file), contentType));
    }
    assets = read;
    assetDirectories.set(dir, assets);
  }
  return assets;
}

/** The parameters of `pattern` (`/api/queues/:queueName`) in `segments`, or null when it does not match. */
function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) params[parts[i].slice(1)] = segments[i];
    else if (parts[i] !== segments[i]) return null;
  }
  return params;
}

/**
 * Bull Board served by the hub's own HTTP front, without a web framework: `createBullBoard` hands
 * this adapter its queues, API routes, entry page and static files (the `IServerAdapter`
 * contract the express and fastify adapters implement), and the hub's board route asks it which
 * route a request is before deciding whether the caller may have it. Routes are tried in the
 * order Bull Board lists them, as express would: specific paths come before `:jobId`.
 */
export class BoardServerAdapter implements IServerAdapter {
  private queues: BullBoardQueues = new Map();
  private uiConfig: UIConfig = {};
  private template = '';
  private assets: ReadonlyMap<string, StaticAsset> = new Map();
  private staticRoute = '/static';
  private entry: AppViewRoute | null = null;
  private errorHandler: ((error: Error) => ControllerHandlerReturnType) | null = null;
  private apiRoutes: AppControllerRoute[] = [];

  constructor(private readonly basePath: string) {}

  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }

  setViewsPath(viewPath: string): this {
    this.template = fs.readFileSync(path.join(viewPath, 'index.ejs'), 'utf8');
    return this;
  }

  setStaticPath(staticsRoute: string, staticsPath: string): this {
    this.staticRoute = staticsRoute;
    this.assets = assetsUnder(staticsPath);
    return this;
  }

  setEntryRoute(route: AppViewRoute): this {
    this.entry = route;
    return this;
  }

  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }

  setApiRoutes(routes: AppControllerRoute[]): this {
    this.apiRoutes = routes;
    return this;
  }

  setUIConfig(config: UIConfig): this {
    this.uiConfig = config;
    return this;
  }

  /** The route `method path` (path below the base, decoded segments) is, or null: the board has no such route. */
  route(method: string, segments: readonly string[]): BoardRoute | null {
    const verb = method.toLowerCase();
    const staticPrefix = this.staticRoute.split('/').filter(Boolean);
    if ((verb === 'get' || verb === 'head') && segments.length > staticPrefix.length && staticPrefix.every((part, i) => segments[i] === part)) {
      const asset = this.assets.get(segments.slice(staticPrefix.length).join('/'));
      return asset ? { kind: 'asset', asset } : null;
    }
    for (const route of this.apiRoutes) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes(verb as never)) continue;
      for (const pattern of Array.isArray(route.route) ? route.route : [route.route]) {
        const params = matchPattern(pattern, segments);
        if (params) return { kind: 'api', method: verb.toUpperCase(), pattern, params, answer: (call) => this.answer(route, params, call) };
      }
    }
    const entry = this.entry;
    if (entry && verb === entry.method) {
      for (const pattern of Array.isArray(entry.route) ? entry.route : [entry.route]) {
        if (matchPattern(pattern, segments)) {
          return { kind: 'page', pattern, answer: () => this.page(entry) };
        }
      }
    }
    return null;
  }

  private async answer(route: AppControllerRoute, params: Record<string, string>, call: BoardCall): Promise<ControllerHandlerReturnType> {
    const request: BullBoardRequest = { queues: this.queues, uiConfig: this.uiConfig, query: call.query, params, body: call.body, headers: call.headers };
    try {
      return await route.handler(request);
    } catch (error) {
      if (!this.errorHandler) throw error;
      return this.errorHandler(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private page(entry: AppViewRoute): string {
    const { params } = entry.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
    return renderBoardPage(this.template, params);
  }
}

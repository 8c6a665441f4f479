import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** A file the page loads, read once from the installed npm package it belongs to. */
export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * The GraphiQL page's scripts and styles come from the packages `npm ci` installed (React's UMD
 * builds and GraphiQL's own bundle), never from a CDN: the hub's users sit on networks that reach
 * nothing outside, and a page that handles police data loads no third party's code.
 */
const PACKAGE_FILES: Record<string, { module: string; contentType: string }> = {
  'react.js': { module: 'react/umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.js': { module: 'react-dom/umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.js': { module: 'graphiql/graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.css': { module: 'graphiql/graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

function assetOf(body: Buffer, contentType: string): StaticAsset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** The page's assets by name: the packages' files plus the page's own script and style. */
export function loadGraphiqlAssets(own: Record<string, { text: string; contentType: string }>): ReadonlyMap<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [name, { module, contentType }] of Object.entries(PACKAGE_FILES)) {
    assets.set(name, assetOf(fs.readFileSync(require.resolve(module)), contentType));
  }
  for (const [name, { text, contentType }] of Object.entries(own)) assets.set(name, assetOf(Buffer.from(text, 'utf8'), contentType));
  return assets;
}

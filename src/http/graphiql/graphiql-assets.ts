import fs from 'node:fs';
import path from 'node:path';
import { staticAssetOf, type StaticAsset } from '../static-asset';

/**
 * The GraphiQL page's scripts and styles come from the packages `npm ci` installed (React's UMD
 * builds and GraphiQL's own bundle), never from a CDN: the hub's users sit on networks that reach
 * nothing outside, and a page that handles police data loads no third party's code.
 */
const PACKAGE_FILES: Record<string, { pkg: string; file: string; contentType: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

/** A file inside an installed package; the packages' `exports` maps do not list their UMD builds. */
const packageFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** The page's assets by name: the packages' files plus the page's own script and style. */
export function loadGraphiqlAssets(own: Record<string, { text: string; contentType: string }>): ReadonlyMap<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [name, { pkg, file, contentType }] of Object.entries(PACKAGE_FILES)) {
    assets.set(name, staticAssetOf(fs.readFileSync(packageFile(pkg, file)), contentType));
  }
  for (const [name, { text, contentType }] of Object.entries(own)) assets.set(name, staticAssetOf(Buffer.from(text, 'utf8'), contentType));
  return assets;
}

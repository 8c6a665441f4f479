import { createHash } from 'node:crypto';
import type http from 'node:http';

/** A file a page of the hub loads, read once from the installed npm package it belongs to. */
export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

export function staticAssetOf(body: Buffer, contentType: string): StaticAsset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** Answers a GET or HEAD of `asset`, with 304 to a browser that holds it already. */
export function sendStaticAsset(req: http.IncomingMessage, res: http.ServerResponse, asset: StaticAsset, headers: Record<string, string> = {}): void {
  const all = { 'x-content-type-options': 'nosniff', 'content-type': asset.contentType, etag: asset.etag, 'cache-control': 'public, max-age=3600', ...headers };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, all);
    res.end();
  } else {
    res.writeHead(200, all);
    res.end(req.method === 'HEAD' ? '' : asset.body);
  }
}

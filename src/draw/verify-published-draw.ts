#!/usr/bin/env node
import fs from 'node:fs';
import { verifyPublishedDraw, type PublishedDraw } from './draw-algorithm';

/*
 * Recomputes a random-inspection draw from its published JSON alone, with no database and no hub
 * code beyond the algorithm (draw-algorithm.ts):
 *
 *   npm run draw:verify:published -- <file or http(s) URL of /public/draws/<task>> [--public-key hub.pem]
 *
 * Prints each check and the verdict; exits 0 on a match, 1 on a mismatch, 2 when the document
 * cannot be read, 3 when it is only self-consistent: without --public-key (the hub's audit head
 * key, obtained out of band; the hub publishes no endpoint for it) the signatures are checked
 * against the key the document names, which anyone forging a document would name.
 */
async function main(args: string[]): Promise<number> {
  const keyAt = args.indexOf('--public-key');
  const trusted = keyAt >= 0 ? fs.readFileSync(args[keyAt + 1], 'utf8') : undefined;
  const source = args.find((a, i) => !a.startsWith('--') && (keyAt < 0 || i !== keyAt + 1));
  if (!source) {
    process.stderr.write('usage: verify-published-draw <file or URL> [--public-key hub.pem]\n');
    return 2;
  }
  let draw: PublishedDraw;
  try {
    const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : fs.readFileSync(source, 'utf8');
    draw = JSON.parse(text) as PublishedDraw;
  } catch (error) {
    process.stderr.write(`cannot read ${source}: ${(error as Error).message}\n`);
    return 2;
  }
  const verdict = verifyPublishedDraw(draw, trusted);
  for (const check of verdict.checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.check}${check.detail ? ` (${check.detail})` : ''}\n`);
  const said = verdict.verdict === 'self-consistent' ? 'self-consistent, signer not verified (give --public-key)' : verdict.verdict;
  process.stdout.write(`${said}: task ${draw.commitment?.taskId}\n`);
  return { match: 0, mismatch: 1, 'self-consistent': 3 }[verdict.verdict];
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

export { main as verifyPublishedDrawMain };

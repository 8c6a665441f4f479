import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config';

export interface XietongRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the compiled `xietong` (the package's `bin`, built by `npm ci`'s prepare: `npm run build`
 * after changing src) as an operator would, with only `env` (and PATH) in its environment.
 */
export function runXietong(args: readonly string[], env: Record<string, string> = {}): Promise<XietongRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/cli/xietong.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
  });
}

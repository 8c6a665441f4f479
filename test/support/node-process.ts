import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config';

/** A compiled entry point of the hub (`npm test` builds dist/ before jest runs), running as its own process. */
export interface NodeProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  out(): string;
  err(): string;
  /** Resolves with the match once stdout matches `pattern`; fails after `seconds` or if the process exits first. */
  waitForOutput(pattern: RegExp, seconds?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `dist/<script>` with `args` and only `env` (and PATH) as its environment. */
export function startNodeProcess(script: string, args: string[], env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist', script), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    waitForOutput: (pattern, seconds = 60) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => fail(`no ${pattern} within ${seconds} s`), seconds * 1000);
        const fail = (why: string) => {
          cleanup();
          reject(new Error(`${script}: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        const onExit = (code: number | null) => fail(`exited (${code})`);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.once('exit', onExit);
        check();
      }),
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * What a command prints on stdout: `json` (with `--json`) as one line of JSON, else `human()`'s
 * lines. Nothing else goes to stdout, so that `--json` output can be piped.
 */
export function report(options: { json?: boolean }, json: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(json)}\n` : `${human().replace(/\n?$/, '\n')}`);
}

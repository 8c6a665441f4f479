import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../src/config';
import { printHubSchema, SCHEMA_FILE } from '../src/cli/schema-print';

describe('generated artifacts are committed and current', () => {
  it('schema/schema.graphql is what the code prints (run `npm run schema:print`)', async () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printHubSchema());
  });

  it('every codegen output (src/client/generated for schema/operations, test/generated for test/operations) is what codegen produces (run `npm run codegen`)', async () => {
    // Codegen runs in a plain Node process: its CLI's ESM dependencies do not load under jest.
    const script = `const cli = require('@graphql-codegen/cli');
      cli.loadCodegenConfig({ configFilePath: 'codegen.yml' }).then((r) => cli.generate({ ...r.config, cwd: process.cwd(), silent: true }, false))
      .then((o) => process.stdout.write(JSON.stringify(o)), (e) => { console.error(e); process.exit(1); })`;
    const outputs = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 }).toString()) as Array<{
      filename: string;
      content: string;
    }>;
    const files = outputs.map((o) => path.relative(projectRoot, path.resolve(projectRoot, o.filename))).sort();
    expect(files).toEqual(['src/client/generated/graphql.ts', 'test/generated/graphql.ts']);
    for (const output of outputs) expect(fs.readFileSync(path.resolve(projectRoot, output.filename), 'utf8')).toBe(output.content);
  });
});

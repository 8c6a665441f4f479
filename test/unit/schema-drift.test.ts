import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { projectRoot } from '../../src/config';
import { printHubSchema, SCHEMA_FILE } from '../../src/graphql/print-schema';

describe('generated artifacts are committed and current', () => {
  it('schema/schema.graphql is what the code prints (run `npm run schema:print`)', async () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printHubSchema());
  });

  it('test/generated/graphql.ts is what codegen produces (run `npm run codegen`)', async () => {
    const outputs = await generate({ cwd: projectRoot, configFilePath: path.join(projectRoot, 'codegen.yml'), silent: true } as never, false);
    const output = (outputs as Array<{ filename: string; content: string }>).find((o) => o.filename.endsWith('test/generated/graphql.ts'));
    expect(output).toBeDefined();
    expect(fs.readFileSync(path.join(projectRoot, 'test/generated/graphql.ts'), 'utf8')).toBe(output!.content);
  });
});

import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { projectRoot } from '../config';
import { HUB_PARTS } from '../graphql/composition';
import { buildHubSchema } from '../graphql/schema';

/** Where the printed schema is committed. */
export const SCHEMA_FILE = path.join(projectRoot, 'schema', 'schema.graphql');

const HEADER = '# Generated from the type-graphql classes by `npm run schema:print`. Do not edit.\n\n';

/** The subgraph SDL exactly as `_service { sdl }` serves it, with a header. */
export async function printHubSchema(): Promise<string> {
  return `${HEADER}${printSubgraphSchema(await buildHubSchema(HUB_PARTS))}\n`;
}

if (require.main === module) {
  printHubSchema()
    .then((sdl) => {
      fs.writeFileSync(SCHEMA_FILE, sdl);
      process.stdout.write(`wrote ${path.relative(projectRoot, SCHEMA_FILE)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}

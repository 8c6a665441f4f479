import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import ts from 'typescript';
import { ormOptions } from '../../src/db/orm-options';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { TableCatalogue } from '../../src/read-kit/rows/table-catalogue';

/*
 * No file in src/ reads a table the read gateway owns: every string and template literal of
 * the source is searched for SQL reading one of its tables (`from`/`join` the table). Only the
 * gateway writes such statements; the write side writes (and, inside its own transactions,
 * reads) the tables it syncs. Who may hold the read client, build a query or write a row scope
 * is checked by the dependency rules (.dependency-cruiser.cjs).
 */

const ROOT = join(__dirname, '../..');

/** Where SQL may name the gateway's tables, and why. */
const ALLOWED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^src\/read-kit\/rows\//, 'the read gateway'],
  [/^src\/ingest\//, 'the write side: upserts and soft deletes of synced records'],
  [/^src\/sync\//, 'the write side: snapshots find vanished rows in the transaction that deletes them'],
  [/^src\/supervision\//, 'the write side of clues: derivation reads the synced tables in the transaction that writes its clues'],
  [/^src\/migrations\//, 'the schema'],
  [
    /^src\/domains\/case-transfer\/case-transfer\.writes\.ts$/,
    'the write side of transfers: a submission checks its evidence in the transaction that submits it',
  ],
  [
    /^src\/domains\/cooperation\/cooperation\.writes\.ts$/,
    "the write side of cooperation: a peer's joint case is checked against the stored one (its lead, its members) in the transaction that writes it",
  ],
  [
    /^src\/domains\/watch\/watch-hits\.ts$/,
    'the write side of watch hits: the captures and watches a hit joins are read in the transaction that records it (a capture batch, or the watch being set)',
  ],
  [
    /^src\/domains\/inspection\/inspection\.writes\.ts$/,
    'the write side of random inspections: a task, a draw and a result are checked against the plan, task and inspectors they name in the transaction that writes them',
  ],
  [/^src\/demo\/load-world\.ts$/, 'the demo loads its world only into an empty hub, and checks that it is'],
];

// The ORM's metadata, discovered without connecting (its pool is closed after).
const orm = MikroORM.initSync(ormOptions('postgresql://127.0.0.1/never-connected', entityModelOf(HUB_DOMAINS)));
const owned = new TableCatalogue(orm.getMetadata()).tableNames;
afterAll(() => orm.close(true));
const reading = new RegExp(`\\b(?:from|join)\\s+(?:only\\s+)?(?:public\\.)?"?(${owned.join('|')})"?(?![\\w.])`, 'gi');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The text of every string and template literal (a template's parts joined around its holes). */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('${}'));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `file: table` for each literal of `file` that reads a gateway table. */
function readsIn(file: string): string[] {
  return literals(file).flatMap((text) => [...text.matchAll(reading)].map((m) => `${relative(ROOT, file)}: ${m[1]}`));
}

describe('the read gateway owns its tables', () => {
  it('knows its tables from the ORM', () => {
    expect(owned).toEqual(expect.arrayContaining(['vehicle', 'enterprise', 'checkpoint_capture', 'enforcement_case', 'operator_licence']));
    expect(owned).not.toContain('audit_event');
    expect(owned).not.toContain('sync_run');
  });

  it('finds a read of its tables in SQL text, however it is written', () => {
    for (const sql of ['select * from vehicle', 'SELECT 1 FROM "enforcement_case" k', 'x join public.weighing w on', `select 1 from\n  operator_licence`]) {
      expect([...sql.matchAll(reading)]).toHaveLength(1);
    }
    for (const sql of ['select * from vehicle_registry', 'from sync_run', 'captured from checkpoints', 'from enterprise.name']) {
      expect([...sql.matchAll(reading)]).toHaveLength(0);
    }
  });

  it('no file in src/ outside the gateway and the write side reads them', () => {
    const files = sourceFiles(join(ROOT, 'src')).filter((f) => !ALLOWED.some(([path]) => path.test(relative(ROOT, f))));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(readsIn)).toEqual([]);
  });

  it('sees the reads the source does hold (where they are allowed)', () => {
    expect(readsIn(join(ROOT, 'src/demo/load-world.ts'))).toEqual(['src/demo/load-world.ts: enterprise', 'src/demo/load-world.ts: vehicle']);
  });
});

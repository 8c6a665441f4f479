import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { reasonFromExtensions, reasonFromHeaders } from '../access/declared-reason';
import { InvalidInputError } from '../errors';
import type { ExportQuery } from './export-pages';
import { exportShapeOf, type ExportShape } from './export-shape';
import { EXPORT_FORMATS, type ExportFormat } from './row-sink';

/** A named operation of the hub's own (schema/operations): its document alone, with the fragments it spreads. */
export interface PersistedOperation {
  name: string;
  query: string;
  document: DocumentNode;
}

/** The operations of every `.graphql` file in `dir` by name (the report pages' and the clients'). */
export function loadPersistedOperations(dir: string): ReadonlyMap<string, PersistedOperation> {
  const operations = new Map<string, PersistedOperation>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    const document = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
    );
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const used: DefinitionNode[] = [];
      const add = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
        visit(node, {
          FragmentSpread(spread) {
            const fragment = fragments.get(spread.name.value);
            if (fragment && !used.includes(fragment)) {
              used.push(fragment);
              add(fragment);
            }
          },
        });
      add(definition);
      const alone: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition, ...used] };
      operations.set(definition.name.value, { name: definition.name.value, query: print(alone), document: alone });
    }
  }
  return operations;
}

/** An export as asked: the operation, its shape, the format and the reason it declares. */
export interface ExportRequest {
  query: ExportQuery;
  shape: ExportShape;
  format: ExportFormat;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads `POST /exports`'s body: `{ "query": "…" }` or `{ "operation": "<persisted name>" }`, with
 * `variables`, `operationName`, `format` (`CSV` default, or `XLSX`) and `extensions` (the reason,
 * as a GraphQL request declares it; its headers count too). Throws `InvalidInputError` naming the
 * part that is wrong; nothing runs before it passes.
 */
export function readExportRequest(
  body: unknown,
  header: (name: string) => string | undefined,
  persisted: ReadonlyMap<string, PersistedOperation>,
  parseOptions: { maxTokens: number },
): ExportRequest {
  if (!isRecord(body)) throw new InvalidInputError('body', 'must be a JSON object');
  const format = body.format ?? 'CSV';
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidInputError('format', `must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const variables = body.variables ?? {};
  if (!isRecord(variables)) throw new InvalidInputError('variables', 'must be an object');
  const extensions = body.extensions ?? {};
  if (!isRecord(extensions)) throw new InvalidInputError('extensions', 'must be an object');
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
    throw new InvalidInputError('operationName', 'must be a string');
  }
  let query: string;
  let document: DocumentNode;
  let operationName = (body.operationName as string | null | undefined) ?? null;
  if (typeof body.operation === 'string' && body.query === undefined) {
    const operation = persisted.get(body.operation);
    if (!operation) throw new InvalidInputError('operation', `no persisted operation named ${body.operation}`);
    ({ query, document } = operation);
    operationName = operation.name;
  } else if (typeof body.query === 'string' && body.operation === undefined) {
    query = body.query;
    try {
      document = parse(query, { maxTokens: parseOptions.maxTokens });
    } catch (error) {
      throw new InvalidInputError('query', error instanceof Error ? error.message : 'does not parse');
    }
  } else {
    throw new InvalidInputError('query', 'give either "query" (a GraphQL document) or "operation" (the name of a persisted operation)');
  }
  const reason = reasonFromExtensions(extensions, reasonFromHeaders(header));
  const declared = Object.fromEntries(Object.entries(reason).filter(([, v]) => v !== null));
  return { query: { query, operationName, variables, extensions: declared }, shape: exportShapeOf(document, operationName), format: format as ExportFormat };
}

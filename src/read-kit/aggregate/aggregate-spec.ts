import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { getNamedType, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { AnswerNotes } from '../operation/answer-notes';

/** What an aggregate root field's arguments read: per argument, per enum value, the `Type.field`s. */
export interface AggregateDeclaration {
  of: string;
  reads: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** What the note reads of the caller's grant: the mode of a field, null where it is not granted. */
interface SourceGrant {
  modeOf(typeName: string, fieldName: string): { kind: string } | null;
}

/**
 * Notes where the aggregate was answered from, for the response's `extensions`, under the field's
 * response key: the same fact as its `source` field, so only for a caller granted that field in
 * full (without access control, benchmarks, always).
 */
const noteSource: MiddlewareFn<{ answer?: AnswerNotes; access?: SourceGrant | null }> = async ({ context, info }, next) => {
  const result = (await next()) as { source: 'ROLLUP' | 'BASE' };
  const granted = !context.access || context.access.modeOf(getNamedType(info.returnType).name, 'source')?.kind === 'full';
  if (granted) context.answer?.aggregateSource(String(info.path.key), result.source);
  return result;
};

/**
 * Declares a root field an aggregate of `of`: a group-by or measure reads the fields `reads`
 * names (by argument, then enum value), which access control checks against the agreement's
 * `aggregates` grant before anything runs, as it checks filters (`@Tests`). Its answer's source
 * (rollup or base table) is noted for the response's `extensions`.
 */
export function Aggregates(declaration: AggregateDeclaration): MethodDecorator {
  const extensions = Extensions({ aggregate: declaration });
  const middleware = UseMiddleware(noteSource);
  return (target, key, descriptor) => {
    extensions(target, key, descriptor);
    middleware(target, key, descriptor);
  };
}

/** The aggregate declaration of a root field, if it is one. */
export function aggregateOf(field: GraphQLField<unknown, unknown>): AggregateDeclaration | null {
  const declaration = field.extensions?.aggregate;
  return declaration && typeof declaration === 'object' ? (declaration as AggregateDeclaration) : null;
}

/** Copies the aggregate declarations onto the subgraph schema, rebuilt from SDL without them. */
export function carryAggregates(from: GraphQLSchema, to: GraphQLSchema): void {
  const source = from.getQueryType()?.getFields() ?? {};
  const target = to.getQueryType()?.getFields() ?? {};
  for (const [name, field] of Object.entries(source)) {
    const declaration = aggregateOf(field);
    if (declaration && target[name]) (target[name].extensions as Record<string, unknown>).aggregate = declaration;
  }
}

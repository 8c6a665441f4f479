import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { FieldSelection } from '../rows/read-scope';
import { analyseOperation, type OperationAnalysis } from './operation-analysis';
import { resolvedVariables } from './resolved-variables';

/**
 * The operation a request runs, analysed once it is resolved: the one analysis the limits,
 * access, projections, cost and the audit all read. An object of its own on the context because
 * the context is created before Apollo parses the document; it is filled exactly once, by the
 * composition's pre-execution plugin, and what it holds is immutable.
 */
export class RequestOperation {
  private current: OperationAnalysis | null = null;
  private sent: Readonly<Record<string, unknown>> | undefined;
  private coerced: Record<string, unknown> | null = null;

  /** The analysis, or null before the operation is resolved (or when it never was). */
  get analysis(): OperationAnalysis | null {
    return this.current;
  }

  /** What reads may project to; null (load every column) until the operation is known. */
  get selection(): FieldSelection | null {
    return this.current?.selection ?? null;
  }

  /**
   * The variables as the resolvers get them (`resolvedVariables`), coerced once for the access
   * check and the audit alike; null before the operation is resolved.
   */
  get variables(): Record<string, unknown> | null {
    if (!this.current) return null;
    return (this.coerced ??= resolvedVariables(this.current, this.sent));
  }

  /**
   * Analyses the request's operation (or finds it in the per-operation cache) with the variables
   * it sends, under the hub's federation namespace (see `analyseOperation`). Once per request: the same analysis is never worked out twice.
   */
  resolve(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>> | undefined,
    namespace: string | null = null,
  ): OperationAnalysis {
    if (this.current) throw new Error('A request runs one operation, resolved once');
    this.sent = variables;
    return (this.current = analyseOperation(schema, document, operation, namespace));
  }
}

import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { FieldSelection } from '../rows/read-scope';
import { analyseOperation, type OperationAnalysis } from './operation-analysis';
import { coerceVariables, resolvedVariables, type VariableCoercion } from './resolved-variables';

/**
 * The operation a request runs, analysed once it is resolved: the one analysis the limits,
 * access, projections, cost and the audit all read. An object of its own on the context because
 * the context is created before Apollo parses the document; it is filled exactly once, by the
 * composition's pre-execution plugin, and what it holds is immutable.
 */
export class RequestOperation {
  private current: OperationAnalysis | null = null;
  private sent: Readonly<Record<string, unknown>> | undefined;
  private coercion: VariableCoercion | null = null;
  private resolved: Record<string, unknown> | null = null;

  /** The analysis, or null before the operation is resolved (or when it never was). */
  get analysis(): OperationAnalysis | null {
    return this.current;
  }

  /** What reads may project to; null (load every column) until the operation is known. */
  get selection(): FieldSelection | null {
    return this.current?.selection ?? null;
  }

  /**
   * The variables as the resolvers get them (`resolvedVariables`), for the access check and the
   * audit alike; null before the operation is resolved.
   */
  get variables(): Record<string, unknown> | null {
    const coercion = this.coerce();
    return coercion && (this.resolved ??= resolvedVariables(coercion, this.sent));
  }

  /**
   * graphql-js's coercion of `sent` for `operation` of `schema`, worked out once per request: the
   * executor's check of the variables reads the one the access check and the audit read. Null
   * where the request resolved another operation or other variables (the executor then coerces them itself).
   */
  coercionOf(schema: GraphQLSchema, operation: OperationDefinitionNode, sent: Readonly<Record<string, unknown>> | undefined): VariableCoercion | null {
    const current = this.current;
    if (!current || current.schema !== schema || current.operation !== operation || this.sent !== sent) return null;
    return this.coerce();
  }

  private coerce(): VariableCoercion | null {
    if (!this.current) return null;
    return (this.coercion ??= coerceVariables(this.current.schema, this.current.operation, this.sent));
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

import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { FieldSelection } from '../rows/read-scope';
import { analyseOperation, type OperationAnalysis } from './operation-analysis';

/**
 * The operation a request runs, analysed once it is resolved. An object of its own on the context
 * because Apollo hands resolvers a shallow copy of the context (the loaders hold the original);
 * it is filled exactly once, and what it holds is immutable.
 */
export class RequestOperation {
  private current: OperationAnalysis | null = null;

  /** The analysis, or null before the operation is resolved (or when it never was). */
  get analysis(): OperationAnalysis | null {
    return this.current;
  }

  /** What reads may project to; null (load every column) until the operation is known. */
  get selection(): FieldSelection | null {
    return this.current?.selection ?? null;
  }

  /**
   * The request's analysis: computed (or found in the per-operation cache) on the first call,
   * the same object on every later one, whichever plugin asks first.
   */
  resolve(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationAnalysis {
    if (!this.current) this.current = analyseOperation(schema, document, operation);
    else if (this.current.operation !== operation) throw new Error('A request runs one operation');
    return this.current;
  }
}

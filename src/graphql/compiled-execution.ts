import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  defaultFieldResolver,
  execute,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromASTUntyped,
  visit,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { RequestOperation } from '../read-kit/operation/request-operation';
import { coerceVariables, type VariableCoercion } from '../read-kit/operation/resolved-variables';

type Gateway = ApolloServerOptionsWithGateway<never>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** A compiled operation and the variables it uses inside input-object or list literals. */
interface Compiled {
  query: CompiledQuery;
  nestedVariables: readonly string[];
}

/** Operations compiled per parsed document: Apollo keeps one parsed document per query text, so a repeated query is compiled once. */
const MAX_OPERATIONS_PER_DOCUMENT = 8;

/** Told of each compilation (`/metrics`: xietong_graphql_compilations_total). */
export interface CompilationObserver {
  operationCompiled(outcome: 'compiled' | 'declined'): void;
}

/**
 * Executes queries with graphql-jit: each (document, operation) is compiled once into a function
 * that calls the same field resolvers (guarded, masked, row-scoped: the middleware wraps them in
 * the schema) and completes values without graphql-js's per-field interpretation. A report's
 * thousands of aggregate cells or a page of rows were most of the hub's CPU in graphql-js's
 * `executeFields` and its allocations (`npm run bench:api-profile`).
 *
 * Only queries: mutations keep graphql-js's serial execution as written, and an operation
 * graphql-jit cannot compile (it says so) runs on graphql-js too. Variables are checked by
 * graphql-js's coercion before the compiled query runs, so a bad one is refused with graphql-js's error.
 */
export class CompiledExecution {
  private readonly compiled = new WeakMap<DocumentNode, Map<string, Compiled | null>>();
  /**
   * `compile` false runs every operation on graphql-js: with tracing on, OpenTelemetry's graphql
   * instrumentation traces execution and each resolver by wrapping graphql-js's `execute`, which
   * compiled queries do not call.
   */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compile = true,
    private readonly observer: CompilationObserver | null = null,
    /** Types whose objects are plain data, never holding a function (an aggregate's cells). */
    plainTypes: ReadonlySet<string> = new Set(),
  ) {
    // graphql-jit reads a field without a resolver as a plain property, where graphql-js's default
    // resolver calls a function it finds there (a connection's `totalCount` runs its COUNT only when
    // selected). Naming graphql-js's default resolver on those fields gives both the same answer.
    // Plain types keep no resolver: graphql-jit reads their fields inline, where a resolver per
    // field cost a call and a check for a promise per key and count of 5,000 cells.
    if (compile) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__') || plainTypes.has(type.name)) continue;
        for (const field of Object.values(type.getFields())) field.resolve ??= defaultFieldResolver;
      }
    }
  }

  /** The executor Apollo Server calls for every operation (through its gateway interface: the one hook that replaces execution and keeps its error formatting and plugins). */
  readonly executor: Executor = async (requestContext) => {
    const { document, operation, operationName, request, context } = requestContext;
    const interpreted = () => execute({ schema: this.schema, document, contextValue: context, variableValues: request.variables, operationName });
    const compiled = this.compile && operation.operation === 'query' ? this.compiledFor(document, operationName) : null;
    if (!compiled) return interpreted();
    // graphql-js's coercion first, so a bad variable gets graphql-js's error (Apollo knows it as
    // the client's: 400 BAD_USER_INPUT) and nothing runs; the compiled query coerces the same values.
    const variables = this.coercionOf(context, operation, request.variables);
    if (variables.errors) return { errors: variables.errors };
    const sent = withDefaults(operation, request.variables ?? {});
    // graphql-jit writes an omitted variable inside an object literal as an explicit null, where
    // graphql-js leaves the field out (or takes its default): such a request runs on graphql-js.
    if (!compiled.nestedVariables.every((name) => Object.prototype.hasOwnProperty.call(sent, name))) return interpreted();
    return asGraphQLErrors((await compiled.query.query(undefined, context, sent)) as ExecutionResult);
  };

  /** Apollo's gateway interface around `executor`, serving this schema. */
  gateway(): Gateway {
    return {
      load: async () => ({ schema: this.schema, executor: this.executor }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: '' });
        return () => {};
      },
      stop: async () => {},
    };
  }

  /**
   * The request's coercion by graphql-js, the one its access check and audit read (`RequestOperation`)
   * where the request has it. The compiled query still coerces the variables sent: graphql-jit 0.8.9
   * runs its own compiled coercion on whatever `query` is given, and re-parsing values already
   * coerced is not an identity (an enum's internal value is not its name).
   */
  private coercionOf(context: unknown, operation: OperationDefinitionNode, sent: Readonly<Record<string, unknown>> | undefined): VariableCoercion {
    const request = (context as { operation?: unknown } | null)?.operation;
    const shared = request instanceof RequestOperation ? request.coercionOf(this.schema, operation, sent) : null;
    return shared ?? coerceVariables(this.schema, operation, sent);
  }

  private compiledFor(document: DocumentNode, operationName: string | null): Compiled | null {
    let perOperation = this.compiled.get(document);
    if (!perOperation) this.compiled.set(document, (perOperation = new Map()));
    const key = operationName ?? '';
    const known = perOperation.get(key);
    if (known !== undefined) return known;
    const shape = shapeOf(this.schema, document);
    const result = shape.compilable ? compileQuery(this.schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true }) : null;
    const compiled = result && isCompiledQuery(result) ? { query: result, nestedVariables: shape.nestedVariables } : null;
    this.observer?.operationCompiled(compiled ? 'compiled' : 'declined');
    if (perOperation.size < MAX_OPERATIONS_PER_DOCUMENT) perOperation.set(key, compiled);
    return compiled;
  }
}

/**
 * Whether graphql-jit may compile a document, and the variables it uses inside literals. Left to
 * graphql-js, where graphql-jit's answer differs from graphql-js's or its code generation is unsafe:
 * - a string literal holding graphql-jit's own markers (`__MAGIC_…`): it turns a literal argument
 *   matching its date marker into code, unescaped, so a caller's string would run on the hub;
 * - a variable of an input-object type: graphql-jit coerces those itself, and refuses an omitted
 *   non-null field that has a default (graphql-js fills the default in);
 * - `@skip` / `@include`: the fields left out stay in the answer as keys without values;
 * - `_entities`: its list holds a promise per representation, and graphql-jit appends a failed
 *   item's null at the end instead of at its place, so a router's entities would not line up.
 */
function shapeOf(schema: GraphQLSchema, document: DocumentNode): { compilable: boolean; nestedVariables: string[] } {
  let compilable = true;
  const nested = new Set<string>();
  visit(document, {
    StringValue(node) {
      if (node.value.includes('__MAGIC')) compilable = false;
    },
    Directive(node) {
      if (node.name.value === 'skip' || node.name.value === 'include') compilable = false;
    },
    Field(node) {
      if (node.name.value === '_entities') compilable = false;
    },
    VariableDefinition(node) {
      const type = typeFromAST(schema, node.type);
      if (!type || isInputObjectType(getNamedType(type))) compilable = false;
    },
    Variable(node, _key, _parent, _path, ancestors) {
      if (ancestors.some((a) => !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT || (a as ASTNode).kind === Kind.LIST))) nested.add(node.name.value);
    },
  });
  return { compilable, nestedVariables: [...nested] };
}

/**
 * The variables sent, with the default of each one omitted written in as if sent: graphql-jit
 * hands a resolver an omitted variable's default literal unparsed (a `DateTime` default arrived as
 * text), where graphql-js parses it as the variable's type.
 */
function withDefaults(operation: OperationDefinitionNode, sent: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let variables: Record<string, unknown> | null = null;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!definition.defaultValue || Object.prototype.hasOwnProperty.call(sent, name)) continue;
    variables ??= { ...sent };
    variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return variables ?? sent;
}

/**
 * graphql-jit's errors are its own kind (no `extensions` object unless the error had one, no
 * `nodes`); Apollo's error formatting reads `extensions.code` of every error and finds a
 * resolver's own error through `path` and `originalError`. Rebuilt as graphql-js errors, they
 * reach the hub's formatter exactly as graphql-js's would.
 */
function asGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
    (error as { locations: GraphQLError['locations'] }).locations = e.locations;
    return error;
  });
  return { ...result, errors };
}

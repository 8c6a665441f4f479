import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { BadRequestError } from '../../errors';
import { FederationNamespace } from './federation-namespace';

/** The path a hub serves its subgraph under its federation namespace at, beside `/graphql`. */
export const NAMESPACED_GRAPHQL_PATH = '/graphql/namespaced';

/**
 * Set by the HTTP layer on an operation it translated from the namespaced path (and removed from
 * every request as it arrives, so no client can set it): only there are the translation's own
 * aliases (`sz_vin: vin`) not counted against the caller's.
 */
export const TRANSLATED_HEADER = 'x-xietong-translated';

/**
 * The alias under which the translated operation asks the runtime type of an abstract field (only
 * `_entities` today): the answer's type names are renamed by it, then it is removed.
 */
const TYPE_KEY = '__xtType';

/** graphql-js's "did you mean" hints name the schema's fields to whoever probes it (Apollo hides them on /graphql too). */
const withoutSuggestions = (message: string) => message.replace(/ Did you mean (.+?)\?$/, '');

type Json = Record<string, unknown>;

/**
 * Translations kept, the least recently asked dropped first: a peer's router sends the same few
 * operations over and over, and parsing, validating and printing each anew cost more than serving
 * many of them.
 */
const TRANSLATIONS_KEPT = 500;

/** What a query text comes to under the namespace: an operation, the problems that refuse it, or null when it does not parse. */
type Translation = NamespacedOperation | { problems: string[] } | null;

/** One operation under the namespace: what the hub runs, and how its answer is put back in the namespace's names. */
export interface NamespacedOperation {
  /** The same operation in the hub's own names, each renamed field aliased to the name it was asked under. */
  query: string;
  /** The hub's answer (its JSON text) with the type names it holds (`__typename`, `_service.sdl`) namespaced. */
  answer(body: string): string;
}

/**
 * The hub's subgraph under its federation namespace (see `FederationNamespace`), for peers'
 * routers composing several Xietong hubs. It is not a second schema that executes: an operation
 * is checked against the namespaced schema, translated into the hub's own names and then served
 * exactly as one on `/graphql` (authentication, admission, agreements, masking, row scopes,
 * pricing and the audit see the hub's own operation); only the answer's type names are renamed back.
 * Its response keys need no renaming: every renamed field is aliased to the name it was asked under.
 */
export class NamespacedSubgraph {
  /** For checking operations only: never executed. */
  private readonly schema: GraphQLSchema;
  private lastSdl: { real: string; namespaced: string };
  /** By operation name and text (the schema, namespace and token limit are the instance's). */
  private readonly translations = new Map<string, Translation>();

  constructor(
    private readonly namespace: FederationNamespace,
    realSdl: string,
    private readonly maxTokens: number,
  ) {
    this.schema = buildSubgraphSchema({ typeDefs: parse(namespace.sdl) });
    this.lastSdl = { real: realSdl, namespaced: namespace.sdl };
  }

  /**
   * `query` (asked under the namespace) in the hub's own names; a refusal when it is not a valid
   * operation of the namespaced subgraph; null when it does not parse (the hub's parser reports
   * that as on `/graphql`: there is nothing to translate).
   */
  translate(query: string, operationName: string | undefined): NamespacedOperation | BadRequestError | null {
    const key = JSON.stringify([operationName ?? null, query]);
    let translation = this.translations.get(key);
    if (translation === undefined) {
      translation = this.translation(query, operationName);
      if (this.translations.size >= TRANSLATIONS_KEPT) this.translations.delete(this.translations.keys().next().value!);
    } else {
      // Map keeps insertion order: re-inserting makes it the most recently asked.
      this.translations.delete(key);
    }
    this.translations.set(key, translation);
    if (translation === null || 'query' in translation) return translation;
    return new BadRequestError(`Not an operation of this hub's subgraph under namespace ${this.namespace.prefix}: ${translation.problems[0]}`, {
      problems: translation.problems,
    });
  }

  private translation(query: string, operationName: string | undefined): Translation {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.maxTokens });
    } catch {
      return null;
    }
    const problems = validate(this.schema, document).map((e) => withoutSuggestions(e.message));
    if (problems.length === 0) problems.push(...this.unsupported(document));
    if (problems.length > 0) return { problems };
    const operation = getOperationAST(document, operationName);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const { translated, namesTypes } = this.inHubNames(document);
    return {
      query: print(translated),
      answer: (body) => {
        // Only type names differ between the hub's answer and the namespace's: without any, it is the hub's as it is.
        if (!operation || !namesTypes) return body;
        const result = JSON.parse(body) as { data?: unknown };
        if (typeof result.data !== 'object' || result.data === null) return body;
        this.namespaceObject(result.data as Json, this.schema.getRootType(operation.operation)!, [operation.selectionSet], fragments);
        return JSON.stringify(result) + (body.endsWith('\n') ? '\n' : '');
      },
    };
  }

  /** Introspection would answer in the hub's own names (a router reads `_service { sdl }`), and the alias the translation adds is its own. */
  private unsupported(document: DocumentNode): string[] {
    const problems: string[] = [];
    visit(document, {
      Field: (node) => {
        if (node.name.value === '__schema' || node.name.value === '__type')
          problems.push(`${node.name.value} is not served under a namespace: read _service { sdl }`);
        if (node.alias?.value === TYPE_KEY) problems.push(`the alias ${TYPE_KEY} is reserved`);
      },
    });
    return problems;
  }

  /**
   * `document` in the hub's names, and whether its answer holds type names to rename: a
   * `__typename`, an abstract field's runtime type the translation asks, or `_service { sdl }`.
   */
  private inHubNames(document: DocumentNode): { translated: DocumentNode; namesTypes: boolean } {
    const typeInfo = new TypeInfo(this.schema);
    let namesTypes = false;
    const translated = visit(
      document,
      visitWithTypeInfo(typeInfo, {
        // On leave: TypeInfo has found the field under its namespaced name, and the selections below are translated.
        Field: {
          leave: (node): FieldNode | undefined => {
            let field = node;
            const type = typeInfo.getType();
            const parent = typeInfo.getParentType();
            if (node.name.value === '__typename' || (parent?.name === '_Service' && node.name.value === 'sdl')) namesTypes = true;
            if (field.selectionSet && type && isAbstractType(getNamedType(type))) {
              namesTypes = true;
              const typename: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPE_KEY }, name: { kind: Kind.NAME, value: '__typename' } };
              field = { ...field, selectionSet: { ...field.selectionSet, selections: [...field.selectionSet.selections, typename] } };
            }
            const name = parent ? this.namespace.realFieldName(parent.name, node.name.value) : node.name.value;
            if (name !== node.name.value) field = { ...field, alias: node.alias ?? node.name, name: { ...node.name, value: name } };
            return field === node ? undefined : field;
          },
        },
        NamedType: {
          leave: (node) => {
            const real = this.namespace.realTypeName(node.name.value);
            return real && real !== node.name.value ? { ...node, name: { ...node.name, value: real } } : undefined;
          },
        },
      }),
    );
    return { translated, namesTypes };
  }

  /** Renames, in place, the type names `value` holds, walking it along the selections that asked for it. */
  private namespaceObject(
    value: Json,
    type: GraphQLObjectType | GraphQLOutputType,
    selections: SelectionSetNode[],
    fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ): void {
    let runtime: GraphQLObjectType;
    if (isAbstractType(type)) {
      const real = value[TYPE_KEY];
      delete value[TYPE_KEY];
      const found = typeof real === 'string' ? this.schema.getType(this.namespace.typeName(real)) : undefined;
      if (!isObjectType(found)) return;
      runtime = found;
    } else if (isObjectType(type)) {
      runtime = type;
    } else {
      return;
    }
    const fields = new Map<string, FieldNode[]>();
    this.collect(selections, runtime, fragments, fields);
    for (const [key, nodes] of fields) {
      const held = value[key];
      if (held === undefined || held === null) continue;
      const name = nodes[0].name.value;
      if (name === '__typename') {
        if (typeof held === 'string') value[key] = this.namespace.typeName(held);
        continue;
      }
      if (runtime.name === '_Service' && name === 'sdl' && typeof held === 'string') {
        value[key] = this.namespacedSdl(held);
        continue;
      }
      const field = runtime.getFields()[name];
      const below = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (field && below.length > 0) this.namespaceValue(held, field.type, below, fragments);
    }
  }

  private namespaceValue(
    value: unknown,
    type: GraphQLOutputType,
    selections: SelectionSetNode[],
    fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ): void {
    if (value === null || typeof value !== 'object') return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (Array.isArray(value)) for (const item of value) this.namespaceValue(item, nullable.ofType as GraphQLOutputType, selections, fragments);
      return;
    }
    this.namespaceObject(value as Json, nullable, selections, fragments);
  }

  /** The fields each response key of `selections` asks of an object of type `runtime` (GraphQL's CollectFields, directives aside: what was skipped is absent). */
  private collect(
    selections: SelectionSetNode[],
    runtime: GraphQLObjectType,
    fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    into: Map<string, FieldNode[]>,
  ): void {
    const applies = (condition: string | undefined) => {
      if (condition === undefined || condition === runtime.name) return true;
      const type = this.schema.getType(condition);
      return isAbstractType(type) && this.schema.isSubType(type, runtime);
    };
    for (const set of selections) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          into.set(key, [...(into.get(key) ?? []), selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (applies(selection.typeCondition?.name.value)) this.collect([selection.selectionSet], runtime, fragments, into);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && applies(fragment.typeCondition.name.value)) this.collect([fragment.selectionSet], runtime, fragments, into);
        }
      }
    }
  }

  /** `_service { sdl }` as the hub answered it, under the namespace (the same SDL each time: translated once). */
  private namespacedSdl(real: string): string {
    if (real !== this.lastSdl.real) this.lastSdl = { real, namespaced: new FederationNamespace(this.namespace.prefix, real).sdl };
    return this.lastSdl.namespaced;
  }
}

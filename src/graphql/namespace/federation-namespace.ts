import {
  Kind,
  parse,
  print,
  specifiedScalarTypes,
  visit,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type SelectionSetNode,
  type StringValueNode,
} from 'graphql';

/** Root operation types: every subgraph of a supergraph has them under these names. */
const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

/** Federation's own names (`_Any`, `_Entity`, `_service`, `link__Import`…): never namespaced. */
const isFederationName = (name: string) => name.startsWith('_') || name.includes('__');

/**
 * One hub's names in a supergraph composed of several Xietong hubs. The hubs serve the same
 * schema, which Federation cannot compose with itself (the same root fields and value types in two
 * subgraphs), and each holds different records, so marking everything `@shareable` would compose
 * but never join. Under its namespace (`sz`) a hub's subgraph renames what is its own and keeps
 * what joins: the entity types (`@key`: Vehicle, Enterprise, Checkpoint), their key fields and the
 * types of those (at every depth of a nested key), the scalars and the root types keep their
 * names; every other type is renamed (`sz_VehicleConnection`, a hub's own `sz_Report` too:
 * `sz_sz_Report`), root fields are prefixed (`sz_vehicles`), and so are the entities' other fields
 * (`Vehicle.sz_vin`) and those of a value type along a nested key beside the ones the key selects,
 * made nullable: a hub may not know a vehicle another hub does. Two names that would come out the
 * same are refused. Built from the hub's subgraph SDL (what `_service { sdl }` serves).
 */
export class FederationNamespace {
  /** The namespaced subgraph's SDL, what `_service { sdl }` answers under the namespace. */
  readonly sdl: string;
  private readonly shared = new Set<string>();
  /**
   * Per entity type, its key fields (the top-level names of its `@key` field sets); per value type
   * along a nested key, the fields the key selects of it. Their other fields are renamed.
   */
  private readonly keys = new Map<string, Set<string>>();
  private readonly realTypes = new Map<string, string>();
  /** Per real type, namespaced field name → real field name (only the fields renamed). */
  private readonly realFields = new Map<string, Map<string, string>>();

  constructor(
    readonly prefix: string,
    realSdl: string,
  ) {
    const document = parse(realSdl);
    this.findShared(document);
    this.sdl = print(this.rename(document));
  }

  /** The namespaced name of real type `name`. */
  typeName(name: string): string {
    return this.shared.has(name) || isFederationName(name) ? name : `${this.prefix}_${name}`;
  }

  /** The real name of namespaced type `name`, or null when the namespace has no such type. */
  realTypeName(name: string): string | null {
    if (this.shared.has(name) || isFederationName(name)) return name;
    return this.realTypes.get(name) ?? null;
  }

  /** The real name of field `name` of namespaced type `nsType` (unchanged when it is not renamed). */
  realFieldName(nsType: string, name: string): string {
    const real = this.realTypeName(nsType);
    return (real && this.realFields.get(real)?.get(name)) ?? name;
  }

  /**
   * Entity types (with `@key`), their key fields, the types those fields are of (at every depth of
   * a nested key: each hub must name them alike), scalars, root and federation types.
   */
  private findShared(document: DocumentNode): void {
    const fieldTypes = new Map<string, Map<string, string>>();
    const keySets = new Map<string, SelectionSetNode[]>();
    const objectTypes = new Set<string>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.SCALAR_TYPE_DEFINITION) this.shared.add(definition.name.value);
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const name = definition.name.value;
      objectTypes.add(name);
      const types = fieldTypes.get(name) ?? new Map<string, string>();
      fieldTypes.set(name, types);
      for (const field of definition.fields ?? []) types.set(field.name.value, namedTypeOf(field));
      const keys = keySetsOf(definition);
      if (keys.length === 0) continue;
      // A field renamed on the entity would have to be renamed on the interface as well, in every hub alike.
      if (definition.interfaces?.length) throw new Error(`${name} is an entity and implements an interface: it cannot be shared under a namespace`);
      this.shared.add(name);
      const known = this.keys.get(name) ?? new Set<string>();
      for (const key of keys) for (const field of key.selections) if (field.kind === Kind.FIELD) known.add(field.name.value);
      this.keys.set(name, known);
      keySets.set(name, [...(keySets.get(name) ?? []), ...keys]);
    }
    const entities = new Set(this.keys.keys());
    const share = (entity: string, type: string, set: SelectionSetNode) => {
      for (const field of set.selections) {
        if (field.kind !== Kind.FIELD) continue;
        const fieldType = fieldTypes.get(type)?.get(field.name.value);
        if (!fieldType) throw new Error(`${entity}'s @key names ${field.name.value}, which ${type === entity ? 'it' : type} does not have`);
        if (type !== entity && entities.has(type)) {
          // A nested key's field of another entity must keep its name there too: only its key fields do.
          if (!this.keys.get(type)!.has(field.name.value))
            throw new Error(`${entity}'s @key names ${type}.${field.name.value}, which is not a key field of ${type}: it would be renamed`);
        } else if (type !== entity) {
          // A value type along the key is defined by every hub alike: only what the key selects of it
          // is the same in each (as an entity's key fields are), the rest is each hub's own.
          const known = this.keys.get(type) ?? new Set<string>();
          known.add(field.name.value);
          this.keys.set(type, known);
        }
        this.shared.add(fieldType);
        if (field.selectionSet && objectTypes.has(fieldType)) share(entity, fieldType, field.selectionSet);
      }
    };
    for (const [entity, sets] of keySets) for (const set of sets) share(entity, entity, set);
    for (const root of ROOT_TYPES) this.shared.add(root);
    for (const scalar of specifiedScalarTypes) this.shared.add(scalar.name);
  }

  private rename(document: DocumentNode): DocumentNode {
    let parent: string | null = null;
    // A hub's name may already be another's under the namespace (`sz_Vehicle` beside a renamed `Vehicle`): refused, not merged.
    const typesNamed = new Map<string, string>();
    const fieldsNamed = new Map<string, string>();
    const enterType = (node: { name: { value: string } }) => {
      parent = node.name.value;
    };
    const leaveType = <N extends { name: { value: string } }>(node: N): N => {
      parent = null;
      const name = this.typeName(node.name.value);
      const taken = typesNamed.get(name);
      if (taken !== undefined && taken !== node.name.value)
        throw new Error(`${taken} and ${node.name.value} would both be named ${name} under namespace ${this.prefix}: rename one`);
      typesNamed.set(name, node.name.value);
      if (name !== node.name.value) this.realTypes.set(name, node.name.value);
      return { ...node, name: { ...node.name, value: name } };
    };
    const typeVisitor = { enter: enterType, leave: leaveType };
    return visit(document, {
      ObjectTypeDefinition: typeVisitor,
      ObjectTypeExtension: typeVisitor,
      InterfaceTypeDefinition: typeVisitor,
      InterfaceTypeExtension: typeVisitor,
      UnionTypeDefinition: typeVisitor,
      UnionTypeExtension: typeVisitor,
      EnumTypeDefinition: typeVisitor,
      EnumTypeExtension: typeVisitor,
      InputObjectTypeDefinition: typeVisitor,
      InputObjectTypeExtension: typeVisitor,
      ScalarTypeDefinition: typeVisitor,
      ScalarTypeExtension: typeVisitor,
      NamedType: (node) => ({ ...node, name: { ...node.name, value: this.typeName(node.name.value) } }),
      FieldDefinition: {
        leave: (node: FieldDefinitionNode) => {
          if (parent === null) return undefined;
          const renamed = this.fieldName(parent, node.name.value);
          const taken = fieldsNamed.get(`${parent}.${renamed}`);
          if (taken !== undefined && taken !== node.name.value)
            throw new Error(`${parent}.${taken} and ${parent}.${node.name.value} would both be named ${renamed} under namespace ${this.prefix}: rename one`);
          fieldsNamed.set(`${parent}.${renamed}`, node.name.value);
          if (renamed === node.name.value) return undefined;
          const fields = this.realFields.get(parent) ?? new Map<string, string>();
          fields.set(renamed, node.name.value);
          this.realFields.set(parent, fields);
          // An entity's own fields (and a value type's along its key) are null where this hub does not know the entity another hub resolved.
          const type = this.keys.has(parent) && node.type.kind === Kind.NON_NULL_TYPE ? node.type.type : node.type;
          return { ...node, name: { ...node.name, value: renamed }, type };
        },
      },
    });
  }

  private fieldName(parent: string, name: string): string {
    if (isFederationName(name)) return name;
    if (ROOT_TYPES.has(parent)) return `${this.prefix}_${name}`;
    const keys = this.keys.get(parent);
    return keys && !keys.has(name) ? `${this.prefix}_${name}` : name;
  }
}

function namedTypeOf(field: FieldDefinitionNode): string {
  let type = field.type;
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
}

/** The field sets of a type's `@key`s (`"plateNumber plateColor"`, `"owner { uscc }"`). */
function keySetsOf(definition: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): SelectionSetNode[] {
  const sets: SelectionSetNode[] = [];
  for (const directive of definition.directives ?? []) {
    if (directive.name.value !== 'key') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'fields');
    if (argument?.value.kind !== Kind.STRING) continue;
    const selection = parse(`{ ${(argument.value as StringValueNode).value} }`).definitions[0];
    if (selection.kind === Kind.OPERATION_DEFINITION) sets.push(selection.selectionSet);
  }
  return sets;
}

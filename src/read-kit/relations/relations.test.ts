import 'reflect-metadata';
import { graphql, printType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Classification } from '../fields/classification';
import type { RequestContext } from '../request-context';
import type { FieldSelection } from '../rows/read-scope';
import { arg, relation } from './relation';
import { Relations } from './relations';

@ObjectType()
class Owner {
  @Field() id!: string;
}

@ObjectType()
class Item {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) ownerId!: string | null;
}

const loads: string[] = [];
const relations = new Relations([
  relation({
    on: () => Item,
    field: 'owner',
    returns: () => Owner,
    nullable: true,
    description: 'The owner, if any.',
    classification: Classification.INTERNAL,
    parentKey: 'ownerId',
    load: (_ctx: RequestContext, { ownerId }) => {
      loads.push(`owner ${ownerId}`);
      return { id: ownerId };
    },
  }),
  relation({
    on: () => Item,
    field: 'siblings',
    returns: () => [Item],
    classification: Classification.PUBLIC,
    parentKey: ['ownerId', 'id'],
    load: (_ctx: RequestContext, { ownerId, id }) => {
      loads.push(`siblings ${ownerId} ${id}`);
      return [];
    },
  }),
  relation({
    on: () => Owner,
    field: 'items',
    returns: () => [Item],
    classification: Classification.PUBLIC,
    parentKey: 'id',
    args: { first: arg<number>(() => Int, { defaultValue: 2 }), prefix: arg<string | null>(() => String, { nullable: true }) },
    load: (_ctx: RequestContext, { id }, { first, prefix }) => {
      loads.push(`items ${id} ${first} ${prefix}`);
      return [];
    },
  }),
  relation({
    on: () => Owner,
    field: 'label',
    returns: () => String,
    classification: Classification.PUBLIC,
    parentKey: 'id',
    load: (_ctx: RequestContext, { id }) => {
      loads.push(`label ${id}`);
      return `owner ${id}`;
    },
  }),
]);

@Resolver()
class RootResolver {
  @Query(() => [Item])
  items(): Item[] {
    return [
      { id: 'a', ownerId: 'o1' },
      { id: 'b', ownerId: null },
    ];
  }
}

const build = () => buildSchema({ resolvers: [RootResolver, ...relations.resolvers()], validate: false });
const context = (selected: Record<string, string[]>) =>
  ({
    relations,
    operation: { selection: { fieldsOf: (type: string) => new Set(selected[type] ?? []) } satisfies FieldSelection },
  }) as unknown as RequestContext;

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await build();
});
beforeEach(() => {
  loads.length = 0;
});

describe('a relation declaration', () => {
  it('gives its type a field resolver as written decorators would: return type, nullability, description, arguments, classification', () => {
    expect(printType(schema.getType('Item')!)).toBe(`type Item {
  id: String!
  ownerId: String

  """The owner, if any."""
  owner: Owner
  siblings: [Item!]!
}`);
    // Arguments print in the order TypeScript applies parameter decorators: last first.
    expect(printType(schema.getType('Owner')!)).toContain('items(prefix: String, first: Int! = 2): [Item!]!');
    expect((schema.getType('Item') as GraphQLObjectType).getFields().owner.extensions.classification).toBe(Classification.INTERNAL);
  });

  it('adds its field once however many schemas are built from it', async () => {
    expect(printType((await build()).getType('Owner')!)).toBe(printType(schema.getType('Owner')!));
  });

  it('loads by the parent key and its arguments, and resolves a missing key to null or an empty list without loading', async () => {
    const result = await graphql({
      schema,
      source: '{ items { id owner { id label items(prefix: "x") { id } } siblings { id } } }',
      contextValue: context({}),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      items: [
        { id: 'a', owner: { id: 'o1', label: 'owner o1', items: [] }, siblings: [] },
        { id: 'b', owner: null, siblings: [] },
      ],
    });
    expect(loads.sort()).toEqual(['items o1 2 x', 'label o1', 'owner o1', 'siblings o1 a']);
  });
});

describe('relations', () => {
  it('name the parent properties every read of a type loads', () => {
    expect(relations.keysOf('Item')).toEqual(['ownerId', 'id']);
    expect(relations.keysOf('Owner')).toEqual(['id']);
    expect(relations.keysOf('Other')).toEqual([]);
  });

  it('prefetch, for a row known by its key, the selected relations that need no more than the key and take no arguments', () => {
    relations.prefetch(context({ Owner: ['label', 'items'] }), Owner, { id: 'o1' });
    relations.prefetch(context({ Item: ['owner', 'siblings'] }), Item, { id: 'a' });
    relations.prefetch(context({ Owner: [] }), Owner, { id: 'o2' });
    expect(loads).toEqual(['label o1']);
  });
});

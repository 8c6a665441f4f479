import 'reflect-metadata';
import { printType, type GraphQLEnumType } from 'graphql';
import { Arg, buildSchema, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { carryOrderings, orderings, type OrderName } from './orderings';

@ObjectType()
class Thing {
  @Field() name!: string;
  @Field() code!: string;
  hash!: string;
}

const thingOrderings = orderings(() => Thing, 'ThingOrder', {
  NAME_ASC: {
    direction: 'asc',
    keys: [
      { property: 'name', column: 'name', type: 'text', value: (t) => t.name },
      { property: 'code', column: 'code', type: 'text', value: (t) => t.code },
    ],
    description: 'By name.',
  },
  HASH_DESC: { direction: 'desc', keys: [{ property: 'hash', column: 'hash', type: 'text', value: (t) => t.hash, opaque: true }] },
});

@Resolver()
class ThingResolver {
  @Query(() => [Thing])
  things(@Arg('orderBy', () => thingOrderings.enum, { defaultValue: thingOrderings.enum.NAME_ASC }) orderBy: OrderName<typeof thingOrderings>): Thing[] {
    return orderBy === 'NAME_ASC' ? [] : [];
  }
}

const build = async () => {
  thingOrderings.registerEnum();
  return buildSchema({ resolvers: [ThingResolver], validate: false });
};

describe('an ordering set, declared once', () => {
  it('is the GraphQL enum, registered once however many schemas are built', async () => {
    await build();
    const schema = await build();
    expect(printType(schema.getType('ThingOrder')!)).toBe('enum ThingOrder {\n  """By name."""\n  NAME_ASC\n  HASH_DESC\n}');
    expect(printType(schema.getQueryType()!)).toContain('things(orderBy: ThingOrder! = NAME_ASC): [Thing!]!');
  });

  it('is the keyset the repositories page by', () => {
    const ordering = thingOrderings.ordering('HASH_DESC');
    expect(ordering).toMatchObject({ name: 'HASH_DESC', direction: 'desc' });
    expect(ordering.keys.map((k) => k.column)).toEqual(['hash']);
    expect(ordering.keys[0].value({ name: 'n', code: 'c', hash: 'h' })).toBe('h');
  });

  it('is what access control reads each value sorts by: fields only, opaque keys left out', async () => {
    const schema = await build();
    carryOrderings(schema, [thingOrderings]);
    const values = (schema.getType('ThingOrder') as GraphQLEnumType).getValues();
    expect(Object.fromEntries(values.map((v) => [v.name, v.extensions.sortsBy]))).toEqual({ NAME_ASC: ['Thing.name', 'Thing.code'], HASH_DESC: [] });
  });
});

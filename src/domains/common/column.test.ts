import { MetadataStorage, type EntityMetadata } from '@mikro-orm/core';
import { printType, type GraphQLObjectType } from 'graphql';
import { buildSchema, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { Column, EnumColumn } from './column';
import { PlateColor } from './enums';

@ObjectType()
class Sample {
  @Column('text', Classification.INTERNAL, { primary: true, graphqlType: () => ID })
  id!: string;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT, description: 'Free text.' })
  note!: string | null;

  @Column('smallint', Classification.INTERNAL, { fieldName: 'axle_count' })
  axles!: number;

  @Column('date', Classification.PUBLIC, { nullable: true })
  validTo!: string | null;

  @Column('timestamptz', Classification.INTERNAL)
  at!: Date;

  @Column('jsonb', Classification.INTERNAL, { graphqlType: () => [String] })
  tags!: string[];

  @EnumColumn(() => PlateColor, Classification.PUBLIC, { primary: true })
  plateColor!: PlateColor;

  @EnumColumn(() => PlateColor, Classification.INTERNAL, { array: true, nullable: true })
  seenColors!: PlateColor[] | null;
}

// The compiler refuses a property whose type is not its column's.
export class Drifted {
  // @ts-expect-error: nullable in the table, not in the property
  @Column('text', Classification.INTERNAL, { nullable: true })
  a!: string;

  // @ts-expect-error: nullable in the property, not in the table
  @Column('integer', Classification.INTERNAL)
  b!: number | null;

  // @ts-expect-error: a day is a string, not a Date
  @Column('date', Classification.INTERNAL)
  c!: Date;

  // @ts-expect-error: one value of the enum, not a list of them
  @EnumColumn(() => PlateColor, Classification.INTERNAL, { array: true })
  d!: PlateColor;
}

@Resolver()
class SampleResolver {
  @Query(() => Sample)
  sample(): Sample {
    return new Sample();
  }
}

describe('Column: one declaration for the column, its classification and its field', () => {
  it("exposes the column's type and nullability, or the type it names", async () => {
    const schema = await buildSchema({ resolvers: [SampleResolver], validate: false, emitSchemaFile: false });
    expect(printType(schema.getType('Sample')!)).toBe(
      [
        'type Sample {',
        '  id: ID!',
        '',
        '  """Free text."""',
        '  note: String',
        '  axles: Int!',
        '  validTo: LocalDate',
        '  at: DateTimeISO!',
        '  tags: [String!]!',
        '  plateColor: PlateColor!',
        '  seenColors: [PlateColor!]',
        '}',
      ].join('\n'),
    );
    const fields = (schema.getType('Sample') as GraphQLObjectType).getFields();
    expect(fields.note.extensions).toEqual({ classification: Classification.PERSONAL, mask: MaskKind.REDACT });
    expect(fields.plateColor.extensions).toEqual({ classification: Classification.PUBLIC });
  });

  it('maps the column as the ORM decorator alone would', () => {
    // Typed by the class given, not its instances.
    const { properties: props } = MetadataStorage.getMetadataFromDecorator(Sample) as unknown as EntityMetadata<Sample>;
    expect(props.id).toMatchObject({ type: 'text', primary: true });
    expect(props.note).toMatchObject({ type: 'text', nullable: true });
    expect(props.axles).toMatchObject({ type: 'smallint', fieldName: 'axle_count' });
    expect(props.axles.nullable).toBeUndefined();
    expect(props.plateColor).toMatchObject({ enum: true, primary: true });
    // Typed as the resolved values; until discovery it is still the thunk given.
    expect((props.plateColor.items as unknown as () => object)()).toBe(PlateColor);
    expect(props.seenColors).toMatchObject({ enum: true, array: true, nullable: true });
  });
});

import { MaskKind } from '../../read-kit/fields/masks';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { TravelDirection } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** A public-security road checkpoint (卡口). */
@Entity({ tableName: 'checkpoint' })
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A public-security road checkpoint (卡口).', simpleResolvers: true })
export class Checkpoint extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  code!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  name!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  road!: string;

  @Enum({ items: () => TravelDirection })
  @Classified(Classification.PUBLIC)
  @Field(() => TravelDirection)
  direction!: TravelDirection;

  @Property({ type: 'double' })
  @Classified(Classification.PUBLIC, MaskKind.COORDINATE)
  @Field(() => Float)
  latitude!: number;

  @Property({ type: 'double' })
  @Classified(Classification.PUBLIC, MaskKind.COORDINATE)
  @Field(() => Float)
  longitude!: number;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  divisionCode!: string;
}

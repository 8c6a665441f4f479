import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { TravelDirection } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** A public-security road checkpoint (卡口). */
@Entity({ tableName: 'checkpoint' })
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A public-security road checkpoint (卡口).', simpleResolvers: true })
export class Checkpoint extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Field()
  code!: string;

  @Property({ type: 'text' })
  @Field()
  name!: string;

  @Property({ type: 'text' })
  @Field()
  road!: string;

  @Enum({ items: () => TravelDirection })
  @Field(() => TravelDirection)
  direction!: TravelDirection;

  @Property({ type: 'double' })
  @Field(() => Float)
  latitude!: number;

  @Property({ type: 'double' })
  @Field(() => Float)
  longitude!: number;

  @Property({ type: 'text' })
  @Field()
  divisionCode!: string;
}

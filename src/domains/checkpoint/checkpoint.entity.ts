import { MaskKind } from '../../read-kit/fields/masks';
import { Entity } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { Directive, ObjectType } from 'type-graphql';
import { TravelDirection } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A public-security road checkpoint (卡口). */
@Entity({ tableName: 'checkpoint' })
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A public-security road checkpoint (卡口).', simpleResolvers: true })
export class Checkpoint extends SyncedEntity {
  @Column('text', Classification.PUBLIC, { primary: true })
  code!: string;

  @Column('text', Classification.PUBLIC)
  name!: string;

  @Column('text', Classification.PUBLIC)
  road!: string;

  @EnumColumn(() => TravelDirection, Classification.PUBLIC)
  direction!: TravelDirection;

  @Column('double', Classification.PUBLIC, { mask: MaskKind.COORDINATE })
  latitude!: number;

  @Column('double', Classification.PUBLIC, { mask: MaskKind.COORDINATE })
  longitude!: number;

  @Column('text', Classification.PUBLIC)
  divisionCode!: string;
}

import { MaskKind } from '../../read-kit/fields/masks';
import { Entity, Index } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { Directive, ObjectType } from 'type-graphql';
import { EnterpriseStatus } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A registered market entity (market regulation), keyed by its unified social credit code. */
@Entity({ tableName: 'enterprise' })
@Index({ properties: ['divisionCode', 'status'] })
@Directive('@key(fields: "uscc")')
@ObjectType({ description: 'A registered market entity (企业), from the market-regulation registry.', simpleResolvers: true })
export class Enterprise extends SyncedEntity {
  @Column('text', Classification.PUBLIC, { primary: true, description: 'Unified social credit code (统一社会信用代码, GB 32100).' })
  uscc!: string;

  @Column('text', Classification.PUBLIC)
  @Index()
  name!: string;

  @Column('text', Classification.PUBLIC, { description: 'Legal form, e.g. 有限责任公司.' })
  type!: string;

  @EnumColumn(() => EnterpriseStatus, Classification.PUBLIC)
  status!: EnterpriseStatus;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.PERSON_NAME, description: 'Legal representative (personal data).' })
  legalRepresentative!: string;

  @Column('double', Classification.PUBLIC, { description: 'Registered capital in yuan.' })
  registeredCapitalYuan!: number;

  @Column('date', Classification.PUBLIC)
  establishedOn!: string;

  @Column('text', Classification.PUBLIC)
  address!: string;

  @Column('text', Classification.PUBLIC, { description: 'GB/T 2260 division code of the registration.' })
  divisionCode!: string;

  @Column('text', Classification.PUBLIC)
  businessScope!: string;
}

import { MaskKind } from '../../read-kit/fields/masks';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { EnterpriseStatus } from '../common/enums';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';

/** A registered market entity (market regulation), keyed by its unified social credit code. */
@Entity({ tableName: 'enterprise' })
@Index({ properties: ['divisionCode', 'status'] })
@Directive('@key(fields: "uscc")')
@ObjectType({ description: 'A registered market entity (企业), from the market-regulation registry.', simpleResolvers: true })
export class Enterprise extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'Unified social credit code (统一社会信用代码, GB 32100).' })
  uscc!: string;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.PUBLIC)
  @Field()
  name!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'Legal form, e.g. 有限责任公司.' })
  type!: string;

  @Enum({ items: () => EnterpriseStatus })
  @Classified(Classification.PUBLIC)
  @Field(() => EnterpriseStatus)
  status!: EnterpriseStatus;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.PERSON_NAME)
  @Field({ description: 'Legal representative (personal data).' })
  legalRepresentative!: string;

  @Property({ type: 'double' })
  @Classified(Classification.PUBLIC)
  @Field(() => Float, { description: 'Registered capital in yuan.' })
  registeredCapitalYuan!: number;

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate)
  establishedOn!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  address!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'GB/T 2260 division code of the registration.' })
  divisionCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  businessScope!: string;
}

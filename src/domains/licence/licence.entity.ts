import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { LicenceScope, LicenceStatus } from '../common/enums';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';

/** A road transport operating licence (道路运输经营许可证). */
@Entity({ tableName: 'operator_licence' })
@ObjectType({ description: 'A road transport operating licence (道路运输经营许可证).', simpleResolvers: true })
export class OperatorLicence extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'Licence number as issued, e.g. 苏交运管许可苏字320500000123号.' })
  number!: string;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.PUBLIC)
  @Field({ description: 'Unified social credit code of the holder.' })
  holderUscc!: string;

  @Enum({ items: () => LicenceScope, array: true })
  @Classified(Classification.PUBLIC)
  @Field(() => [LicenceScope])
  scopes!: LicenceScope[];

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  issuingAuthority!: string;

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate)
  validFrom!: string;

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate)
  validTo!: string;

  @Enum({ items: () => LicenceStatus })
  @Classified(Classification.PUBLIC)
  @Field(() => LicenceStatus)
  status!: LicenceStatus;
}

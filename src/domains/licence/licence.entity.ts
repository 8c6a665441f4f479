import { Entity, Index } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { LicenceScope, LicenceStatus } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A road transport operating licence (道路运输经营许可证). */
@Entity({ tableName: 'operator_licence' })
@ObjectType({ description: 'A road transport operating licence (道路运输经营许可证).', simpleResolvers: true })
export class OperatorLicence extends SyncedEntity {
  @Column('text', Classification.PUBLIC, { primary: true, description: 'Licence number as issued, e.g. 苏交运管许可苏字320500000123号.' })
  number!: string;

  @Column('text', Classification.PUBLIC, { description: 'Unified social credit code of the holder.' })
  @Index()
  holderUscc!: string;

  @EnumColumn(() => LicenceScope, Classification.PUBLIC, { array: true })
  scopes!: LicenceScope[];

  @Column('text', Classification.PUBLIC)
  issuingAuthority!: string;

  @Column('date', Classification.PUBLIC)
  validFrom!: string;

  @Column('date', Classification.PUBLIC)
  validTo!: string;

  @EnumColumn(() => LicenceStatus, Classification.PUBLIC)
  status!: LicenceStatus;
}

import { MaskKind } from '../../read-kit/fields/masks';
import { Entity, Index } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { PractitionerStatus, QualificationCategory } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A road transport practitioner (从业人员): personal data throughout. */
@Entity({ tableName: 'practitioner' })
@ObjectType({ description: 'A road transport practitioner (从业人员).', simpleResolvers: true })
export class Practitioner extends SyncedEntity {
  @Column('text', Classification.SENSITIVE_PERSONAL, {
    primary: true,
    mask: MaskKind.RESIDENT_ID,
    description: 'Resident identity number (GB 11643): sensitive personal data.',
  })
  idNumber!: string;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.PERSON_NAME })
  name!: string;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.PHONE })
  phone!: string | null;

  @EnumColumn(() => QualificationCategory, Classification.PERSONAL)
  qualificationCategory!: QualificationCategory;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.CERTIFICATE })
  @Index()
  certificateNumber!: string;

  @Column('text', Classification.PERSONAL, { nullable: true, description: 'Unified social credit code of the employer.' })
  @Index()
  employerUscc!: string | null;

  @EnumColumn(() => PractitionerStatus, Classification.PERSONAL)
  status!: PractitionerStatus;
}

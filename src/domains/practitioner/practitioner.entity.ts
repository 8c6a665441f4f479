import { MaskKind } from '../../read-kit/fields/masks';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { PractitionerStatus, QualificationCategory } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** A road transport practitioner (从业人员): personal data throughout. */
@Entity({ tableName: 'practitioner' })
@ObjectType({ description: 'A road transport practitioner (从业人员).', simpleResolvers: true })
export class Practitioner extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.SENSITIVE_PERSONAL, MaskKind.RESIDENT_ID)
  @Field({ description: 'Resident identity number (GB 11643): sensitive personal data.' })
  idNumber!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.PERSON_NAME)
  @Field()
  name!: string;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.PHONE)
  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Enum({ items: () => QualificationCategory })
  @Classified(Classification.PERSONAL)
  @Field(() => QualificationCategory)
  qualificationCategory!: QualificationCategory;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.PERSONAL, MaskKind.CERTIFICATE)
  @Field()
  certificateNumber!: string;

  @Property({ type: 'text', nullable: true })
  @Index()
  @Classified(Classification.PERSONAL)
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the employer.' })
  employerUscc!: string | null;

  @Enum({ items: () => PractitionerStatus })
  @Classified(Classification.PERSONAL)
  @Field(() => PractitionerStatus)
  status!: PractitionerStatus;
}

import { Entity, Index } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { SyncedEntity } from '../common/synced-entity';
import { Column } from '../common/column';

/** One bureau's case linked to a joint case. */
@ObjectType({ description: 'A member bureau’s own case, linked to a joint case.', simpleResolvers: true })
export class JointCaseLink {
  @Classified(Classification.INTERNAL)
  @Field()
  agency!: string;

  @Classified(Classification.INTERNAL)
  @Field()
  caseNumber!: string;
}

/**
 * A joint case (联合办案组) across bureaus: led by one, with members, each linking its own cases.
 * Every member's hub keeps a copy, merged from what the others send (links are only added).
 */
@Entity({ tableName: 'joint_case' })
@Index({ properties: ['createdAt', 'id'] })
@ObjectType({ description: 'A joint case (联合办案) led by one bureau, with member bureaus and their linked local cases.', simpleResolvers: true })
export class JointCase extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true, description: 'The lead bureau’s id, the same on every member’s hub.' })
  id!: string;

  @Column('text', Classification.INTERNAL)
  title!: string;

  @Column('text', Classification.INTERNAL, { description: 'The lead bureau (牵头单位).' })
  leadAgency!: string;

  @Column('text[]', Classification.INTERNAL, { description: 'Every member bureau, the lead included.' })
  members!: string[];

  @Column('jsonb', Classification.INTERNAL, { graphqlType: () => [JointCaseLink], description: 'The members’ own cases linked to it.' })
  linkedCases!: JointCaseLink[];

  @Column('timestamptz', Classification.INTERNAL)
  createdAt!: Date;
}

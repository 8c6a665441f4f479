import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { LocalDate } from '../common/scalars';
import { RecognisedPeerRecord } from './recognised-peer-record.entity';

/**
 * A peer bureau's published random-inspection result (公示), recognised here (检查结果互认): shown
 * beside our own, marked as the peer's, so an enterprise it inspected need not be inspected again
 * for the same items. Only what its publication shows travels: no findings, no inspector.
 */
@Entity({ tableName: 'recognised_inspection_result' })
@Index({ properties: ['uscc', 'recognisedAt', 'id'] })
@ObjectType({ description: 'A peer bureau’s published inspection result, recognised by this bureau (检查结果互认).', simpleResolvers: true })
export class RecognisedInspectionResult extends RecognisedPeerRecord {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: '<issuing agency>/<its result id>.' })
  id!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The issuing hub’s id of the result (<task>/<credit code>).' })
  resultId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'The enterprise’s unified social credit code.' })
  uscc!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  enterpriseName!: string;

  @Property({ type: 'text[]' })
  @Classified(Classification.PUBLIC)
  @Field(() => [String], { description: 'The issuer’s random-inspection items inspected.' })
  itemCodes!: string[];

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate)
  inspectedOn!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'COMPLIANT, ISSUES_FOUND or NOT_FOUND_AT_ADDRESS, as the issuer published it.' })
  outcome!: string;
}

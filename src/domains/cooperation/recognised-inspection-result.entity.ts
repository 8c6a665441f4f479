import { Entity, Index } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { RecognisedPeerRecord } from './recognised-peer-record.entity';
import { Column } from '../common/column';

/**
 * A peer bureau's published random-inspection result (公示), recognised here (检查结果互认): shown
 * beside our own, marked as the peer's, so an enterprise it inspected need not be inspected again
 * for the same items. Only what its publication shows travels: no findings, no inspector.
 */
@Entity({ tableName: 'recognised_inspection_result' })
@Index({ properties: ['uscc', 'recognisedAt', 'id'] })
@ObjectType({ description: 'A peer bureau’s published inspection result, recognised by this bureau (检查结果互认).', simpleResolvers: true })
export class RecognisedInspectionResult extends RecognisedPeerRecord {
  @Column('text', Classification.INTERNAL, { primary: true, description: '<issuing agency>/<its result id>.' })
  id!: string;

  @Column('text', Classification.INTERNAL, { description: 'The issuing hub’s id of the result (<task>/<credit code>).' })
  resultId!: string;

  @Column('text', Classification.PUBLIC, { description: 'The enterprise’s unified social credit code.' })
  uscc!: string;

  @Column('text', Classification.PUBLIC)
  enterpriseName!: string;

  @Column('text[]', Classification.PUBLIC, { description: 'The issuer’s random-inspection items inspected.' })
  itemCodes!: string[];

  @Column('date', Classification.PUBLIC)
  inspectedOn!: string;

  @Column('text', Classification.PUBLIC, { description: 'COMPLIANT, ISSUES_FOUND or NOT_FOUND_AT_ADDRESS, as the issuer published it.' })
  outcome!: string;
}

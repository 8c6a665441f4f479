import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { ID, ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { InspectionFinding, InspectionLevel, InspectionOutcome, InspectionTaskStatus } from './inspection.types';
import { Column, EnumColumn } from '../common/column';

/*
 * Random inspections as the read gateway reads them: hub-native rows (provenance HUB) written
 * only by `InspectionWrites`, never soft-deleted (their tables refuse updates and deletes, see
 * migration random_inspections), so the gateway's soft-delete condition has nothing to add.
 * Tasks, drawn objects and results are read through views (migration inspection_reads) that put
 * what the commitment and the draw publish beside the row. Fields computed over several rows
 * (a task's drawn objects, a plan's tasks and split) are relations (inspection.relations.ts).
 */

@Entity({ tableName: 'inspector' })
@ObjectType({
  description: 'An enforcement officer of the inspector roster (执法检查人员名录库), maintained in the hub (provenance HUB).',
  simpleResolvers: true,
})
export class Inspector {
  @Column('text', Classification.INTERNAL, { primary: true, graphqlType: () => ID })
  id!: string;

  @Column('text', Classification.INTERNAL, { description: 'The agency whose officer this is; with subject, how a token names them.' })
  agency!: string;

  @Column('text', Classification.PERSONAL, {
    mask: MaskKind.REDACT,
    description: 'Their token subject within the agency (谁检查、谁录入 is checked against it).',
  })
  subject!: string;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.PERSON_NAME })
  name!: string;

  @Column('text', Classification.INTERNAL)
  unit!: string;

  @Column('text', Classification.INTERNAL)
  post!: string;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.CERTIFICATE, description: '执法证号, the enforcement certificate number.' })
  certificateNumber!: string;

  @Column('text', Classification.PERSONAL, { mask: MaskKind.PHONE })
  phone!: string;

  @Column('text', Classification.INTERNAL)
  division!: string;
}

@Entity({ tableName: 'inspection_drawn_object' })
@ObjectType({ description: 'An object a draw picked, with the inspectors matched to it and its result once recorded.', simpleResolvers: true })
export class DrawnInspectionObject {
  @PrimaryKey({ type: 'text' })
  taskId!: string;

  @Column('text', Classification.PUBLIC, { primary: true })
  uscc!: string;

  /** Its place in the draw result (1-based): the order the draw picked objects in. */
  @Property({ type: 'integer' })
  position!: number;

  @Column('text', Classification.PUBLIC)
  enterpriseName!: string;

  @Column('text', Classification.INTERNAL)
  stratum!: string;

  @Column('text[]', Classification.INTERNAL, { description: 'Ids of the matched inspectors (at least two of the lead unit).' })
  inspectorIds!: string[];

  @EnumColumn(() => InspectionOutcome, Classification.INTERNAL, { nullable: true })
  outcome!: InspectionOutcome | null;

  @Column('boolean', Classification.INTERNAL, {
    nullable: true,
    description: 'Listed for supervision (挂牌督办) when the task was committed; null for tasks committed before it was recorded.',
  })
  supervised!: boolean | null;

  @Column('integer', Classification.INTERNAL, {
    nullable: true,
    description: 'Past findings when the task was committed: this hub’s published results of it not COMPLIANT within the rule’s pastFindingsMonths.',
  })
  failedInspections!: number | null;

  @EnumColumn(() => InspectionOutcome, Classification.INTERNAL, {
    nullable: true,
    description: 'Its last published result before the task was committed, if any.',
  })
  lastOutcome!: InspectionOutcome | null;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'YYYY-MM-DD of that result.' })
  lastInspectedOn!: string | null;
}

@Entity({ tableName: 'inspection_task_read' })
@ObjectType({
  description: 'A random-inspection task: an item, a roster filter and sampling ratios per stratum, committed then drawn once.',
  simpleResolvers: true,
})
export class InspectionTask {
  @Column('text', Classification.INTERNAL, { primary: true, graphqlType: () => ID })
  id!: string;

  @Column('text', Classification.INTERNAL)
  planId!: string;

  @Column('text', Classification.INTERNAL)
  itemCode!: string;

  @Column('text[]', Classification.INTERNAL, { description: 'Joint items (联合抽查) inspected in the same visit.' })
  jointItemCodes!: string[];

  @EnumColumn(() => InspectionLevel, Classification.INTERNAL)
  level!: InspectionLevel;

  @Column('text', Classification.INTERNAL, { description: 'The GB/T 2260 division (prefix) the roster is drawn from.' })
  division!: string;

  @EnumColumn(() => InspectionTaskStatus, Classification.INTERNAL)
  status!: InspectionTaskStatus;

  @Column('integer', Classification.INTERNAL)
  rosterSize!: number;

  @Column('text', Classification.INTERNAL)
  rosterHash!: string;

  @Column('text', Classification.INTERNAL)
  seedCommitment!: string;

  @Column('integer', Classification.INTERNAL, { description: 'The audit chain event whose hash is the draw’s outside input.' })
  beaconSeq!: number;

  @Column('integer', Classification.INTERNAL)
  objectsDrawn!: number;

  @Column('integer', Classification.INTERNAL)
  resultsRecorded!: number;

  @Column('timestamptz', Classification.INTERNAL)
  createdAt!: Date;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true })
  drawnAt!: Date | null;

  /** Objects per stratum of the frozen roster: with `ratios`, how many the task draws (`objectsToDraw`), fixed at commitment. */
  @Property({ type: 'jsonb' })
  stratumSizes!: Record<string, number>;

  /** The sampling ratio per stratum the pool was committed with. */
  @Property({ type: 'jsonb' })
  ratios!: Record<string, number>;

  @Column('text', Classification.INTERNAL, {
    description: 'The published draw document (JSON), as GET /public/draws/<id> serves it: recompute it with npm run draw:verify:published.',
  })
  publishedDraw!: string;
}

@Entity({ tableName: 'inspection_plan' })
@ObjectType({ description: "A unit's annual random-inspection plan.", simpleResolvers: true })
export class InspectionPlan {
  @Column('text', Classification.INTERNAL, { primary: true, graphqlType: () => ID })
  id!: string;

  @Column('smallint', Classification.INTERNAL)
  year!: number;

  @Column('text', Classification.INTERNAL)
  unit!: string;

  @Column('text', Classification.INTERNAL)
  division!: string;

  @Column('text', Classification.INTERNAL)
  title!: string;

  @Column('text', Classification.INTERNAL)
  ruleVersion!: string;

  @Column('integer', Classification.INTERNAL, {
    nullable: true,
    description: 'Objects the plan means to inspect; null for plans made before plans stated it (no city task).',
  })
  plannedObjects!: number | null;
}

@Entity({ tableName: 'inspection_result_read' })
@ObjectType({ description: 'The published result of one inspected object (公示). Nothing personal: who inspected is not named.', simpleResolvers: true })
export class InspectionResult {
  @Column('text', Classification.PUBLIC, { primary: true })
  taskId!: string;

  @Column('text', Classification.PUBLIC, { primary: true })
  uscc!: string;

  @Column('text', Classification.PUBLIC)
  enterpriseName!: string;

  @Column('text[]', Classification.PUBLIC)
  itemCodes!: string[];

  @Column('date', Classification.PUBLIC, { graphqlType: () => String, description: 'YYYY-MM-DD' })
  inspectedOn!: string;

  @EnumColumn(() => InspectionOutcome, Classification.PUBLIC)
  outcome!: InspectionOutcome;

  @Column('timestamptz', Classification.PUBLIC, { fieldName: 'recorded_at' })
  publishedAt!: Date;

  @Column('date', Classification.PUBLIC, { graphqlType: () => String, description: 'YYYY-MM-DD: the last day of the five working days.' })
  publicationDue!: string;

  @Column('jsonb', Classification.INTERNAL, { graphqlType: () => [InspectionFinding] })
  findings!: InspectionFinding[];

  @Column('text[]', Classification.INTERNAL, { description: 'Attachments by reference (document store keys).' })
  attachments!: string[];
}

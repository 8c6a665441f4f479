import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { InspectionFinding, InspectionLevel, InspectionOutcome, InspectionTaskStatus } from './inspection.types';

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
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field(() => ID)
  id!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The agency whose officer this is; with subject, how a token names them.' })
  agency!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field({ description: 'Their token subject within the agency (谁检查、谁录入 is checked against it).' })
  subject!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.PERSON_NAME)
  @Field()
  name!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  unit!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  post!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.CERTIFICATE)
  @Field({ description: '执法证号, the enforcement certificate number.' })
  certificateNumber!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.PHONE)
  @Field()
  phone!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  division!: string;
}

@Entity({ tableName: 'inspection_drawn_object' })
@ObjectType({ description: 'An object a draw picked, with the inspectors matched to it and its result once recorded.', simpleResolvers: true })
export class DrawnInspectionObject {
  @PrimaryKey({ type: 'text' })
  taskId!: string;

  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  uscc!: string;

  /** Its place in the draw result (1-based): the order the draw picked objects in. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  enterpriseName!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  stratum!: string;

  @Property({ type: 'text[]' })
  @Classified(Classification.INTERNAL)
  @Field(() => [String], { description: 'Ids of the matched inspectors (at least two of the lead unit).' })
  inspectorIds!: string[];

  @Enum({ items: () => InspectionOutcome, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => InspectionOutcome, { nullable: true })
  outcome!: InspectionOutcome | null;

  @Property({ type: 'boolean', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Boolean, {
    nullable: true,
    description: 'Listed for supervision (挂牌督办) when the task was committed; null for tasks committed before it was recorded.',
  })
  supervised!: boolean | null;

  @Property({ type: 'integer', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, {
    nullable: true,
    description: 'Past findings when the task was committed: this hub’s published results of it not COMPLIANT within the rule’s pastFindingsMonths.',
  })
  failedInspections!: number | null;

  @Enum({ items: () => InspectionOutcome, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => InspectionOutcome, { nullable: true, description: 'Its last published result before the task was committed, if any.' })
  lastOutcome!: InspectionOutcome | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD of that result.' })
  lastInspectedOn!: string | null;
}

@Entity({ tableName: 'inspection_task_read' })
@ObjectType({
  description: 'A random-inspection task: an item, a roster filter and sampling ratios per stratum, committed then drawn once.',
  simpleResolvers: true,
})
export class InspectionTask {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field(() => ID)
  id!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  planId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  itemCode!: string;

  @Property({ type: 'text[]' })
  @Classified(Classification.INTERNAL)
  @Field(() => [String], { description: 'Joint items (联合抽查) inspected in the same visit.' })
  jointItemCodes!: string[];

  @Enum({ items: () => InspectionLevel })
  @Classified(Classification.INTERNAL)
  @Field(() => InspectionLevel)
  level!: InspectionLevel;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The GB/T 2260 division (prefix) the roster is drawn from.' })
  division!: string;

  @Enum({ items: () => InspectionTaskStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => InspectionTaskStatus)
  status!: InspectionTaskStatus;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  rosterSize!: number;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  rosterHash!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  seedCommitment!: string;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'The audit chain event whose hash is the draw’s outside input.' })
  beaconSeq!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  objectsDrawn!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  resultsRecorded!: number;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true })
  drawnAt!: Date | null;

  /** Objects per stratum of the frozen roster: with `ratios`, how many the task draws (`objectsToDraw`), fixed at commitment. */
  @Property({ type: 'jsonb' })
  stratumSizes!: Record<string, number>;

  /** The sampling ratio per stratum the pool was committed with. */
  @Property({ type: 'jsonb' })
  ratios!: Record<string, number>;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The published draw document (JSON), as GET /public/draws/<id> serves it: recompute it with npm run draw:verify:published.' })
  publishedDraw!: string;
}

@Entity({ tableName: 'inspection_plan' })
@ObjectType({ description: "A unit's annual random-inspection plan.", simpleResolvers: true })
export class InspectionPlan {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field(() => ID)
  id!: string;

  @Property({ type: 'smallint' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  year!: number;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  unit!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  division!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  title!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  ruleVersion!: string;

  @Property({ type: 'integer', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'Objects the plan means to inspect; null for plans made before plans stated it (no city task).' })
  plannedObjects!: number | null;
}

@Entity({ tableName: 'inspection_result_read' })
@ObjectType({ description: 'The published result of one inspected object (公示). Nothing personal: who inspected is not named.', simpleResolvers: true })
export class InspectionResult {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  taskId!: string;

  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  uscc!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  enterpriseName!: string;

  @Property({ type: 'text[]' })
  @Classified(Classification.PUBLIC)
  @Field(() => [String])
  itemCodes!: string[];

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'YYYY-MM-DD' })
  inspectedOn!: string;

  @Enum({ items: () => InspectionOutcome })
  @Classified(Classification.PUBLIC)
  @Field(() => InspectionOutcome)
  outcome!: InspectionOutcome;

  @Property({ type: 'timestamptz', fieldName: 'recorded_at' })
  @Classified(Classification.PUBLIC)
  @Field()
  publishedAt!: Date;

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'YYYY-MM-DD: the last day of the five working days.' })
  publicationDue!: string;

  @Property({ type: 'jsonb' })
  @Classified(Classification.INTERNAL)
  @Field(() => [InspectionFinding])
  findings!: InspectionFinding[];

  @Property({ type: 'text[]' })
  @Classified(Classification.INTERNAL)
  @Field(() => [String], { description: 'Attachments by reference (document store keys).' })
  attachments!: string[];
}

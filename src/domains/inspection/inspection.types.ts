import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';

export enum InspectionLevel {
  DISTRICT = 'DISTRICT',
  CITY = 'CITY',
}
registerEnumType(InspectionLevel, {
  name: 'InspectionLevel',
  description: 'Who draws: a district (70% of a plan, in its own area) or the city (30%, city-wide).',
});

export enum InspectionTaskStatus {
  COMMITTED = 'COMMITTED',
  DRAWN = 'DRAWN',
}
registerEnumType(InspectionTaskStatus, {
  name: 'InspectionTaskStatus',
  description: 'COMMITTED: roster, pool and seed hash published, not drawn; DRAWN: drawn once, for good.',
});

export enum InspectionOutcome {
  COMPLIANT = 'COMPLIANT',
  ISSUES_FOUND = 'ISSUES_FOUND',
  NOT_FOUND_AT_ADDRESS = 'NOT_FOUND_AT_ADDRESS',
}
registerEnumType(InspectionOutcome, { name: 'InspectionOutcome', description: 'The result of one inspected object.' });

@ObjectType({ description: 'A check item of a random-inspection item: results record a finding against it.', simpleResolvers: true })
export class CheckItem {
  @Classified(Classification.PUBLIC) @Field() code!: string;
  @Classified(Classification.PUBLIC) @Field() text!: string;
}

@ObjectType({ description: 'A random-inspection item (随机抽查事项清单), from schema/rules/inspection-items.json.', simpleResolvers: true })
export class InspectionItem {
  @Classified(Classification.PUBLIC) @Field() code!: string;
  @Classified(Classification.PUBLIC) @Field() name!: string;
  @Classified(Classification.PUBLIC) @Field() legalBasis!: string;
  @Classified(Classification.PUBLIC) @Field({ description: 'The inspecting unit (an agency).' }) unit!: string;
  @Classified(Classification.PUBLIC)
  @Field(() => [String], { description: 'Holders of a valid operator licence of one of these scopes are its objects.' })
  objectScopes!: string[];
  @Classified(Classification.PUBLIC) @Field() method!: string;
  @Classified(Classification.PUBLIC) @Field() content!: string;
  @Classified(Classification.PUBLIC) @Field(() => [CheckItem]) checkItems!: CheckItem[];
  @Classified(Classification.PUBLIC)
  @Field(() => [String], { description: 'Items of other units inspected in the same visit of a joint task (进一次门、查多项事).' })
  jointWith!: string[];
  @Classified(Classification.PUBLIC) @Field({ description: 'The rule file version the item is read from.' }) ruleVersion!: string;
}

@ObjectType({ description: 'An entry of the responsibility list (随机检查事项责任清单).', simpleResolvers: true })
export class InspectionResponsibility {
  @Classified(Classification.PUBLIC) @Field() unit!: string;
  @Classified(Classification.PUBLIC) @Field(() => [String]) items!: string[];
  @Classified(Classification.PUBLIC) @Field() performer!: string;
  @Classified(Classification.PUBLIC) @Field() standard!: string;
  @Classified(Classification.PUBLIC) @Field() accountability!: string;
  @Classified(Classification.PUBLIC) @Field() accountabilityBasis!: string;
}

@ObjectType({
  description: 'An enforcement officer of the inspector roster (执法检查人员名录库), maintained in the hub (provenance HUB).',
  simpleResolvers: true,
})
export class Inspector {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field({ description: 'The agency whose officer this is; with subject, how a token names them.' }) agency!: string;
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field({ description: 'Their token subject within the agency (谁检查、谁录入 is checked against it).' })
  subject!: string;
  @Classified(Classification.PERSONAL, MaskKind.PERSON_NAME) @Field() name!: string;
  @Classified(Classification.INTERNAL) @Field() unit!: string;
  @Classified(Classification.INTERNAL) @Field() post!: string;
  @Classified(Classification.PERSONAL, MaskKind.CERTIFICATE)
  @Field({ description: '执法证号, the enforcement certificate number.' })
  certificateNumber!: string;
  @Classified(Classification.PERSONAL, MaskKind.PHONE) @Field() phone!: string;
  @Classified(Classification.INTERNAL) @Field() division!: string;
}

@ObjectType({ description: 'An object a draw picked, with the inspectors matched to it and its result once recorded.', simpleResolvers: true })
export class DrawnInspectionObject {
  @Classified(Classification.PUBLIC) @Field() uscc!: string;
  @Classified(Classification.PUBLIC) @Field() enterpriseName!: string;
  @Classified(Classification.INTERNAL) @Field() stratum!: string;
  @Classified(Classification.INTERNAL)
  @Field(() => [String], { description: 'Ids of the matched inspectors (at least two of the lead unit).' })
  inspectorIds!: string[];
  @Classified(Classification.INTERNAL) @Field(() => InspectionOutcome, { nullable: true }) outcome!: InspectionOutcome | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Boolean, {
    nullable: true,
    description: 'Listed for supervision (挂牌督办) when the task was committed; null for tasks committed before it was recorded.',
  })
  supervised!: boolean | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, {
    nullable: true,
    description: 'Past findings when the task was committed: this hub’s published results of it not COMPLIANT within the rule’s pastFindingsMonths.',
  })
  failedInspections!: number | null;
  @Classified(Classification.INTERNAL)
  @Field(() => InspectionOutcome, { nullable: true, description: 'Its last published result before the task was committed, if any.' })
  lastOutcome!: InspectionOutcome | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'YYYY-MM-DD of that result.' }) lastInspectedOn!: string | null;
}

@ObjectType({ description: 'An enterprise listed for supervision by the transport bureau (挂牌督办), hub-native (provenance HUB).', simpleResolvers: true })
export class SupervisionListing {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field() uscc!: string;
  @Classified(Classification.INTERNAL) @Field({ description: 'The listing agency.' }) agency!: string;
  @Classified(Classification.INTERNAL) @Field() reason!: string;
  @Classified(Classification.INTERNAL) @Field() listedAt!: Date;
  @Classified(Classification.INTERNAL) @Field(() => Date, { nullable: true, description: 'When delisted (摘牌); null while listed.' }) delistedAt!: Date | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) delistReason!: string | null;
}

@ObjectType({
  description: 'A random-inspection task: an item, a roster filter and sampling ratios per stratum, committed then drawn once.',
  simpleResolvers: true,
})
export class InspectionTask {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field() planId!: string;
  @Classified(Classification.INTERNAL) @Field() itemCode!: string;
  @Classified(Classification.INTERNAL) @Field(() => [String], { description: 'Joint items (联合抽查) inspected in the same visit.' }) jointItemCodes!: string[];
  @Classified(Classification.INTERNAL) @Field(() => InspectionLevel) level!: InspectionLevel;
  @Classified(Classification.INTERNAL) @Field({ description: 'The GB/T 2260 division (prefix) the roster is drawn from.' }) division!: string;
  @Classified(Classification.INTERNAL) @Field(() => InspectionTaskStatus) status!: InspectionTaskStatus;
  @Classified(Classification.INTERNAL) @Field(() => Int) rosterSize!: number;
  @Classified(Classification.INTERNAL) @Field() rosterHash!: string;
  @Classified(Classification.INTERNAL) @Field() seedCommitment!: string;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'The audit chain event whose hash is the draw’s outside input.' }) beaconSeq!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) objectsDrawn!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) resultsRecorded!: number;
  @Classified(Classification.INTERNAL) @Field() createdAt!: Date;
  @Classified(Classification.INTERNAL) @Field(() => Date, { nullable: true }) drawnAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => [DrawnInspectionObject], { description: 'What the draw picked; empty before it.' })
  drawn!: DrawnInspectionObject[];
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The published draw document (JSON), as GET /public/draws/<id> serves it: recompute it with npm run draw:verify:published.' })
  publishedDraw!: string;
}

@ObjectType({ description: "A unit's annual random-inspection plan.", simpleResolvers: true })
export class InspectionPlan {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field(() => Int) year!: number;
  @Classified(Classification.INTERNAL) @Field() unit!: string;
  @Classified(Classification.INTERNAL) @Field() division!: string;
  @Classified(Classification.INTERNAL) @Field() title!: string;
  @Classified(Classification.INTERNAL) @Field() ruleVersion!: string;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'Objects the plan means to inspect; null for plans made before plans stated it (no city task).' })
  plannedObjects!: number | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Objects city tasks may draw: (1 − districtShare of the rule) of plannedObjects; more is PLAN_SPLIT.' })
  cityQuota!: number;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Objects the plan’s city tasks draw, drawn or committed (fixed at commitment): at most cityQuota.' })
  cityCommitted!: number;
  @Classified(Classification.INTERNAL)
  @Field(() => Float, {
    description: 'Share of drawn objects in district tasks (the rule: at least districtShare, 70%); null before any draw.',
    nullable: true,
  })
  districtShare!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => [InspectionTask]) tasks!: InspectionTask[];
}

@ObjectType({ description: 'A finding against one check item.', simpleResolvers: true })
export class InspectionFinding {
  @Classified(Classification.INTERNAL) @Field() checkItem!: string;
  @Classified(Classification.INTERNAL) @Field() compliant!: boolean;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) note!: string | null;
}

@ObjectType({ description: 'The published result of one inspected object (公示). Nothing personal: who inspected is not named.', simpleResolvers: true })
export class InspectionResult {
  @Classified(Classification.PUBLIC) @Field({ description: 'Stable id: <task id>/<credit code>.' }) id!: string;
  @Classified(Classification.PUBLIC) @Field({ description: 'Pass as `after` to read on from this result.' }) cursor!: string;
  @Classified(Classification.PUBLIC) @Field() taskId!: string;
  @Classified(Classification.PUBLIC) @Field() uscc!: string;
  @Classified(Classification.PUBLIC) @Field() enterpriseName!: string;
  @Classified(Classification.PUBLIC) @Field(() => [String]) itemCodes!: string[];
  @Classified(Classification.PUBLIC) @Field({ description: 'YYYY-MM-DD' }) inspectedOn!: string;
  @Classified(Classification.PUBLIC) @Field(() => InspectionOutcome) outcome!: InspectionOutcome;
  @Classified(Classification.PUBLIC) @Field() publishedAt!: Date;
  @Classified(Classification.PUBLIC) @Field({ description: 'YYYY-MM-DD: the last day of the five working days.' }) publicationDue!: string;
  @Classified(Classification.INTERNAL) @Field(() => [InspectionFinding]) findings!: InspectionFinding[];
  @Classified(Classification.INTERNAL) @Field(() => [String], { description: 'Attachments by reference (document store keys).' }) attachments!: string[];
}

@ObjectType({ description: 'A task as a mutation or a live event left it: read inspectionTask(id) for the rest.', simpleResolvers: true })
export class InspectionTaskChange {
  @Classified(Classification.INTERNAL) @Field() taskId!: string;
  @Classified(Classification.INTERNAL) @Field() planId!: string;
  @Classified(Classification.INTERNAL) @Field(() => InspectionTaskStatus) status!: InspectionTaskStatus;
  @Classified(Classification.INTERNAL) @Field() division!: string;
  @Classified(Classification.INTERNAL) @Field(() => Int) objectsDrawn!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) resultsRecorded!: number;
}

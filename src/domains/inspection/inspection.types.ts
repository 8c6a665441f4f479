import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';

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

@ObjectType({ description: 'A finding against one check item.', simpleResolvers: true })
export class InspectionFinding {
  @Classified(Classification.INTERNAL) @Field() checkItem!: string;
  @Classified(Classification.INTERNAL) @Field() compliant!: boolean;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) note!: string | null;
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

import { Field, Float, InputType } from 'type-graphql';
import { InspectionLevel } from './inspection.types';

@InputType({ description: 'A stratum and the ratio drawn from it (0..1), overriding the rule file’s.' })
export class StratumRatioInput {
  @Field() stratum!: string;
  @Field(() => Float) ratio!: number;
}

@InputType({ description: 'A random-inspection task: item, roster filter (定向抽取 when narrowed) and ratios per stratum.' })
export class InspectionTaskInput {
  @Field() planId!: string;
  @Field({ description: 'An item of inspectionItems, inspected by the plan’s unit.' }) itemCode!: string;
  @Field({ defaultValue: false, description: 'Also inspect the item’s joint items (jointWith) in the same visit, with their units’ inspectors.' })
  joint!: boolean;
  @Field(() => InspectionLevel) level!: InspectionLevel;
  @Field({ description: 'The GB/T 2260 division (prefix) the roster is drawn from, within the plan’s.' }) division!: string;
  @Field(() => [String], { nullable: true, description: 'Directed draw: only these enterprise types.' }) enterpriseTypes!: string[] | null;
  @Field(() => Float, { nullable: true, description: 'Directed draw by size: registered capital at least this (yuan).' }) minRegisteredCapitalYuan!:
    number | null;
  @Field(() => [String], { nullable: true, description: 'Directed draw: only enterprises of these risk grades (A–D).' }) riskGrades!: string[] | null;
  @Field({ defaultValue: false, description: 'Directed draw: only enterprises listed for supervision (挂牌督办).' }) supervisedOnly!: boolean;
  @Field({ defaultValue: false, description: 'Directed draw: only enterprises with past findings (results not COMPLIANT within the rule’s months).' })
  withPastFindingsOnly!: boolean;
  @Field(() => [StratumRatioInput], { nullable: true }) ratios!: StratumRatioInput[] | null;
}

@InputType({ description: 'An enforcement officer joining the inspector roster.' })
export class InspectorInput {
  @Field() name!: string;
  @Field() unit!: string;
  @Field() post!: string;
  @Field({ description: '执法证号.' }) certificateNumber!: string;
  @Field() phone!: string;
  @Field({ description: 'GB/T 2260 division they work in (6 digits).' }) division!: string;
  @Field({ description: 'Their token subject within your agency: how the hub knows them when they record a result.' }) subject!: string;
}

@InputType({ description: 'A finding against one check item of the task’s items.' })
export class FindingInput {
  @Field() checkItem!: string;
  @Field() compliant!: boolean;
  @Field(() => String, { nullable: true }) note!: string | null;
}

@InputType({ description: 'An attachment by reference: its key in the document store, and its SHA-256 if known.' })
export class AttachmentInput {
  @Field() ref!: string;
  @Field(() => String, { nullable: true }) sha256!: string | null;
}

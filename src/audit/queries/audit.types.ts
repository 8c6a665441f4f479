import { Tests } from '../../read-kit/fields/argument-tests';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';

@ObjectType({ description: 'A count per key (a field, or an agency).', simpleResolvers: true })
export class KeyCount {
  @Classified(Classification.INTERNAL) @Field() key!: string;
  @Classified(Classification.INTERNAL) @Field(() => Int) count!: number;
}

@ObjectType({ description: 'One audited operation: who, under which agreement, why, what was asked and returned.', simpleResolvers: true })
export class AuditEvent {
  @Classified(Classification.INTERNAL) @Field(() => ID) seq!: string;
  @Classified(Classification.INTERNAL) @Field() occurredAt!: Date;
  @Classified(Classification.INTERNAL) @Field() agency!: string;
  @Classified(Classification.INTERNAL) @Field({ description: 'The officer or service that called.' }) subject!: string;
  @Classified(Classification.INTERNAL) @Field(() => [String]) roles!: string[];
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) agreement!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) purpose!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) caseNumber!: string | null;
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: "`ALL_PLATES` when the case was declared to reach every plate's captures." })
  caseScope!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'The operation name the client chose.' }) operationName!:
    string | null;
  @Classified(Classification.INTERNAL) @Field({ description: 'SHA-256 of the operation document.' }) documentHash!: string;
  @Classified(Classification.INTERNAL)
  @Field(() => String, {
    nullable: true,
    description: "The hub's own signature of what was asked: SHA-256 of the operation and its fragments printed canonically, literal values blanked.",
  })
  operationSignature!: string | null;
  @Classified(Classification.INTERNAL) @Field({ description: 'Variables as JSON text, personal values redacted.' }) variables!: string;
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Every argument of every field, literal or variable, as JSON text ([{field, alias, arguments}]), personal values redacted.' })
  arguments!: string;
  @Classified(Classification.INTERNAL)
  @Field(() => [KeyCount], { description: 'Fields returned (counts and page information included), with how many objects of their type each.' })
  fieldsReturned!: KeyCount[];
  @Classified(Classification.INTERNAL) @Field(() => [KeyCount], { description: 'Records counted (totalCount) per type.' }) recordsCounted!: KeyCount[];
  @Classified(Classification.INTERNAL)
  @Field(() => [KeyCount], { description: 'Records returned per providing agency (0 where its data was only counted or paged).' })
  sources!: KeyCount[];
  @Classified(Classification.INTERNAL) @Field(() => [KeyCount], { description: 'Records counted per providing agency.' }) sourcesCounted!: KeyCount[];
  @Classified(Classification.INTERNAL) @Field({ description: 'OK, PARTIAL, DENIED or ERROR.' }) outcome!: string;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'The refusal code, when DENIED.' }) refusal!: string | null;
  @Classified(Classification.INTERNAL) @Field() durationMs!: number;
  @Classified(Classification.INTERNAL) @Field() hash!: string;
  @Classified(Classification.INTERNAL) @Field() prevHash!: string;
}

@InputType()
export class AuditEventFilterInput {
  @Tests('AuditEvent.agency') @Field(() => String, { nullable: true }) agency?: string | null;
  @Tests('AuditEvent.subject') @Field(() => String, { nullable: true }) subject?: string | null;
  @Tests('AuditEvent.outcome') @Field(() => String, { nullable: true }) outcome?: string | null;
  @Tests('AuditEvent.caseNumber') @Field(() => String, { nullable: true }) caseNumber?: string | null;
  @Tests('AuditEvent.occurredAt') @Field(() => Date, { nullable: true }) from?: Date | null;
  @Tests('AuditEvent.occurredAt') @Field(() => Date, { nullable: true }) to?: Date | null;
}

@ObjectType({ description: 'The result of verifying the audit chain.', simpleResolvers: true })
export class AuditChainVerdict {
  @Classified(Classification.INTERNAL) @Field() intact!: boolean;
  @Classified(Classification.INTERNAL) @Field(() => Int, { nullable: true, description: 'Events in the chain, when intact.' }) events!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => Int, { nullable: true, description: 'The newest signed head the chain matches.' }) signedHead!:
    number | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'The verified checkpoint the walk went on from (0: the first event), when intact.' })
  checkedFrom!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => Int, { nullable: true }) firstBrokenSeq!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType({ description: "Who consumed a providing agency's data, for what, and how much.", simpleResolvers: true })
export class DataAccessLine {
  @Classified(Classification.INTERNAL) @Field() consumerAgency!: string;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) purpose!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => Int) operations!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'Records returned.' }) records!: number;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Records counted (totalCount), which a count reads as much as a page does.' })
  recordsCounted!: number;
}

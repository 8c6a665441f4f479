import { Field, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { CaseTransferDocument } from './case-transfer.entity';

@ObjectType({ description: "One item of the catalogue's evidence list for a transfer, present when a document for it is attached.", simpleResolvers: true })
export class TransferEvidenceItem {
  @Classified(Classification.INTERNAL) @Field() code!: string;
  @Classified(Classification.INTERNAL) @Field() name!: string;
  @Classified(Classification.INTERNAL) @Field({ description: 'The transfer cannot be submitted while a required item is missing.' }) required!: boolean;
  @Classified(Classification.INTERNAL) @Field() present!: boolean;
  @Classified(Classification.INTERNAL) @Field(() => [CaseTransferDocument]) documents!: CaseTransferDocument[];
}

@ObjectType({ description: '有案不移: a case matching the crime catalogue, not transferred within its days.', simpleResolvers: true })
export class UntransferredCase {
  @Classified(Classification.INTERNAL) @Field() caseNumber!: string;
  @Classified(Classification.INTERNAL) @Field() violationCode!: string;
  @Classified(Classification.INTERNAL) @Field() charge!: string;
  @Classified(Classification.INTERNAL) @Field() occurredAt!: Date;
  @Classified(Classification.INTERNAL) @Field({ description: 'When the transfer was due (occurrence + the catalogue’s transfer days).' }) dueAt!: Date;
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'The hub transfer prepared for it and not yet submitted, if any.' })
  transferId!: string | null;
}

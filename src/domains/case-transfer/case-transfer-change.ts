import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { TransferStatus } from './case-transfer-codes';

/**
 * What a transfer mutation answers: the transfer, where the change left it and its version then,
 * taken from the write itself (as `ClueChange`): nothing personal, nothing the audit event written
 * before it would not account for. Read `caseTransfer(id)` for the packet, under your agreement.
 */
@ObjectType({ description: 'A transfer as a mutation left it: read `caseTransfer(id)` for the rest, under your agreement.', simpleResolvers: true })
export class CaseTransferChange {
  @Classified(Classification.INTERNAL)
  @Field()
  transferId!: string;

  @Classified(Classification.INTERNAL)
  @Field()
  caseNumber!: string;

  @Classified(Classification.INTERNAL)
  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  version!: number;
}

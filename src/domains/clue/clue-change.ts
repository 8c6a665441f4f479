import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { ClueStatus } from './clue-codes';

/**
 * What a workflow mutation answers: the clue it moved, where the change left it and its version
 * then, taken from the write itself. Nothing personal and no other agency's record: a mutation's
 * audit event is written in the transaction of its effect, before its payload is resolved, so the
 * payload must hold nothing the event would not account for. Read the clue (`clue(id)`) for more.
 */
@ObjectType({ description: 'A clue as a workflow mutation left it: read `clue(id)` for the rest, under your agreement.', simpleResolvers: true })
export class ClueChange {
  @Classified(Classification.INTERNAL)
  @Field()
  clueId!: string;

  @Classified(Classification.INTERNAL)
  @Field(() => ClueStatus, { description: 'Its status after this change (LINKED when a link was confirmed at once).' })
  status!: ClueStatus;

  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Its version after this change: pass it as expectedVersion to act next on what you saw.' })
  version!: number;
}

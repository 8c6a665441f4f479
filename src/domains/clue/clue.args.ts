import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs } from '../../read-kit/pagination';
import { ClueKind, ClueSeverity, ClueStatus } from './clue-codes';
import { clueOrderings, type ClueOrderName } from './clue.orderings';

/** The longest window a clue list may be asked for. */
export const MAX_CLUE_WINDOW_DAYS = 92;

@InputType({
  description: `A half-open window [from, to) of whole Beijing days (both ends at midnight, +08:00), at most ${MAX_CLUE_WINDOW_DAYS} of them: clues whose evidence was seen in it.`,
})
export class ClueWindowInput {
  @Field()
  from!: Date;

  @Field()
  to!: Date;
}

@InputType({ description: 'Conditions a clue must all meet.' })
export class ClueFilterInput {
  @Tests('Clue.kind')
  @Field(() => ClueKind, { nullable: true })
  kind?: ClueKind | null;

  @Tests('Clue.status')
  @Field(() => ClueStatus, { nullable: true })
  status?: ClueStatus | null;

  @Tests('Clue.division')
  @Field(() => String, { nullable: true, description: 'The GB/T 2260 division a clue is routed to, e.g. 320505.' })
  division?: string | null;

  @Tests('Clue.severity')
  @Field(() => ClueSeverity, { nullable: true })
  severity?: ClueSeverity | null;

  @Tests('Clue.lastSeen')
  @Field(() => ClueWindowInput, { nullable: true })
  window?: ClueWindowInput | null;
}

@ArgsType()
export class CluesArgs extends PageArgs {
  @Field(() => ClueFilterInput, { nullable: true })
  filter?: ClueFilterInput | null;

  @Field(() => clueOrderings.enum, { defaultValue: clueOrderings.enum.LAST_SEEN_DESC })
  orderBy!: ClueOrderName;
}

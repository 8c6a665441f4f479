import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { ClueKind, ClueStatus } from './clue-codes';

@ObjectType({ description: 'How many clues of one kind are in one status.', simpleResolvers: true })
export class ClueCount {
  @Classified(Classification.INTERNAL) @Field(() => ClueKind) kind!: ClueKind;
  @Classified(Classification.INTERNAL) @Field(() => ClueStatus) status!: ClueStatus;
  @Classified(Classification.INTERNAL) @Field(() => Int) count!: number;
}

@ObjectType({ description: "A division's clues counted by kind and status, as far as the caller may see them.", simpleResolvers: true })
export class ClueCounts {
  @Classified(Classification.INTERNAL) @Field() division!: string;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'All of them.' }) total!: number;
  @Classified(Classification.INTERNAL)
  @Field(() => [ClueCount], { description: 'One entry per kind and status that has any, by kind then status.' })
  byKindAndStatus!: ClueCount[];
}

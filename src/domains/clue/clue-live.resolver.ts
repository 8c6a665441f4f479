import { Arg, Ctx, Resolver, Subscription } from 'type-graphql';
import { requireDivisionPrefix } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { servedByTheLiveLayer, withinDivisions, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import { ClueKind } from './clue-codes';
import { Clue } from './clue.entity';
import type { ClueContext } from './clue.resolver';

/** What the live clue field reads besides the clue domain's reads: the outbox event it is executed on (null over HTTP). */
export interface ClueLiveContext extends ClueContext {
  liveEvent: LiveEvent | null;
}

/** Whether a clue event matches a subscription's division prefix and kinds (none given: every kind). */
function matches(event: LiveEvent, division: unknown, kinds: unknown): boolean {
  if (typeof division === 'string' && !withinDivisions(event.division, [division])) return false;
  return !Array.isArray(kinds) || kinds.length === 0 || kinds.includes(event.payload.kind);
}

/**
 * A clue event concerns a subscriber asking for its division and kinds; whether the subscriber may
 * see that clue is then its agreement's row scope, applied when the clue is read for the delivery.
 * Officers with divisions hear only of theirs (the scope would hide the others anyway: this saves
 * executing and auditing a delivery that would read nothing).
 */
export const clueRaisedTopic: LiveTopic = {
  field: 'clueRaised',
  eventKind: 'CLUE',
  accepts: (event, args, viewer) =>
    matches(event, args.division, args.kinds) && (viewer.divisions.length === 0 || withinDivisions(event.division, viewer.divisions)),
};

@Resolver()
export class ClueLiveResolver {
  @Classified(Classification.INTERNAL)
  @Subscription(() => Clue, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description:
      'Clues raised, or moved in the workflow, in a division (a GB/T 2260 prefix, e.g. 3205 or 320505) and of the kinds given (none: all), live over graphql-ws at /graphql; each as your agreement shows it.',
  })
  async clueRaised(
    @Arg('division', { description: 'A GB/T 2260 division or its prefix, e.g. 320505.' }) division: string,
    @Arg('kinds', () => [ClueKind], { nullable: true }) kinds: ClueKind[] | null,
    @Ctx() ctx: ClueLiveContext,
  ): Promise<Clue | null> {
    const prefix = requireDivisionPrefix('division', division);
    const event = ctx.liveEvent;
    if (!event || event.kind !== clueRaisedTopic.eventKind || !matches(event, prefix, kinds)) return null;
    // Read under the caller's row scope: a clue it may not see is no event for it.
    return ctx.loaders.clue.byId.load(String(event.payload.clueId));
  }
}

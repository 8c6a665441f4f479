import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import { optionalDivision, optionalText } from '../../read-kit/arguments/identifier-args';
import { ClueCounts } from './clue-counts';
import { requireBoundedWindow, requireWholeDays } from '../../read-kit/arguments/time-window';
import { prefetchRelations } from '../../read-kit/relations';
import { connectionType } from '../../read-kit/pagination';
import type { CheckpointLoaders } from '../checkpoint';
import type { EnforcementLoaders } from '../enforcement';
import type { VehicleLoaders } from '../vehicle';
import type { WeighingLoaders } from '../weighing';
import { InvalidInputError } from '../../errors';
import { CluesArgs, MAX_CLUE_WINDOW_DAYS } from './clue.args';
import { Clue } from './clue.entity';
import type { ClueLoaders } from './clue.loaders';
import { ClueRepository } from './clue.repository';

/** What Clue's resolvers read: the loaders of this domain and of the ones its evidence follows. */
export type ClueContext = RequestContext<{
  clue: ClueLoaders;
  checkpoint: CheckpointLoaders;
  enforcement: EnforcementLoaders;
  vehicle: VehicleLoaders;
  weighing: WeighingLoaders;
}>;

export const ClueConnection = connectionType(Clue, 'Clue');

@Resolver(() => Clue)
export class ClueResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => ClueConnection, { description: 'Supervision clues in the caller’s jurisdiction, filtered and ordered, a page at a time.' })
  clues(@Args() args: CluesArgs, @Ctx() ctx: ClueContext) {
    const f = args.filter ?? {};
    if (f.window) {
      requireBoundedWindow('filter.window.to', f.window.from, f.window.to, MAX_CLUE_WINDOW_DAYS);
      // Whole days: the window tests first and last seen, which are capture times for some kinds (clue.relations.ts).
      requireWholeDays('filter.window', f.window.from, f.window.to);
    }
    return new ClueRepository(ctx).findPage({ ...f, division: optionalDivision('filter.division', f.division) }, args.orderBy, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => Clue, { nullable: true, description: 'One clue by id; null when unknown or outside the caller’s jurisdiction.' })
  clue(@Arg('id') id: string, @Ctx() ctx: ClueContext): Promise<Clue | null> {
    const key = optionalText('id', id)!.trim();
    if (!key) throw new InvalidInputError('id', 'must not be empty');
    prefetchRelations(ctx, Clue, { id: key });
    return ctx.loaders.clue.byId.load(key);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => ClueCounts, { description: "Counts of a division's clues by kind and status (within the caller's jurisdiction: none outside it)." })
  async clueCounts(@Arg('division', { description: 'GB/T 2260 division, e.g. 320505.' }) division: string, @Ctx() ctx: ClueContext): Promise<ClueCounts> {
    const code = optionalDivision('division', division)!;
    const byKindAndStatus = await new ClueRepository(ctx).countByKindAndStatus(code);
    return { division: code, total: byKindAndStatus.reduce((n, c) => n + c.count, 0), byKindAndStatus };
  }
}

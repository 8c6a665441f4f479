import { Arg, Ctx, Resolver, Subscription } from 'type-graphql';
import { requireDivisionPrefix } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { servedByTheLiveLayer, withinDivisions, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import { RiskGradeChange } from './risk-grade-change.entity';
import type { RiskGradeContext } from './risk-grade.relations';

/** What the live grade field reads besides the grade's reads: the outbox event it is executed on (null over HTTP). */
export interface RiskGradeLiveContext extends RiskGradeContext {
  liveEvent: LiveEvent | null;
}

/**
 * A grade change concerns a subscriber asking for its division; whether the subscriber may see it
 * is then its agreement's row scope on the change (the grade's, the enterprise's division),
 * applied when the change is read for the delivery. Officers with divisions hear only of theirs:
 * the scope would hide the others anyway, and this saves executing and auditing a delivery that
 * would read nothing.
 */
export const riskGradeChangedTopic: LiveTopic = {
  field: 'riskGradeChanged',
  eventKind: 'RISK_GRADE',
  accepts: (event, args, viewer) =>
    (typeof args.division !== 'string' || withinDivisions(event.division, [args.division])) &&
    (viewer.divisions.length === 0 || withinDivisions(event.division, viewer.divisions)),
};

@Resolver()
export class RiskGradeLiveResolver {
  @Classified(Classification.INTERNAL)
  @Subscription(() => RiskGradeChange, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description:
      'Risk grades that changed (a grade appeared, moved or was withdrawn) of enterprises registered in a division (a GB/T 2260 prefix, e.g. 3205 or 320505), live over graphql-ws at /graphql; each as your agreement shows grades.',
  })
  async riskGradeChanged(
    @Arg('division', { description: 'A GB/T 2260 division or its prefix, e.g. 320505.' }) division: string,
    @Ctx() ctx: RiskGradeLiveContext,
  ): Promise<RiskGradeChange | null> {
    const prefix = requireDivisionPrefix('division', division);
    const event = ctx.liveEvent;
    if (!event || event.kind !== riskGradeChangedTopic.eventKind || !withinDivisions(event.division, [prefix])) return null;
    // Read under the caller's row scope, as the grade is: a change it may not see is no event for it.
    const changes = await ctx.loaders.riskGrade.changes.load(String(event.payload.uscc));
    return changes.find((c) => String(c.id) === String(event.payload.changeId)) ?? null;
  }
}

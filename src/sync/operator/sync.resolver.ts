import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { EffectAudit } from '../../audit/effect-audit';
import type { RequestContext } from '../../read-kit/request-context';
import type { SyncControl } from './sync-control';
import { InvalidInputError, NotFoundError } from '../../errors';
import { connectionType, PageArgs } from '../../read-kit/pagination';
import { SourceSystem } from '../../domains/common/enums';
import type { ProvenanceContext } from '../../domains/common/provenance';
import { lagSecondsSince, SyncHistory, SyncMode } from '../state';
import { knownStreams } from '../stream-tables';
import { QuarantinedRecord, QuarantineFilterInput, SyncConnector, SyncRun, SyncRunFilterInput, TriggeredSync } from './sync.types';

/** What the sync resolvers read: operators' control of the queues and where a trigger is audited. */
export interface SyncContext extends RequestContext, ProvenanceContext {
  /** Operators' control of the sync queues; null where the hub has none. */
  sync: SyncControl | null;
  /**
   * Where a mutation writes its audit event, in the transaction of its effect (the request's
   * audit event); null where access control (and so the audit) is off.
   */
  effectAudit: EffectAudit | null;
}

export const SyncRunConnection = connectionType(SyncRun, 'SyncRun');
export const QuarantinedRecordConnection = connectionType(QuarantinedRecord, 'QuarantinedRecord');

@ArgsType()
class SyncRunsArgs extends PageArgs {
  @Field(() => SyncRunFilterInput, { nullable: true }) filter?: SyncRunFilterInput | null;
}

@ArgsType()
class QuarantineArgs extends PageArgs {
  @Field(() => QuarantineFilterInput, { nullable: true }) filter?: QuarantineFilterInput | null;
}

function runId(id: string, argument: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new InvalidInputError(argument, 'must be a run id (digits)');
  return id;
}

function control(ctx: SyncContext) {
  if (!ctx.sync) throw new InvalidInputError('system', 'this hub has no sync queues configured');
  return ctx.sync;
}

/** Operators' view and control of the sync: connectors, runs, quarantine, triggers. */
@Resolver()
export class SyncResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => [SyncConnector], { description: 'Each upstream system, its streams, their status, lag and last run.' })
  async connectors(@Ctx() ctx: SyncContext): Promise<SyncConnector[]> {
    const repository = new SyncHistory(ctx);
    const [states, runs] = await Promise.all([repository.findStreamStates(), repository.findLatestRuns()]);
    const stateOf = new Map(states.map((s) => [`${s.system}:${s.stream}`, s]));
    const now = Date.now();
    return Promise.all(
      knownStreams().map(async ({ system, streams }) => {
        const nextRuns = ctx.sync ? await ctx.sync.nextRunsOf(system) : new Map<string, Date>();
        const statuses = streams.map((stream) => {
          const key = `${system}:${stream}`;
          const state = stateOf.get(key);
          const caughtUpAt = runs.complete.get(key)?.startedAt ?? null;
          return {
            stream,
            lastSuccessAt: state?.lastSuccessAt ?? null,
            cursor: state?.cursor ?? null,
            caughtUpAt,
            lagSeconds: caughtUpAt ? lagSecondsSince(caughtUpAt, now) : null,
            nextRunAt: nextRuns.get(stream) ?? null,
            needsAttention: state?.needsAttention ?? null,
            lastRun: runs.last.get(key) ?? null,
            currentRun: runs.current.get(key) ?? null,
          };
        });
        const attention = statuses.find((s) => s.needsAttention);
        return {
          system,
          agency: ctx.agencies.ownerOf(system),
          streams: statuses,
          needsAttention: attention ? `${attention.stream}: ${attention.needsAttention}` : null,
        };
      }),
    );
  }

  @Classified(Classification.INTERNAL)
  @Query(() => SyncRunConnection, { description: 'Sync runs, newest first.' })
  syncRuns(@Args() args: SyncRunsArgs, @Ctx() ctx: SyncContext) {
    return new SyncHistory(ctx).findRunsPage(args.filter ?? {}, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => SyncRun, { nullable: true, description: 'One sync run, e.g. to follow its progress.' })
  syncRun(@Arg('id', () => ID) id: string, @Ctx() ctx: SyncContext): Promise<SyncRun | null> {
    return new SyncHistory(ctx).findRun(runId(id, 'id'));
  }

  @Classified(Classification.PERSONAL)
  @Query(() => QuarantinedRecordConnection, { description: 'Records the sync could not accept, with reasons; newest first.' })
  quarantinedRecords(@Args() args: QuarantineArgs, @Ctx() ctx: SyncContext) {
    return new SyncHistory(ctx).findQuarantinePage(args.filter ?? { includeReleased: false, includeResolved: false }, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => TriggeredSync, { description: 'Queues a run of one stream now; returns the run already queued or running instead of starting a second.' })
  async triggerSync(
    @Arg('system', () => SourceSystem) system: SourceSystem,
    @Arg('stream') stream: string,
    @Arg('mode', () => SyncMode, { defaultValue: SyncMode.INCREMENTAL }) mode: SyncMode,
    @Ctx() ctx: SyncContext,
  ): Promise<TriggeredSync> {
    // The audit event commits with the run, before it is queued.
    const { runId: id, alreadyRunning } = await control(ctx).trigger(
      system,
      stream,
      mode,
      `${ctx.viewer?.agency}/${ctx.viewer?.subject}`,
      undefined,
      ctx.effectAudit ?? undefined,
    );
    return { run: await this.run(ctx, id), alreadyRunning, released: 0 };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => TriggeredSync, { description: "Releases a stream's quarantined records and queues a FULL run that reads them again." })
  async retryQuarantined(
    @Arg('system', () => SourceSystem) system: SourceSystem,
    @Arg('stream') stream: string,
    @Ctx() ctx: SyncContext,
  ): Promise<TriggeredSync> {
    const {
      runId: id,
      alreadyRunning,
      released,
    } = await control(ctx).retryQuarantined(system, stream, `${ctx.viewer?.agency}/${ctx.viewer?.subject}`, ctx.effectAudit ?? undefined);
    return { run: await this.run(ctx, id), alreadyRunning, released };
  }

  private async run(ctx: SyncContext, id: number): Promise<SyncRun> {
    const run = await new SyncHistory(ctx).findRun(String(id));
    if (!run) throw new NotFoundError(`sync run ${id}`);
    return run;
  }
}

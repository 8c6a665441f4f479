import { Arg, Args, Ctx, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { EffectAudit } from '../../audit/effect-audit';
import { AccessDeniedError, ErrorCode, InvalidInputError, NotFoundError } from '../../errors';
import { optionalText, requirePlate } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { graphqlTypeName } from '../../read-kit/fields/type-name';
import { servedByTheLiveLayer, withinDivisions, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import { connectionType } from '../../read-kit/pagination';
import type { RequestContext, Viewer } from '../../read-kit/request-context';
import { CheckpointCapture } from '../checkpoint';
import { PlateColor } from '../common/enums';
import { caseNumberArgument, officerText } from '../common/free-text';
import { WatchesArgs } from './watch.args';
import { Watch, WatchHit } from './watch.entity';
import { WatchError } from './watch.errors';
import { WatchRepository } from './watch.repository';
import type { WatchWrites } from './watch.writes';

/** What the watch resolvers use beyond reads: the write side, the request's audit event, the agreement's watch rules, the event delivered. */
export interface WatchContext extends RequestContext {
  /** Null where the hub has no write side for watches. */
  watchWrites: WatchWrites | null;
  /** The request's audit event, written in the transaction of the change; null where access control is off. */
  effectAudit: EffectAudit | null;
  /** The rules a watch is held to under the request's agreement and the configuration. */
  watchRules(): WatchRules;
  /** The outbox event a subscription delivery executes on; null for a request over HTTP. */
  liveEvent: LiveEvent | null;
}

/** What a new watch is held to. */
export interface WatchRules {
  /** The agreement the request is judged under requires a case number (its `watches.caseNumberRequired`). */
  caseNumberRequired: boolean;
  /** How far ahead a watch may expire, days (`WATCH_MAX_DAYS`). */
  maxDays: number;
}

/** Longest reason kept with a watch. */
export const MAX_REASON_LENGTH = 500;

export const WatchConnection = connectionType(Watch, 'Watch');

function requireViewer(ctx: WatchContext): Viewer {
  if (!ctx.viewer) throw new AccessDeniedError(ErrorCode.FORBIDDEN, 'Watches need an authenticated officer');
  return ctx.viewer;
}

/**
 * A hit concerns the agency that set its watch, no other: the officer who set it (any instance of
 * their agency and subject) and their agency's officers of the division it happened in. Another
 * agency's officers of that division learn nothing of it: that a plate is watched, by whom, under
 * which case and why is the owner's (a police watch must not tip off a transport office, nor the
 * reverse).
 */
export function hitConcerns(payload: Record<string, unknown>, division: string | null, viewer: Viewer): boolean {
  if (payload.ownerAgency !== viewer.agency) return false;
  return payload.ownerSubject === viewer.subject || withinDivisions(division, viewer.divisions);
}

export const watchHitTopic: LiveTopic = {
  field: 'watchHits',
  eventKind: 'WATCH_HIT',
  accepts: (event, _args, viewer) => hitConcerns(event.payload, event.division, viewer),
};

/**
 * Whether the caller's agreement shows it a capture's time or place through watch hits: then the
 * hits are held to the captures' case rule (access/case-binding.ts), as a read of
 * `CheckpointCapture` is.
 */
function showsCaptures(ctx: WatchContext): boolean {
  const access = ctx.access;
  // Shown at all, masked too: a masked time or place is still a capture's.
  if (!access?.shows) return false;
  return access.shows('WatchHit', 'capturedAt') || access.shows('WatchHit', 'checkpointCode');
}

/** Whether `caseNumber` is an open case the caller holds naming the plate; refusals are thrown (CASE_NOT_VALID, CASE_SCOPE). */
async function requireCaseNaming(ctx: WatchContext, caseNumber: string, plateNumber: string, plateColor: string): Promise<void> {
  const access = ctx.access;
  if (!access?.platesOfCase) return;
  const plates = await access.platesOfCase(caseNumber, { reads: ctx.reads, sql: ctx.sql });
  if (!plates.some(([plate, color]) => plate === plateNumber && color === plateColor)) {
    throw new AccessDeniedError(ErrorCode.CASE_SCOPE, `Case ${caseNumber} does not name ${plateNumber}: a plate is watched only under a case about it`, {
      caseNumber,
    });
  }
}

function hitOf(event: LiveEvent): WatchHit {
  const p = event.payload;
  return {
    id: String(p.hitId),
    watchId: String(p.watchId),
    plateNumber: String(p.plateNumber),
    plateColor: p.plateColor as PlateColor,
    capturedAt: new Date(String(p.capturedAt)),
    checkpointCode: String(p.checkpointCode),
    division: String(p.division),
    caseNumber: (p.caseNumber as string | null) ?? null,
    reason: String(p.reason),
    ownerAgency: String(p.ownerAgency),
  };
}

/**
 * Watch lists (布控): set and remove watches (each granted per agency and role by the agreements
 * file, audited in the transaction of its change, refusals typed and changing nothing), list the
 * caller's agency's watches, and receive hits live.
 */
@Resolver(() => Watch)
export class WatchResolver {
  @Classified(Classification.INTERNAL)
  @Mutation(() => Watch, { description: 'Watches a plate until `expiresAt`: its captures become hits, delivered live (`watchHits`).' })
  async addWatch(
    @Arg('plateNumber', { description: 'The plate, e.g. 苏E12345 (validated and normalised).' }) plateNumber: string,
    @Arg('plateColor', () => PlateColor) plateColor: PlateColor,
    @Arg('reason', { description: `Why, at most ${MAX_REASON_LENGTH} characters.` }) reason: string,
    @Arg('caseNumber', () => String, {
      nullable: true,
      description:
        "The case the watch serves: an open case you hold that names the vehicle; required where your agreement says so or shows hits' capture times and places.",
    })
    caseNumber: string | null,
    @Arg('expiresAt', { description: 'When the watch ends: in the future, at most WATCH_MAX_DAYS (90 by default) ahead.' }) expiresAt: Date,
    @Ctx() ctx: WatchContext,
  ): Promise<Watch> {
    const plate = requirePlate('plateNumber', optionalText('plateNumber', plateNumber)!.trim());
    const why = officerText('reason', reason, MAX_REASON_LENGTH, true)!;
    const number = caseNumberArgument('caseNumber', caseNumber, false);
    const rules = ctx.watchRules();
    const now = Date.now();
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now) throw new InvalidInputError('expiresAt', 'must be in the future');
    if (expiresAt.getTime() > now + rules.maxDays * 86_400_000) throw new InvalidInputError('expiresAt', `must be at most ${rules.maxDays} days ahead`);
    const viewer = requireViewer(ctx);
    // A hit tells where and when the plate was captured: police data, shown only under an open
    // case the caller holds about the vehicle, as a read of the capture would be.
    const bound = showsCaptures(ctx);
    if (!number && (rules.caseNumberRequired || bound)) {
      throw new WatchError(ErrorCode.CASE_REQUIRED, 'A watch needs the number of an open case about the vehicle', { action: 'ADD' });
    }
    if (number) await requireCaseNaming(ctx, number, plate, plateColor);
    if (!ctx.watchWrites) throw new InvalidInputError('plateNumber', 'this hub has no watch lists');
    return ctx.watchWrites.add(
      { plateNumber: plate, plateColor, reason: why, caseNumber: number, expiresAt },
      { agency: viewer.agency, subject: viewer.subject },
      ctx.effectAudit,
    );
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => Watch, { description: "Removes one of your agency's watches: its plate's captures are no longer hits." })
  async removeWatch(@Arg('id') id: string, @Ctx() ctx: WatchContext): Promise<Watch> {
    const key = optionalText('id', id)!.trim();
    if (!key) throw new InvalidInputError('id', 'must not be empty');
    const viewer = requireViewer(ctx);
    if (!ctx.watchWrites) throw new InvalidInputError('id', 'this hub has no watch lists');
    // Another agency's watch is not there for the caller: it learns nothing of watches it does not own.
    const row = await ctx.reads.decisionRow('Watch', { id: key }, { properties: ['id', 'ownerAgency', 'removedAt'] });
    if (!row || row.ownerAgency !== viewer.agency) throw new NotFoundError(`Watch ${key}`);
    if (row.removedAt) throw new WatchError(ErrorCode.ILLEGAL_TRANSITION, `Watch ${key} was removed already`, { action: 'REMOVE' });
    return ctx.watchWrites.remove(key, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => WatchConnection, { description: "Your agency's watches, newest first (live ones unless includeEnded)." })
  watches(@Args() args: WatchesArgs, @Ctx() ctx: WatchContext) {
    const viewer = requireViewer(ctx);
    return new WatchRepository(ctx).findOwnedPage(viewer.agency, args.includeEnded, new Date(), args.orderBy, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Subscription(() => WatchHit, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description:
      "Hits of watches, live (graphql-ws at /graphql): those of your own watches and of your agency's watches at checkpoints of your divisions (never another agency's), each while its case stays open and held, as your agreement shows them.",
  })
  async watchHits(@Ctx() ctx: WatchContext): Promise<WatchHit | null> {
    const event = ctx.liveEvent;
    if (!event || event.kind !== watchHitTopic.eventKind || !ctx.viewer) return null;
    if (!hitConcerns(event.payload, event.division, ctx.viewer)) return null;
    const hit = hitOf(event);
    if (showsCaptures(ctx)) {
      // The case is checked again at each delivery, under the subscriber's own agreement and row
      // scopes: once it is closed, no longer held, or out of the subscriber's sight, the hit is not told.
      if (!hit.caseNumber) return null;
      try {
        await requireCaseNaming(ctx, hit.caseNumber, hit.plateNumber, hit.plateColor);
      } catch (error) {
        if (error instanceof AccessDeniedError) return null;
        throw error;
      }
    }
    // A hit is a capture read through a hub-native type: a read of the capture's provider's data.
    ctx.access?.creditRead?.(graphqlTypeName(CheckpointCapture), 1);
    return hit;
  }
}

import { Arg, Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import { AccessDeniedError, ErrorCode, InvalidInputError } from '../../errors';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { ChainVerdict } from '../audit-log';
import type { RequestContext } from '../../read-kit/request-context';
import { requireWindowOrder } from '../../read-kit/arguments/time-window';
import { connectionType, PageArgs } from '../../read-kit/pagination';
import { AuditRepository } from './audit.repository';
import { AuditChainVerdict, AuditEvent, AuditEventFilterInput, DataAccessLine } from './audit.types';

/** The audit trail as one request's caller may read it. */
export interface AuditTrailReader {
  verify(options: { incremental: boolean }): Promise<ChainVerdict>;
  /** Every agency a data-access report can be asked for (the agreements file's `agencies`). */
  readonly agencies: readonly string[];
  /** Whether the caller may read `source`'s report: its own agency's, or every agency's where its agreement says so. */
  readsDataAccessReportOf(source: string): boolean;
}

/** What the audit resolvers read: the trail, besides the caller. */
export interface AuditContext extends RequestContext {
  /** The audit trail; null only where access control (and so the audit) is off. */
  auditTrail: AuditTrailReader | null;
}

export const AuditEventConnection = connectionType(AuditEvent, 'AuditEvent');

@ArgsType()
class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilterInput, { nullable: true }) filter?: AuditEventFilterInput | null;
}

/** The audit trail, read: events, the chain's verdict, and providers' data-access reports. */
@Resolver()
export class AuditResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => AuditEventConnection, { description: 'Audit events, newest first.' })
  auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: AuditContext) {
    const filter = args.filter ?? {};
    requireWindowOrder('filter.to', filter.from, filter.to);
    return new AuditRepository(ctx).findPage(filter, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => AuditChainVerdict, {
    description:
      'Verifies the chain from the last verified checkpoint (a signed head found intact before), or with `full` from the first event (priced by the events it reads): intact, or the first broken event and why.',
  })
  async verifyAuditChain(
    @Arg('full', { defaultValue: false, description: 'Walk the whole chain, not only what follows the last verified checkpoint.' }) full: boolean,
    @Ctx() ctx: AuditContext,
  ): Promise<AuditChainVerdict> {
    if (!ctx.auditTrail) throw new InvalidInputError('verifyAuditChain', 'this hub keeps no audit trail');
    const verdict = await ctx.auditTrail.verify({ incremental: !full });
    return verdict.intact
      ? { intact: true, events: verdict.events, signedHead: verdict.signedHead, checkedFrom: verdict.checkedFrom, firstBrokenSeq: null, reason: null }
      : { intact: false, events: null, signedHead: null, checkedFrom: null, firstBrokenSeq: verdict.firstBrokenSeq, reason: verdict.reason };
  }

  @Classified(Classification.INTERNAL)
  @Query(() => [DataAccessLine], { description: "Who consumed `source`'s data in [from, to): consumer agencies, purposes, operations, records." })
  dataAccessReport(@Arg('source') source: string, @Arg('from') from: Date, @Arg('to') to: Date, @Ctx() ctx: AuditContext): Promise<DataAccessLine[]> {
    if (!ctx.auditTrail) throw new InvalidInputError('dataAccessReport', 'this hub keeps no audit trail');
    const { agencies } = ctx.auditTrail;
    if (!agencies.includes(source)) throw new InvalidInputError('source', `unknown agency; agencies are ${agencies.join(', ')}`);
    requireWindowOrder('to', from, to);
    // The agreement decides (`dataAccessReports`): the auditors' reads every agency's report, a provider's only its own.
    if (!ctx.auditTrail.readsDataAccessReportOf(source)) {
      throw new AccessDeniedError(ErrorCode.FORBIDDEN, `${ctx.viewer?.agency} may read only its own data-access report`, { deniedPaths: ['dataAccessReport'] });
    }
    return new AuditRepository(ctx).dataAccess(source, from, to);
  }
}

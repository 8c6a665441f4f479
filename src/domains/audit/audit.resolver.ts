import { Arg, Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import { AGENCY_ROLES } from '../../auth/agencies';
import { AccessDeniedError, ErrorCode, InvalidInputError } from '../../errors';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { ChainVerdict } from '../../audit/audit-log';
import type { RequestContext } from '../../read-kit/request-context';
import { requireWindowOrder } from '../../read-kit/arguments/time-window';
import { connectionType, PageArgs } from '../../read-kit/pagination';
import { AuditRepository } from './audit.repository';
import { AuditChainVerdict, AuditEvent, AuditEventFilterInput, DataAccessLine } from './audit.types';

/** What the audit resolvers read: the trail's verifier, besides the caller. */
export interface AuditContext extends RequestContext {
  /** The audit trail's verifier; null only where access control (and so the audit) is off. */
  auditTrail: { verify(options: { incremental: boolean }): Promise<ChainVerdict> } | null;
}

export const AuditEventConnection = connectionType(AuditEvent, 'AuditEvent');

@ArgsType()
class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilterInput, { nullable: true }) filter?: AuditEventFilterInput | null;
}

/** The bureau's auditors read every agency's report; every other provider reads only its own. */
const isAuditor = (ctx: AuditContext) => ctx.viewer?.agency === 'suzhou-transport' && ctx.viewer.roles.includes('auditor');

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
    description: 'Verifies the chain from the last verified checkpoint (a signed head found intact before), or with `full` from the first event (priced by the events it reads): intact, or the first broken event and why.',
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
  @Query(() => [DataAccessLine], { description: 'Who consumed `source`\'s data in [from, to): consumer agencies, purposes, operations, records.' })
  dataAccessReport(
    @Arg('source') source: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: AuditContext,
  ): Promise<DataAccessLine[]> {
    if (!(source in AGENCY_ROLES)) throw new InvalidInputError('source', `unknown agency; agencies are ${Object.keys(AGENCY_ROLES).join(', ')}`);
    requireWindowOrder('to', from, to);
    if (source !== ctx.viewer?.agency && !isAuditor(ctx)) {
      throw new AccessDeniedError(ErrorCode.FORBIDDEN, `${ctx.viewer?.agency} may read only its own data-access report`, { deniedPaths: ['dataAccessReport'] });
    }
    return new AuditRepository(ctx).dataAccess(source, from, to);
  }
}

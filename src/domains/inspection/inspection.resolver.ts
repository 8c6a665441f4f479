import { Arg, Ctx, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { EffectAudit } from '../../audit/effect-audit';
import { AccessDeniedError, ErrorCode, InvalidInputError } from '../../errors';
import { optionalDivision, optionalText, requireDivisionPrefix, requireUscc } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { servedByTheLiveLayer, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import type { RequestContext, Viewer } from '../../read-kit/request-context';
import { divisionsOverlap } from '../../read-kit/rows/row-scope';
import { officerText } from '../common/free-text';
import { AttachmentInput, FindingInput, InspectionTaskInput, InspectorInput } from './inspection.inputs';
import { InspectionPlan, InspectionResult, InspectionTask, Inspector } from './inspection.entity';
import type { InspectionLoaders } from './inspection.loaders';
import { InspectionRepository } from './inspection.repository';
import type { InspectionRules } from './inspection-rules';
import {
  InspectionItem,
  InspectionOutcome,
  InspectionResponsibility,
  InspectionTaskChange,
  InspectionTaskStatus,
  SupervisionListing,
} from './inspection.types';
import type { InspectionWrites } from './inspection.writes';
import { requireResultCount } from '../../read-kit/pagination';

/** What the inspection resolvers use beyond reads: the write side, the catalogue, the audit event, the event delivered. */
export interface InspectionContext extends RequestContext<{ inspection: InspectionLoaders }> {
  /** Null where the hub has no write side for inspections. */
  inspectionWrites: InspectionWrites | null;
  inspectionRules: InspectionRules | null;
  effectAudit: EffectAudit | null;
  liveEvent: LiveEvent | null;
}

const MAX_TEXT = 200;
const MAX_FINDINGS = 50;
const MAX_ATTACHMENTS = 20;
const ATTACHMENT_REF = /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,199}$/;
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function requireViewer(ctx: InspectionContext): Viewer {
  if (!ctx.viewer) throw new AccessDeniedError(ErrorCode.FORBIDDEN, 'Random inspections need an authenticated caller');
  return ctx.viewer;
}

function writes(ctx: InspectionContext): InspectionWrites {
  if (!ctx.inspectionWrites) throw new InvalidInputError('id', 'this hub has no random inspections');
  return ctx.inspectionWrites;
}

const requireId = (argument: string, value: string) => {
  const id = optionalText(argument, value)!.trim();
  if (!id || id.length > 64) throw new InvalidInputError(argument, 'must be 1 to 64 characters');
  return id;
};

const text = (argument: string, value: string) => officerText(argument, value, MAX_TEXT, true)!;

/** Today in Beijing, YYYY-MM-DD. */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export const inspectionTaskChangedTopic: LiveTopic = {
  field: 'inspectionTaskChanged',
  eventKind: 'INSPECTION_TASK',
  // The division asked for; who may hear of a task at all is the InspectionTask row scope, which
  // every delivery's read applies (a task the scope hides reads nothing and is not sent).
  accepts: (event, args) => typeof args.division !== 'string' || divisionsOverlap(event.division, [args.division]),
};

/**
 * Random inspections (双随机、一公开): the catalogue, inspectors, plans and tasks, the
 * commit–reveal draw and results recorded by the matched inspectors. Every mutation is granted
 * per agency and role by the agreements file (root-field guard), audited in the transaction of
 * its change; refusals are typed and change nothing.
 */
@Resolver()
export class InspectionResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => [InspectionItem], { description: 'The random-inspection item list (随机抽查事项清单), versioned in schema/rules/inspection-items.json.' })
  inspectionItems(@Ctx() ctx: InspectionContext): InspectionItem[] {
    const rules = ctx.inspectionRules;
    return rules ? rules.items.map((i) => ({ ...i, checkItems: i.checkItems.map((c) => ({ ...c })), ruleVersion: rules.version })) : [];
  }

  @Classified(Classification.PUBLIC)
  @Query(() => [InspectionResponsibility], { description: 'The responsibility list (随机检查事项责任清单).' })
  inspectionResponsibilities(@Ctx() ctx: InspectionContext): InspectionResponsibility[] {
    return ctx.inspectionRules?.responsibilities.map((r) => ({ ...r })) ?? [];
  }

  @Classified(Classification.INTERNAL)
  @Query(() => [Inspector], { description: 'The inspector roster (执法检查人员名录库) of your divisions.' })
  inspectors(@Ctx() ctx: InspectionContext): Promise<Inspector[]> {
    requireViewer(ctx);
    return new InspectionRepository(ctx).inspectors();
  }

  @Classified(Classification.INTERNAL)
  @Query(() => [InspectionPlan], { description: 'Annual plans of a year with their tasks, as far as your divisions overlap them.' })
  inspectionPlans(@Arg('year', () => Int) year: number, @Ctx() ctx: InspectionContext): Promise<InspectionPlan[]> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new InvalidInputError('year', 'must be a year from 2000 to 2100');
    requireViewer(ctx);
    return new InspectionRepository(ctx).plans(year);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => InspectionTask, { nullable: true })
  inspectionTask(@Arg('id') id: string, @Ctx() ctx: InspectionContext): Promise<InspectionTask | null> {
    requireViewer(ctx);
    return ctx.loaders.inspection.taskById.load(requireId('id', id));
  }

  @Classified(Classification.INTERNAL)
  @Query(() => [InspectionResult], {
    description:
      'Published results, newest first, with findings: what the credit platform pulls (after: the cursor of the last result seen, `id` order is stable).',
  })
  async inspectionResults(
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `cursor` a previous page ended with (inspectionResultsCursor).' }) after: string | null,
    @Ctx() ctx: InspectionContext,
  ): Promise<InspectionResult[]> {
    requireResultCount('first', first, 200);
    requireViewer(ctx);
    return (await new InspectionRepository(ctx).results(first, after ?? null)).results;
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => Inspector, { description: 'Adds an officer of your agency to the inspector roster.' })
  async addInspector(@Arg('input') input: InspectorInput, @Ctx() ctx: InspectionContext): Promise<Inspector> {
    const viewer = requireViewer(ctx);
    const division = optionalDivision('division', input.division)!;
    if (!SUBJECT.test(input.subject ?? '')) throw new InvalidInputError('subject', 'must be a token subject (letters, digits, . _ -)');
    if (!/^[0-9]{6,20}$/.test(input.certificateNumber ?? '')) throw new InvalidInputError('certificateNumber', 'must be 6 to 20 digits');
    if (!/^1[3-9][0-9]{9}$/.test(input.phone ?? '')) throw new InvalidInputError('phone', 'must be a mainland mobile number');
    const request = {
      name: text('name', input.name),
      unit: text('unit', input.unit),
      post: text('post', input.post),
      certificateNumber: input.certificateNumber,
      phone: input.phone,
      division,
      agency: viewer.agency,
      subject: input.subject,
    };
    const id = await writes(ctx).addInspector(request, ctx.effectAudit);
    return { id, ...request };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => Boolean, {
    description: 'Declares a conflict of interest (回避) between an inspector of your agency and an enterprise: the draw never matches them.',
  })
  async declareInspectorConflict(
    @Arg('inspectorId') inspectorId: string,
    @Arg('uscc') uscc: string,
    @Arg('relation', { description: 'The relation, e.g. 近亲属任职, at most 200 characters.' }) relation: string,
    @Ctx() ctx: InspectionContext,
  ): Promise<boolean> {
    const viewer = requireViewer(ctx);
    await writes(ctx).declareConflict(requireId('inspectorId', inspectorId), requireUscc('uscc', uscc), text('relation', relation), viewer, ctx.effectAudit);
    return true;
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => SupervisionListing, {
    description:
      'Lists an enterprise for supervision (挂牌督办): a roster attribute, the SUPERVISED stratum and a directed filter of tasks committed until it is delisted. One open listing per enterprise.',
  })
  listForSupervision(
    @Arg('uscc') uscc: string,
    @Arg('reason', { description: 'Why, at most 200 characters.' }) reason: string,
    @Ctx() ctx: InspectionContext,
  ): Promise<SupervisionListing> {
    return writes(ctx).listForSupervision(requireUscc('uscc', uscc), text('reason', reason), requireViewer(ctx), ctx.effectAudit);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => SupervisionListing, { description: 'Delists (摘牌) an enterprise your agency listed for supervision, with the reason.' })
  delistFromSupervision(@Arg('uscc') uscc: string, @Arg('reason') reason: string, @Ctx() ctx: InspectionContext): Promise<SupervisionListing> {
    return writes(ctx).delistFromSupervision(requireUscc('uscc', uscc), text('reason', reason), requireViewer(ctx), ctx.effectAudit);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => String, { description: "Creates your agency's annual plan for a division; answers its id." })
  createInspectionPlan(
    @Arg('year', () => Int) year: number,
    @Arg('division') division: string,
    @Arg('title') title: string,
    @Arg('plannedObjects', () => Int, { description: 'How many objects the plan means to inspect: the city’s tasks may draw (1 − districtShare) of them.' })
    plannedObjects: number,
    @Ctx() ctx: InspectionContext,
  ): Promise<string> {
    const viewer = requireViewer(ctx);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new InvalidInputError('year', 'must be a year from 2000 to 2100');
    if (!Number.isInteger(plannedObjects) || plannedObjects < 1 || plannedObjects > 1_000_000)
      throw new InvalidInputError('plannedObjects', 'must be a whole number from 1 to 1000000');
    return writes(ctx).createPlan(
      { year, unit: viewer.agency, division: requireDivisionPrefix('division', division), title: text('title', title), plannedObjects },
      viewer,
      ctx.effectAudit,
    );
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => InspectionTaskChange, {
    description:
      'Commits a task: freezes its roster and inspector pool, publishes their hashes, a hash of a secret seed and the audit event whose hash the draw will use (GET /public/draws/<id>).',
  })
  async createInspectionTask(@Arg('input') input: InspectionTaskInput, @Ctx() ctx: InspectionContext): Promise<InspectionTaskChange> {
    const viewer = requireViewer(ctx);
    const ratios: Record<string, number> = {};
    for (const r of input.ratios ?? []) {
      if (!(r.ratio >= 0 && r.ratio <= 1)) throw new InvalidInputError('ratios', 'a ratio is from 0 to 1');
      ratios[r.stratum] = r.ratio;
    }
    const division = requireDivisionPrefix('division', input.division);
    const id = await writes(ctx).createTask(
      {
        planId: requireId('planId', input.planId),
        itemCode: requireId('itemCode', input.itemCode),
        joint: input.joint,
        level: input.level,
        division,
        filter: {
          enterpriseTypes: input.enterpriseTypes?.map((t) => text('enterpriseTypes', t)) ?? null,
          minRegisteredCapitalYuan: input.minRegisteredCapitalYuan ?? null,
          riskGrades: input.riskGrades ?? null,
          supervisedOnly: input.supervisedOnly ?? false,
          withPastFindingsOnly: input.withPastFindingsOnly ?? false,
          ratios: input.ratios ? ratios : null,
        },
      },
      viewer,
      ctx.effectAudit,
    );
    return { taskId: id, planId: input.planId, status: InspectionTaskStatus.COMMITTED, division, objectsDrawn: 0, resultsRecorded: 0 };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => InspectionTaskChange, {
    description:
      'Draws a committed task, once: reveals the seed, draws objects per stratum and matches inspectors; signed and immutable. A second draw is DRAW_REFUSED.',
  })
  async drawInspectionTask(@Arg('id') id: string, @Ctx() ctx: InspectionContext): Promise<InspectionTaskChange> {
    const viewer = requireViewer(ctx);
    const key = requireId('id', id);
    const { objects, planId, division } = await writes(ctx).drawTask(key, viewer, ctx.effectAudit);
    return { taskId: key, planId, status: InspectionTaskStatus.DRAWN, division, objectsDrawn: objects, resultsRecorded: 0 };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => String, {
    description:
      'Records the result of a drawn object: only by an inspector the draw matched to it (谁检查、谁录入), once. Published at once; answers the publication due date.',
  })
  recordInspectionResult(
    @Arg('taskId') taskId: string,
    @Arg('uscc') uscc: string,
    @Arg('inspectedOn', { description: 'YYYY-MM-DD' }) inspectedOn: string,
    @Arg('outcome', () => InspectionOutcome) outcome: InspectionOutcome,
    @Arg('findings', () => [FindingInput]) findings: FindingInput[],
    @Arg('attachments', () => [AttachmentInput], { defaultValue: [] }) attachments: AttachmentInput[],
    @Ctx() ctx: InspectionContext,
  ): Promise<string> {
    const viewer = requireViewer(ctx);
    if (!/^\d{4}-\d\d-\d\d$/.test(inspectedOn) || Number.isNaN(Date.parse(`${inspectedOn}T00:00:00Z`)))
      throw new InvalidInputError('inspectedOn', 'must be a date, YYYY-MM-DD');
    if (findings.length === 0 || findings.length > MAX_FINDINGS) throw new InvalidInputError('findings', `must hold 1 to ${MAX_FINDINGS} findings`);
    if (attachments.length > MAX_ATTACHMENTS) throw new InvalidInputError('attachments', `at most ${MAX_ATTACHMENTS}`);
    for (const a of attachments) {
      if (!ATTACHMENT_REF.test(a.ref)) throw new InvalidInputError('attachments', 'a reference is a document store key (letters, digits, . _ / : -)');
      if (a.sha256 !== null && a.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(a.sha256))
        throw new InvalidInputError('attachments', 'sha256 is 64 hex digits');
    }
    return writes(ctx)
      .recordResult(
        {
          taskId: requireId('taskId', taskId),
          uscc: requireUscc('uscc', uscc),
          inspectedOn,
          outcome,
          findings: findings.map((f) => ({
            checkItem: requireId('findings', f.checkItem),
            compliant: f.compliant,
            note: officerText('findings', f.note, MAX_TEXT, false),
          })),
          attachments: attachments.map((a) => ({ ref: a.ref, sha256: a.sha256 ?? null })),
        },
        viewer,
        ctx.effectAudit,
        beijingToday(),
      )
      .then((r) => r.publicationDue);
  }

  @Classified(Classification.INTERNAL)
  @Subscription(() => InspectionTaskChange, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description: 'Random-inspection tasks created, drawn or given a result, in a division (prefix; city tasks concern every district), live over graphql-ws.',
  })
  inspectionTaskChanged(@Arg('division') division: string, @Ctx() ctx: InspectionContext): InspectionTaskChange | null {
    const prefix = requireDivisionPrefix('division', division);
    const event = ctx.liveEvent;
    if (
      !event ||
      event.kind !== inspectionTaskChangedTopic.eventKind ||
      !ctx.viewer ||
      !inspectionTaskChangedTopic.accepts(event, { division: prefix }, ctx.viewer)
    )
      return null;
    const p = event.payload;
    return {
      taskId: String(p.taskId),
      planId: String(p.planId),
      status: p.status as InspectionTaskStatus,
      division: String(event.division),
      objectsDrawn: Number(p.objectsDrawn),
      resultsRecorded: Number(p.resultsRecorded),
    };
  }
}

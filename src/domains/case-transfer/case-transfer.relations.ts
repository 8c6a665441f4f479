import { relation } from '../../read-kit/relations';
import { Classification } from '../../read-kit/fields/classification';
import { EnforcementCase } from '../enforcement';
import { TransferEvidenceItem, UntransferredCase } from './case-transfer-evidence';
import { CaseTransfer, CaseTransferEvent } from './case-transfer.entity';
import type { CaseTransferContext } from './case-transfer.resolver';

/*
 * A transfer's packet: the case (and through it its parties and vehicle, each under the caller's
 * own agreement), the evidence checklist of its catalogue entry with each item present or missing
 * and the documents attached by reference, and every step with its time.
 */
export const caseTransferRelations = [
  relation({
    on: () => UntransferredCase,
    field: 'enforcementCase',
    returns: () => EnforcementCase,
    nullable: true,
    description: 'The case (its division, party and vehicle), as far as the caller may see it.',
    classification: Classification.INTERNAL,
    parentKey: ['caseNumber'],
    load: (ctx: CaseTransferContext, key) => ctx.loaders.enforcement.byCaseNumber.load(key.caseNumber),
  }),
  relation({
    on: () => CaseTransfer,
    field: 'enforcementCase',
    returns: () => EnforcementCase,
    nullable: true,
    description: 'The case (its party enterprise, party person and vehicle are its fields), as far as the caller may see it.',
    classification: Classification.INTERNAL,
    parentKey: ['caseNumber'],
    load: (ctx: CaseTransferContext, key) => ctx.loaders.enforcement.byCaseNumber.load(key.caseNumber),
  }),
  relation({
    on: () => CaseTransfer,
    field: 'history',
    returns: () => [CaseTransferEvent],
    description: 'Every step, oldest first, with its time (OVERDUE steps included).',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    load: (ctx: CaseTransferContext, key) => ctx.loaders.caseTransfer.history.load(key.id),
  }),
  relation({
    on: () => CaseTransfer,
    field: 'evidence',
    returns: () => [TransferEvidenceItem],
    description: "The catalogue entry's evidence list, each item present (a document attached) or missing.",
    classification: Classification.INTERNAL,
    parentKey: ['id', 'violationCode'],
    load: async (ctx: CaseTransferContext, key) => {
      const entry = ctx.crimeCatalogue?.entryOf(key.violationCode);
      return Promise.all(
        (entry?.evidence ?? []).map(async (e) => {
          const documents = await ctx.loaders.caseTransfer.documents.load({ transferId: key.id, evidenceCode: e.code });
          return { code: e.code, name: e.name, required: e.required, present: documents.length > 0, documents };
        }),
      );
    },
  }),
];

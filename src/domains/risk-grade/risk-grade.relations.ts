import { Int } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { graphqlTypeName } from '../../read-kit/fields/type-name';
import type { RequestContext } from '../../read-kit/request-context';
import { arg, relation } from '../../read-kit/relations';
import { InvalidInputError } from '../../errors';
import { Enterprise, type EnterpriseLoaders } from '../enterprise';
import { RiskDeduction } from './risk-deduction';
import { RiskGradeChange } from './risk-grade-change.entity';
import { FACTOR_FACTS } from './risk-grade-facts';
import type { RiskGradeLoaders } from './risk-grade.loaders';
import { RiskGradeSnapshot } from './risk-grade-snapshot.entity';
import { RiskGrade } from './risk-grade.entity';

/** What the risk grade's fields read: this domain's loaders, and the enterprises' for the enterprise a change is of. */
export type RiskGradeContext = RequestContext<{ riskGrade: RiskGradeLoaders; enterprise: EnterpriseLoaders }>;

/** The longest history one request may ask for: five years of months. */
export const MAX_HISTORY_MONTHS = 60;

/**
 * The deductions the caller may see: those whose facts its agreement grants (`FACTOR_FACTS`), in
 * full, and on every record type of the fact without a row scope. A deduction counts all of the
 * enterprise's records: a caller who sees only some of them (a district officer's cases, a
 * peer's plates) would learn of the rest from the count, so it is shown only to one who may see
 * them all. The enterprise's own scope narrows nothing here: the grade is read through it.
 * Each one shown is a read of the records it counts, credited to their provider in the audit, as
 * a clue's evidence is. Without access control (benchmarks) all are shown.
 */
function visibleDeductions(ctx: RiskGradeContext, deductions: readonly RiskDeduction[]): RiskDeduction[] {
  const access = ctx.access;
  const enterprise = graphqlTypeName(Enterprise);
  const wholly = (field: string): boolean => {
    const [typeName, fieldName] = [field.slice(0, field.indexOf('.')), field.slice(field.indexOf('.') + 1)];
    if (!access?.grants?.(typeName, fieldName)) return false;
    return typeName === enterprise || typeName === 'Query' || access.rowScopeOf(typeName) === null;
  };
  const shown = deductions.filter((d) => {
    const facts = FACTOR_FACTS[d.factor];
    if (!facts) return false;
    return !access || facts.fields.every(wholly);
  });
  for (const d of shown) access?.creditRead?.(graphqlTypeName(FACTOR_FACTS[d.factor].records), d.evidenceCount);
  return shown;
}

export const riskGradeRelations = [
  relation({
    on: () => Enterprise,
    field: 'riskGrade',
    returns: () => RiskGrade,
    nullable: true,
    description: 'Its risk grade (分类分级, 千分制), when it is an operator the hub grades (one holding an operator licence).',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    load: (ctx: RiskGradeContext, { uscc }) => ctx.loaders.riskGrade.byUscc.load(uscc),
  }),
  relation({
    on: () => Enterprise,
    field: 'riskHistory',
    returns: () => [RiskGradeSnapshot],
    description: 'Its risk grade at the end of each of the latest months it was graded in (the current month: as it stands), newest first.',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    args: { months: arg<number>(() => Int, { defaultValue: 12, description: `How many months, 1 to ${MAX_HISTORY_MONTHS}.` }) },
    load: (ctx: RiskGradeContext, { uscc }, { months }) => {
      if (!Number.isInteger(months) || months < 1 || months > MAX_HISTORY_MONTHS) {
        throw new InvalidInputError('months', `must be from 1 to ${MAX_HISTORY_MONTHS}, got ${months}`);
      }
      return ctx.loaders.riskGrade.history(months).load(uscc);
    },
  }),
  relation({
    on: () => RiskGrade,
    field: 'deductions',
    returns: () => [RiskDeduction],
    description:
      'What took points off, largest first: only the factors whose facts (cases, credit, weighings, licences…) the caller’s agreement grants, so the list may sum to less than the score lost.',
    classification: Classification.INTERNAL,
    parentKey: 'deductions',
    load: (ctx: RiskGradeContext, { deductions }) => visibleDeductions(ctx, deductions),
  }),
  relation({
    on: () => RiskGradeChange,
    field: 'enterprise',
    returns: () => Enterprise,
    nullable: true,
    description: 'The enterprise whose grade changed, as your agreement shows it (null where it does not).',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    load: (ctx: RiskGradeContext, { uscc }) => ctx.loaders.enterprise.byUscc.load(uscc),
  }),
];

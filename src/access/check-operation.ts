import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Classification } from '../read-kit/fields/classification';
import { analyseOperation, type OperationAnalysis, type SelectionUnit } from '../read-kit/operation/operation-analysis';
import type { AccessGrant } from './access-grant';
import { aggregatedByArguments, sortedByArguments, testedByArguments } from './revealed-by-arguments';
import { aggregateOf } from '../read-kit/aggregate/aggregate-spec';

/** Root fields every authenticated caller may use, whatever its agreements: they describe the caller. */
export const UNCONDITIONAL_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query.myAccess']);

/** Root fields that describe the schema (federation's SDL): open exactly when introspection is. */
export const INTROSPECTION_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query._service']);

/**
 * Beyond this many refused response paths, refusals are named relative to the fragment they are
 * in (`Owner.cases`) instead: a fragment spread at many paths would otherwise be listed at each.
 */
export const MAX_LISTED_PATHS = 50;

/** What an operation would read, found before anything runs. */
export interface OperationAccess {
  readonly analysis: OperationAnalysis;
  /**
   * Fields the grant does not cover: response paths (aliases as sent), or `Fragment.path` when
   * there are more than MAX_LISTED_PATHS of those. A filter or ordering that reveals a field
   * the caller may not read in full is named with its argument: `practitioners(orderBy:…)`.
   */
  readonly deniedPaths: readonly string[];
  /** Every `Type.field` the operation selects, for the audit record. */
  readonly fields: ReadonlySet<string>;
  /** The highest classifications selected. */
  readonly levels: ReadonlySet<Classification>;
  readonly introspection: boolean;
  /** The case number the operation was checked against (set when it reads police-restricted data). */
  readonly verifiedCaseNumber: string | null;
}

/** A unit's refusals: its own (relative to it) and the units beneath it that hold some. */
interface UnitVerdict {
  local: string[];
  below: Array<{ at: string; unit: SelectionUnit; fragment: string | null }>;
  /** Refused response paths beneath, saturating at MAX_LISTED_PATHS + 1. */
  count: number;
}

const join = (path: string, key: string) => (path ? (key ? `${path}.${key}` : path) : key);

/**
 * Checks every selected field (through aliases, fragments, inline fragments, abstract types)
 * against the grant, no execution: a denied field anywhere refuses the whole operation, so
 * nothing partial leaks and no per-row errors are produced. Each unit of the analysis (a fragment
 * on a set of types) is judged once, so the check is linear in the document.
 */
export function checkAnalysed(analysis: OperationAnalysis, grant: AccessGrant, variables: Record<string, unknown> = {}): OperationAccess {
  const verdicts = new Map<number, UnitVerdict>();
  const judge = (unit: SelectionUnit): UnitVerdict => {
    const known = verdicts.get(unit.id);
    if (known) return known;
    const verdict: UnitVerdict = { local: [], below: [], count: 0 };
    verdicts.set(unit.id, verdict);
    const local = new Set<string>();
    const below = new Map<string, { at: string; unit: SelectionUnit; fragment: string | null }>();
    for (const item of unit.items) {
      if (item.kind === 'spread') {
        if (judge(item.unit).count) below.set(`${item.unit.id}@`, { at: '', unit: item.unit, fragment: item.fragment });
        continue;
      }
      const key = item.responseKey;
      if (item.name === '__typename') continue;
      if (item.name === '__schema' || item.name === '__type') {
        if (!grant.introspection) local.add(key);
        continue;
      }
      for (const { type, field, child } of item.on) {
        const id = `${type.name}.${item.name}`;
        if (UNCONDITIONAL_ROOT_FIELDS.has(id)) continue;
        if (INTROSPECTION_ROOT_FIELDS.has(id)) {
          if (!grant.introspection) local.add(key);
          continue;
        }
        if (!grant.modeOf(type.name, item.name)) {
          local.add(key);
          continue;
        }
        // A filter on a field reveals that field, and so do sorting and keyset paging by it:
        // allowed only where the field is granted in full (a masked value must not be rebuilt
        // from the order of the rows or confirmed by guessing it in a filter).
        const args = item.node.arguments ?? [];
        const aggregate = aggregateOf(field);
        if (aggregate) {
          // An aggregate reads the fields it groups, filters and measures by: each must be one the
          // agreement's aggregate grant of the type names (rows need not be granted at all).
          const grant_ = grant.aggregateOf(aggregate.of);
          if (!grant_) local.add(`${key}(aggregates:${aggregate.of})`);
          const reads = [...testedByArguments(field, args, variables), ...aggregatedByArguments(field, aggregate, args, variables)];
          for (const [argument, tested] of reads) {
            const [testedType, testedField] = tested.split('.');
            if (testedType !== aggregate.of || !grant_?.fields.has(testedField)) local.add(`${key}(${argument})`);
          }
          if (child && judge(child).count) below.set(`${child.id}@${key}`, { at: key, unit: child, fragment: null });
          continue;
        }
        const revealed = [...testedByArguments(field, args, variables), ...sortedByArguments(field, args, variables)];
        for (const [argument, tested] of revealed) {
          const [testedType, testedField] = tested.split('.');
          if (grant.modeOf(testedType, testedField)?.kind !== 'full') local.add(`${key}(${argument})`);
        }
        if (child && judge(child).count) below.set(`${child.id}@${key}`, { at: key, unit: child, fragment: null });
      }
    }
    verdict.local = [...local];
    verdict.below = [...below.values()];
    verdict.count = Math.min(MAX_LISTED_PATHS + 1, verdict.local.length + verdict.below.reduce((n, b) => n + verdicts.get(b.unit.id)!.count, 0));
    return verdict;
  };

  const denied = new Set<string>();
  const root = judge(analysis.root);
  if (root.count) {
    const byFragment = root.count > MAX_LISTED_PATHS;
    const seen = new Set<string>();
    const list = (unit: SelectionUnit, path: string): void => {
      const key = `${unit.id}@${path}`;
      if (seen.has(key)) return;
      seen.add(key);
      const verdict = verdicts.get(unit.id)!;
      for (const local of verdict.local) denied.add(join(path, local));
      for (const { at, unit: next, fragment } of verdict.below) {
        list(next, byFragment && fragment ? fragment : join(path, at));
      }
    };
    list(analysis.root, '');
  }
  return {
    analysis,
    deniedPaths: [...denied].sort(),
    fields: analysis.fields,
    levels: analysis.levels,
    introspection: analysis.introspection,
    verifiedCaseNumber: null,
  };
}

/** `checkAnalysed` for a document and one of its operations (analysed once per parsed operation). */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  grant: AccessGrant,
  variables: Record<string, unknown> = {},
): OperationAccess {
  return checkAnalysed(analyseOperation(schema, document, operation), grant, variables);
}

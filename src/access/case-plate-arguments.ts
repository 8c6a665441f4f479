import { getArgumentValues } from 'graphql/execution/values';
import type { FieldItem, OperationAnalysis, SelectionUnit } from '../read-kit/operation/operation-analysis';
import { normalisePlate } from '../../connectors/contract/identifiers/plate';

/** A plate an operation asks captures of, by argument, with the response path that asks. */
export interface AskedPlate {
  path: string;
  plateNumber: string;
  plateColor: string | null;
}

/**
 * The plates whose captures the operation names in its arguments: `checkpointCaptures(filter:
 * { plateNumber })` and `vehicle(plateNumber) { captures }` at the root. They are checked against
 * the case before anything runs, so an unrelated plate is refused by name; captures reached any
 * other way (lists, federation references) are bound to the case in SQL. Read from the request's
 * one analysis: each unit (a fragment on a set of types) once, whatever the number of spreads.
 */
export function platesAskedFor(analysis: OperationAnalysis, variables: Record<string, unknown>): AskedPlate[] {
  if (analysis.operation.operation !== 'query') return [];
  const roots: FieldItem[] = [];
  const seenRoot = new Set<number>();
  const collect = (unit: SelectionUnit): void => {
    if (seenRoot.has(unit.id)) return;
    seenRoot.add(unit.id);
    for (const item of unit.items) {
      if (item.kind === 'field') roots.push(item);
      else collect(item.unit);
    }
  };
  collect(analysis.root);

  const capturesIn = new Map<number, boolean>();
  const selectsCaptures = (unit: SelectionUnit): boolean => {
    const known = capturesIn.get(unit.id);
    if (known !== undefined) return known;
    // A cycle cannot pass validation; marking the unit first keeps this linear regardless.
    capturesIn.set(unit.id, false);
    const found = unit.items.some((item) => (item.kind === 'field' ? item.name === 'captures' : selectsCaptures(item.unit)));
    capturesIn.set(unit.id, found);
    return found;
  };

  const asked: AskedPlate[] = [];
  for (const item of roots) {
    for (const { field, child } of item.on) {
      if (item.name === 'checkpointCaptures') {
        const filter = getArgumentValues(field, item.node, variables).filter as { plateNumber?: string | null; plateColor?: string | null } | undefined;
        if (filter?.plateNumber) asked.push({ path: item.responseKey, plateNumber: normalisePlate(filter.plateNumber), plateColor: filter.plateColor ?? null });
      } else if (item.name === 'vehicle' && child && selectsCaptures(child)) {
        const args = getArgumentValues(field, item.node, variables) as { plateNumber?: string; plateColor?: string };
        if (args.plateNumber) asked.push({ path: item.responseKey, plateNumber: normalisePlate(args.plateNumber), plateColor: args.plateColor ?? null });
      }
    }
  }
  return asked;
}

import { CAPTURE_ORDERINGS } from '../domains/checkpoint';
import { ENFORCEMENT_CASE_ORDERINGS } from '../domains/enforcement';
import { ENTERPRISE_ORDERINGS } from '../domains/enterprise';
import { PRACTITIONER_ORDERINGS } from '../domains/practitioner';
import { VEHICLE_ORDERINGS } from '../domains/vehicle';
import { WEIGHING_ORDERINGS } from '../domains/weighing';

import { isEnumType, type GraphQLSchema } from 'graphql';

type Orderings = Record<string, { keys: ReadonlyArray<{ property: string; opaque?: boolean }> }>;

/** Each ordering enum of the schema: the type it orders and the repository's orderings. */
const ORDERINGS: Record<string, { type: string; orderings: Orderings }> = {
  CaptureOrder: { type: 'CheckpointCapture', orderings: CAPTURE_ORDERINGS },
  EnforcementCaseOrder: { type: 'EnforcementCase', orderings: ENFORCEMENT_CASE_ORDERINGS },
  EnterpriseOrder: { type: 'Enterprise', orderings: ENTERPRISE_ORDERINGS },
  PractitionerOrder: { type: 'Practitioner', orderings: PRACTITIONER_ORDERINGS },
  VehicleOrder: { type: 'Vehicle', orderings: VEHICLE_ORDERINGS },
  WeighingOrder: { type: 'Weighing', orderings: WEIGHING_ORDERINGS },
};

/**
 * The fields an ordering sorts by, as `Type.field`: sorting (and keyset paging, which resumes after
 * a row's values) reveals how values compare, so it is allowed only where those fields are granted
 * in full: paging in the order of a masked value would rebuild it from a few known ones. Keys that
 * are no field of the type (internal tie-breakers, opaque hashes) reveal nothing and are left out.
 */
export function fieldsSortedBy(enumName: string, value: string, fieldExists: (type: string, field: string) => boolean): string[] {
  const entry = ORDERINGS[enumName];
  const ordering = entry?.orderings[value];
  if (!entry || !ordering) return [];
  return ordering.keys.filter((k) => !k.opaque).map((k) => k.property).filter((field) => fieldExists(entry.type, field)).map((field) => `${entry.type}.${field}`);
}

/** The ordering enums known here (a test checks every ordering enum of the schema is). */
export const ORDERING_ENUMS: readonly string[] = Object.keys(ORDERINGS);

/**
 * Writes onto each ordering enum value of `schema` the fields it sorts by (`sortsBy`), so access
 * control reads them from the schema as it reads classifications, without knowing the domains.
 */
export function carryOrderings(schema: GraphQLSchema): void {
  const fieldExists = (typeName: string, fieldName: string) => {
    const type = schema.getType(typeName);
    return Boolean(type && 'getFields' in type && (type.getFields() as Record<string, unknown>)[fieldName]);
  };
  for (const enumName of ORDERING_ENUMS) {
    const type = schema.getType(enumName);
    if (!isEnumType(type)) continue;
    for (const value of type.getValues()) {
      Object.assign(value.extensions as Record<string, unknown>, { sortsBy: fieldsSortedBy(enumName, value.name, fieldExists) });
    }
  }
}

import type { GraphQLField, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { Extensions } from 'type-graphql';
import { isMaskKind, type MaskKind } from './masks';

/**
 * How sensitive a field is (shared/reference/agencies.md): it decides the default mask, the audit
 * redaction and whether a purpose or a case number is required to read it.
 */
export enum Classification {
  /** 无条件共享: any government consumer. */
  PUBLIC = 'PUBLIC',
  /** Shared under an agreement: case summaries, weighings, credit grades, provenance. */
  INTERNAL = 'INTERNAL',
  /** PIPL personal information: names, phones, certificates of a person. */
  PERSONAL = 'PERSONAL',
  /** PIPL sensitive personal information: resident ID numbers. */
  SENSITIVE_PERSONAL = 'SENSITIVE_PERSONAL',
  /** Checkpoint captures: only under an open case of the requesting agency. */
  POLICE_RESTRICTED = 'POLICE_RESTRICTED',
}

/** Levels that bind a read to a declared purpose (and the audit to it). */
export const PURPOSE_BOUND_LEVELS: ReadonlySet<Classification> = new Set([
  Classification.PERSONAL,
  Classification.SENSITIVE_PERSONAL,
  Classification.POLICE_RESTRICTED,
]);

/**
 * Declares a field's classification, next to the field, and the mask an agreement that grants
 * it only "masked" applies (without one: the classification's default, full redaction).
 */
export function Classified(level: Classification, mask?: MaskKind) {
  return Extensions(mask ? { classification: level, mask } : { classification: level });
}

/** The mask declared next to a field, if any. */
export function declaredMaskOf(field: GraphQLField<unknown, unknown>): MaskKind | null {
  const mask = field.extensions?.mask;
  return typeof mask === 'string' && isMaskKind(mask) ? mask : null;
}

/** The classification declared on a field, if any. */
export function classificationOf(field: GraphQLField<unknown, unknown>): Classification | null {
  const level = field.extensions?.classification;
  return typeof level === 'string' && level in Classification ? (level as Classification) : null;
}

/**
 * The federation subgraph is rebuilt from printed SDL, which carries no field extensions: the
 * classifications declared on the type-graphql schema are copied across by type and field name.
 */
export function carryClassifications(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(from.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const target = to.getType(type.name);
    if (!isObjectType(target)) continue;
    const targetFields = target.getFields();
    for (const field of Object.values(type.getFields())) {
      const level = classificationOf(field);
      const copy = targetFields[field.name];
      if (level && copy) {
        Object.assign(copy.extensions as Record<string, unknown>, { classification: level, mask: declaredMaskOf(field) ?? undefined });
      }
    }
  }
}

import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Agreement, AgreementsFile } from '../access/agreements';
import { INTROSPECTION_ROOT_FIELDS, UNCONDITIONAL_ROOT_FIELDS } from '../access/check-operation';
import { CALLER_DESCRIPTION_TYPES } from '../access/my-access.resolver';
import { classificationOf } from '../read-kit/fields/classification';
import { textTable } from './text-table';

/** One agreement, as the table's legend and the JSON describe it. */
interface AgreementLine {
  id: string;
  title: string;
  agency: string;
  roles: string[];
  purposes: string[];
  validFrom: string;
  validUntil: string;
  inForce: boolean;
  /** Types whose rows the agreement limits (row scopes). */
  rowScopes: string[];
}

/**
 * A field and what each agreement grants of it: `full`, `masked:<MASK>`, `denied`, or `open`
 * (every authenticated caller, whatever its agreement: `myAccess`, which tells a caller what it may see).
 */
interface FieldLine {
  type: string;
  field: string;
  classification: string | null;
  grants: Record<string, string>;
}

/** Who may see what: the agreements, and for every field of each type an agreement names, each agreement's grant. */
export interface AgreementsMatrix {
  /** The file, relative to the project. */
  file: string;
  agreements: AgreementLine[];
  fields: FieldLine[];
  /** Object types of which no caller may read a field. */
  ungrantedTypes: string[];
}

/** What the access checks decide beside the agreements' field grants. */
interface OpenFields {
  /** Open to every authenticated caller. */
  always: (type: string, field: string) => boolean;
  /** Open exactly to agreements granting introspection (federation's SDL). */
  withIntrospection: (type: string, field: string) => boolean;
}

function openFieldsOf(schema: GraphQLSchema): OpenFields {
  const query = schema.getQueryType();
  const rootOf = (key: string) => query?.getFields()[key.slice(`${query.name}.`.length)];
  const introspectionTypes = new Set([...INTROSPECTION_ROOT_FIELDS].flatMap((key) => rootOf(key) ?? []).map((field) => getNamedType(field.type).name));
  return {
    always: (type, field) => UNCONDITIONAL_ROOT_FIELDS.has(`${type}.${field}`) || CALLER_DESCRIPTION_TYPES.has(type),
    withIntrospection: (type, field) => INTROSPECTION_ROOT_FIELDS.has(`${type}.${field}`) || introspectionTypes.has(type),
  };
}

function modeOf(agreement: Agreement, type: string, field: string, open: OpenFields): string {
  if (open.always(type, field)) return 'open';
  if (open.withIntrospection(type, field)) return agreement.introspection ? 'full' : 'denied';
  const mode = agreement.fields.get(type)?.get(field);
  if (!mode) return 'denied';
  return mode.kind === 'full' ? 'full' : `masked:${mode.mask}`;
}

/** The matrix of a parsed agreements file, limited to `types` and `agencies` when they are given. */
export function agreementsMatrix(
  schema: GraphQLSchema,
  parsed: AgreementsFile,
  options: { file: string; types: readonly string[]; agencies: readonly string[]; now: Date },
): AgreementsMatrix {
  const agreements = parsed.agreements.filter((a) => options.agencies.length === 0 || options.agencies.includes(a.consumer.agency));
  const open = openFieldsOf(schema);
  const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));
  const granted = new Set([
    ...parsed.agreements.flatMap((a) => [...a.fields].filter(([, modes]) => modes.size > 0).map(([type]) => type)),
    ...objectTypes
      .filter((type) => Object.keys(type.getFields()).some((field) => open.always(type.name, field) || open.withIntrospection(type.name, field)))
      .map((type) => type.name),
  ]);
  const shown = objectTypes.filter((type) => granted.has(type.name) && (options.types.length === 0 || options.types.includes(type.name)));
  return {
    file: options.file,
    agreements: agreements.map((a) => ({
      id: a.id,
      title: a.title,
      agency: a.consumer.agency,
      roles: a.consumer.roles,
      purposes: a.purposes,
      validFrom: a.validFrom.toISOString(),
      validUntil: a.validUntil.toISOString(),
      inForce: a.validFrom <= options.now && options.now < a.validUntil,
      rowScopes: [...a.rowScopes.keys()],
    })),
    fields: shown.flatMap((type) =>
      Object.values(type.getFields()).map((field) => ({
        type: type.name,
        field: field.name,
        classification: classificationOf(field),
        grants: Object.fromEntries(agreements.map((a) => [a.id, modeOf(a, type.name, field.name, open)])),
      })),
    ),
    ungrantedTypes: objectTypes
      .filter((type) => !granted.has(type.name))
      .map((type) => type.name)
      .sort(),
  };
}

/** The agreements file's days are Beijing days (its instants carry +08:00). */
const shanghaiDay = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

/** A grant as a table cell: the mask's name is in the JSON, the table only says masked. */
const cell = (grant: string) => (grant === 'denied' ? '-' : grant.startsWith('masked:') ? 'masked' : grant);

/** The matrix for a terminal: the agreements, then a field × agreement table. */
export function formatMatrix(matrix: AgreementsMatrix): string {
  const legend = textTable(
    ['AGREEMENT', 'AGENCY', 'ROLES', 'VALID', 'PURPOSES'],
    matrix.agreements.map((a) => [
      a.id,
      a.agency,
      a.roles.join(','),
      `${shanghaiDay(a.validFrom)}..${shanghaiDay(a.validUntil)}${a.inForce ? '' : ' (not in force)'}`,
      a.purposes.join(','),
    ]),
  );
  const table = textTable(
    ['FIELD', 'CLASSIFICATION', ...matrix.agreements.map((a) => a.id)],
    matrix.fields.map((f) => [`${f.type}.${f.field}`, f.classification ?? '-', ...matrix.agreements.map((a) => cell(f.grants[a.id]))]),
  );
  return [
    `${matrix.file} is valid: ${matrix.agreements.length} agreements shown`,
    '',
    legend,
    '',
    table,
    '(full: in full; masked: with its mask; -: denied; open: to every authenticated caller)',
    ...(matrix.ungrantedTypes.length ? [`no caller may read any field of: ${matrix.ungrantedTypes.join(', ')}`] : []),
  ].join('\n');
}

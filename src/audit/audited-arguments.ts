import { valueFromASTUntyped, type ArgumentNode } from 'graphql';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';
import type { AuditedArgument } from './audit-event';
import { argumentRedaction } from './personal-variables';
import { cleanValue, type Digest } from './redact-variables';

/**
 * Every argument the operation passes, literal or variable, as the resolvers get it, per field
 * (`Type.field`, with its alias): personal values digested like personal variables. Read off the
 * analysis, so a fragment spread many times is listed once; identical entries are kept once.
 */
export function auditedArguments(analysis: OperationAnalysis, variables: Readonly<Record<string, unknown>> | undefined, digest: Digest): AuditedArgument[] {
  const entries = new Map<string, AuditedArgument>();
  for (const unit of analysis.units) {
    for (const item of unit.items) {
      if (item.kind !== 'field' || !item.node.arguments?.length) continue;
      const args: readonly ArgumentNode[] = item.node.arguments;
      for (const { type, field } of item.on) {
        const values: Record<string, unknown> = {};
        for (const argument of args) {
          const name: string = argument.name.value;
          const value: unknown = valueFromASTUntyped(argument.value, variables as Record<string, unknown> | undefined);
          const redaction = argumentRedaction(analysis.schema, field, name);
          if (value === null || value === undefined) values[name] = value ?? null;
          else if (redaction.whole) values[name] = digest(value);
          else if (redaction.keys.size && typeof value === 'object' && !Array.isArray(value)) {
            values[name] = Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k, redaction.keys.has(k) && v !== null && v !== undefined ? digest(v) : cleanValue(v)]),
            );
          } else values[name] = cleanValue(value);
        }
        const entry: AuditedArgument = { field: `${type.name}.${item.name}`, ...(item.node.alias ? { alias: item.node.alias.value } : {}), arguments: values };
        const key = JSON.stringify(entry);
        if (!entries.has(key)) entries.set(key, entry);
      }
    }
  }
  return [...entries.values()];
}

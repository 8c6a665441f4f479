import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, type FieldNode, type FragmentSpreadNode, type InlineFragmentNode } from 'graphql';
import type { OperationAnalysis, SelectionUnit } from './operation-analysis';

/** Whether `@skip` and `@include` (with the request's variables) keep a selection, as graphql-js's executor decides. */
function kept(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (!node.directives?.length) return true;
  const values = variables as Record<string, unknown>;
  if (getDirectiveValues(GraphQLSkipDirective, node, values)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, values)?.if !== false;
}

/**
 * The `Type.field`s (on object types) an operation resolves for these variables: its fields but
 * those `@skip` or `@include` leave out, directly or through the fragment or field they sit in.
 * What the audit records as read must be what the response could hold, not all the document
 * names. Each unit of the analysis is visited once, so it is linear in the document.
 */
export function includedFields(analysis: OperationAnalysis, variables: Readonly<Record<string, unknown>>): Set<string> {
  const fields = new Set<string>();
  const visited = new Set<SelectionUnit>();
  const visit = (unit: SelectionUnit): void => {
    if (visited.has(unit)) return;
    visited.add(unit);
    for (const item of unit.items) {
      if (item.kind === 'spread') {
        if (kept(item.node, variables)) visit(item.unit);
        continue;
      }
      if (!kept(item.node, variables)) continue;
      for (const { type, child } of item.on) {
        if (!item.meta) fields.add(`${type.name}.${item.name}`);
        if (child) visit(child);
      }
    }
  };
  visit(analysis.root);
  return fields;
}

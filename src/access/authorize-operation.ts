import { print, type DocumentNode } from 'graphql';
import { AccessDeniedError, ErrorCode } from '../errors';
import { Classification, PURPOSE_BOUND_LEVELS } from '../read-kit/fields/classification';
import type { ReadScope } from '../read-kit/rows/read-scope';
import type { AccessGrant, CaseBinding } from './access-grant';
import { bindCase } from './case-binding';
import { platesAskedFor } from './case-plate-arguments';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';
import { checkAnalysed, UNCONDITIONAL_ROOT_FIELDS, type OperationAccess } from './check-operation';

/** The reason a request states for itself (request `extensions` or headers, see declared-reason.ts). */
export interface DeclaredReason {
  purpose: string | null;
  caseNumber: string | null;
  /** The agreement the request asks to be judged under, when several could apply. */
  agreement: string | null;
  /** `ALL_PLATES`: captures of any plate under the case, where the agreement allows it. */
  caseScope: string | null;
}

/** What an authorized operation reads, and the case its captures are bound to (null: it reads none). */
export interface Authorized {
  access: OperationAccess;
  caseBinding: CaseBinding | null;
}

// A document in graphql-js's normal form, as persisted operations are compared: printed once per
// parsed document (Apollo reuses the parse of a repeated query), not once per request.
const printed = new WeakMap<DocumentNode, string>();
const printedOnce = (document: DocumentNode): string => {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
};

/**
 * The policy's check before execution: every selected field granted, personal data bound to a
 * purpose the agreement permits, police-restricted data to an open case the caller's agency
 * holds. Throws the first refusal; returns what the operation reads for the audit and the case
 * binding the grant must take (`AccessGrant.withCase`). `scope` reads the case with `grant`'s row scopes.
 */
export async function authorizeOperation(
  analysis: OperationAnalysis,
  grant: AccessGrant,
  reason: DeclaredReason,
  scope: ReadScope,
  variables: Record<string, unknown> = {},
): Promise<Authorized> {
  const access = checkAnalysed(analysis, grant, variables);
  if (access.deniedPaths.length) {
    throw new AccessDeniedError(
      ErrorCode.FORBIDDEN,
      `Not granted to ${grant.viewer.agency} (${grant.viewer.roles.join(', ')}): ${access.deniedPaths.join(', ')}`,
      {
        deniedPaths: access.deniedPaths,
      },
    );
  }
  // A consumer held to persisted operations may still ask what it may see (`myAccess`).
  const describesCallerOnly = [...analysis.rootFields].every((field) => UNCONDITIONAL_ROOT_FIELDS.has(field));
  if (grant.allowedOperations && !describesCallerOnly && !grant.allowedOperations.has(printedOnce(analysis.document))) {
    throw new AccessDeniedError(
      ErrorCode.OPERATION_NOT_ALLOWED,
      `${grant.viewer.agency} may send only the persisted operations its agreement lists (schema/policy/operations)`,
    );
  }
  if (reason.purpose !== null && !grant.purposes.has(reason.purpose)) {
    throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${reason.purpose}" is not permitted; permitted: ${[...grant.purposes].join(', ')}`, {
      purpose: reason.purpose,
      permitted: [...grant.purposes],
    });
  }
  if ([...access.levels].some((level) => PURPOSE_BOUND_LEVELS.has(level)) && reason.purpose === null) {
    throw new AccessDeniedError(ErrorCode.PURPOSE_REQUIRED, 'Personal data requires a declared purpose (request extensions.purpose or header x-purpose)', {
      permitted: [...grant.purposes],
    });
  }
  if (access.levels.has(Classification.POLICE_RESTRICTED)) {
    if (reason.caseNumber === null) {
      throw new AccessDeniedError(
        ErrorCode.CASE_REQUIRED,
        'Checkpoint captures require the number of an open enforcement case (request extensions.caseNumber or header x-case-number)',
      );
    }
    const binding = await bindCase(scope, grant, reason.caseNumber, reason.caseScope);
    if (binding.scope === 'CASE_VEHICLES') {
      const named = new Set(binding.plates.map(([plate, color]) => `${plate}/${color}`));
      const outside = platesAskedFor(analysis, variables).filter(
        (p) => !(p.plateColor === null ? binding.plates.some(([plate]) => plate === p.plateNumber) : named.has(`${p.plateNumber}/${p.plateColor}`)),
      );
      if (outside.length) {
        throw new AccessDeniedError(
          ErrorCode.CASE_SCOPE,
          `Case ${reason.caseNumber} does not name ${outside.map((p) => p.plateNumber).join(', ')}: captures are read only for the vehicles the case names`,
          {
            caseNumber: reason.caseNumber,
            paths: outside.map((p) => p.path),
          },
        );
      }
    }
    return { access: { ...access, verifiedCaseNumber: reason.caseNumber }, caseBinding: binding };
  }
  return { access, caseBinding: null };
}

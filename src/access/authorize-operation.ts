import { print } from 'graphql';
import { AccessDeniedError, ErrorCode } from '../errors';
import { Classification, PURPOSE_BOUND_LEVELS } from '../graphql/classification';
import type { ReadScope } from '../db/read-scope';
import type { AccessGrant } from './access-grant';
import { isOpenCaseHeldBy } from './case-binding';
import type { OperationAnalysis } from '../graphql/operation-analysis';
import { checkAnalysed, UNCONDITIONAL_ROOT_FIELDS, type OperationAccess } from './check-operation';

/** The reason a request states for itself (request `extensions` or headers, see declared-reason.ts). */
export interface DeclaredReason {
  purpose: string | null;
  caseNumber: string | null;
}

/**
 * The policy's check before execution: every selected field granted, personal data bound to a
 * purpose the agreement permits, police-restricted data to an open case the caller's agency
 * holds. Throws the first refusal; returns what the operation reads for the audit.
 */
export async function authorizeOperation(
  analysis: OperationAnalysis, grant: AccessGrant, reason: DeclaredReason, scope: ReadScope, variables: Record<string, unknown> = {},
): Promise<OperationAccess> {
  const access = checkAnalysed(analysis, grant, variables);
  if (access.deniedPaths.length) {
    throw new AccessDeniedError(ErrorCode.FORBIDDEN, `Not granted to ${grant.viewer.agency} (${grant.viewer.roles.join(', ')}): ${access.deniedPaths.join(', ')}`, {
      deniedPaths: access.deniedPaths,
    });
  }
  // A consumer held to persisted operations may still ask what it may see (`myAccess`).
  const describesCallerOnly = [...analysis.rootFields].every((field) => UNCONDITIONAL_ROOT_FIELDS.has(field));
  if (grant.allowedOperations && !describesCallerOnly && !grant.allowedOperations.has(print(analysis.document))) {
    throw new AccessDeniedError(ErrorCode.OPERATION_NOT_ALLOWED, `${grant.viewer.agency} may send only the persisted operations its agreement lists (schema/operations)`);
  }
  if (reason.purpose !== null && !grant.purposes.has(reason.purpose)) {
    throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${reason.purpose}" is not permitted; permitted: ${[...grant.purposes].join(', ')}`, {
      purpose: reason.purpose, permitted: [...grant.purposes],
    });
  }
  if ([...access.levels].some((level) => PURPOSE_BOUND_LEVELS.has(level)) && reason.purpose === null) {
    throw new AccessDeniedError(ErrorCode.PURPOSE_REQUIRED, 'Personal data requires a declared purpose (request extensions.purpose or header x-purpose)', {
      permitted: [...grant.purposes],
    });
  }
  if (access.levels.has(Classification.POLICE_RESTRICTED)) {
    if (reason.caseNumber === null) {
      throw new AccessDeniedError(ErrorCode.CASE_REQUIRED, 'Checkpoint captures require the number of an open enforcement case (request extensions.caseNumber or header x-case-number)');
    }
    if (!(await isOpenCaseHeldBy(scope, reason.caseNumber, grant.viewer.agency))) {
      throw new AccessDeniedError(ErrorCode.CASE_NOT_VALID, `Case ${reason.caseNumber} is not an open case held by ${grant.viewer.agency}`, {
        caseNumber: reason.caseNumber,
      });
    }
    return { ...access, verifiedCaseNumber: reason.caseNumber };
  }
  return access;
}

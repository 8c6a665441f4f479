/**
 * The agencies around the hub and the roles their tokens may carry (shared/reference/agencies.md).
 * Development keys and tokens are minted for these; a trust configuration names real issuers.
 */
export const AGENCY_ROLES: Record<string, readonly string[]> = {
  'suzhou-transport': ['officer', 'analyst', 'administrator', 'auditor'],
  'suzhou-psb': ['checkpoint-officer', 'case-officer'],
  'suzhou-amr': ['officer', 'analyst'],
  'jiangsu-credit': ['service'],
  'shanghai-transport': ['officer', 'analyst'],
  'zhejiang-transport': ['officer', 'analyst'],
  'anhui-transport': ['officer', 'analyst'],
  'xietong-sync': ['connector'],
};

/** The audience every token for this hub names. */
export const HUB_AUDIENCE = 'urn:xietong:suzhou-hub';

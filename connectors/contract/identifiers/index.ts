/**
 * Identifier rules of the canonical model, shared by the connectors (which normalise what their
 * systems send) and the hub (which validates arguments): normalisers, validators and
 * check-character calculators for credit codes, resident ID numbers, VINs, plates and division
 * codes. Part of the contract's kernel: it depends on nothing in the project but the canonical codes.
 */
export type { ValidationResult } from './validation-result';
export { normaliseIdentifier, toHalfWidth } from './normalise';
export { isRealCompactDate } from './calendar-date';
export { orgCodeCheckChar } from './org-code';
export type { UsccValidationOptions } from './uscc';
export { USCC_ALPHABET, normaliseUscc, usccCheckChar, validateUscc } from './uscc';
export type { ResidentIdValidationOptions } from './resident-id';
export { convertLegacyResidentId, normaliseResidentId, residentIdCheckChar, validateResidentId } from './resident-id';
export { normaliseVin, validateVin, vinCheckDigit } from './vin';
export type { PlateValidationResult } from './plate';
export { PlateKind, normalisePlate, provinceOfPlate, validatePlate } from './plate';
export { jttCodeFromPlateColor, plateColorFromJttCode } from './plate-color';
export type { Province } from './provinces';
export { PROVINCES } from './provinces';
export type { Division } from './divisions';
export { DIVISIONS, SUZHOU_INDUSTRIAL_PARK_CODES } from './divisions';
export { divisionName, isDivisionPrefix, isSuzhouDivision, provinceOfDivision, validateDivisionCode } from './division';

/** A risk grade rule file that cannot be used; the hub does not start with it. The message names the file, the place in it and the problem. */
export class RiskGradeRulesError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`Invalid risk grade rules: ${file}: ${where} ${problem}`);
    this.name = 'RiskGradeRulesError';
  }
}

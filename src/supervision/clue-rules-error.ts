/** A clue rule file that cannot be used; the hub does not start with it. The message names the file, the place in it and the problem. */
export class ClueRulesError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`Invalid clue rules: ${file}: ${where} ${problem}`);
    this.name = 'ClueRulesError';
  }
}

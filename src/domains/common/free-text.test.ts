import { caseNumberArgument, MAX_CASE_NUMBER_LENGTH, officerText } from './free-text';

// The one rule both the clue workflow and the watch lists hold officers' text and case numbers to.
describe('officer text and case numbers', () => {
  it('keeps trimmed text with line breaks, refuses other control characters and overlong text', () => {
    expect(officerText('note', '  第一行\n第二行\r\n ', 10, true)).toBe('第一行\n第二行');
    expect(officerText('note', '   ', 10, false)).toBeNull();
    expect(() => officerText('note', ' ', 10, true)).toThrow(/must not be empty/);
    expect(() => officerText('note', 'a\tb', 10, true)).toThrow(/control characters other than line breaks/);
    expect(() => officerText('note', 'a\u0000b', 10, true)).toThrow(/control characters/);
    expect(() => officerText('note', 'x'.repeat(11), 10, true)).toThrow(/at most 10 characters/);
  });

  it('keeps a trimmed case number, refuses control characters and more than MAX_CASE_NUMBER_LENGTH', () => {
    expect(caseNumberArgument('caseNumber', ' SZJT-2026-000001 ', true)).toBe('SZJT-2026-000001');
    expect(caseNumberArgument('caseNumber', ' ', false)).toBeNull();
    expect(caseNumberArgument('caseNumber', null, false)).toBeNull();
    expect(() => caseNumberArgument('caseNumber', '', true)).toThrow(/must not be empty/);
    expect(() => caseNumberArgument('caseNumber', 'A\nB', true)).toThrow(/control characters/);
    expect(() => caseNumberArgument('caseNumber', 'x'.repeat(MAX_CASE_NUMBER_LENGTH + 1), true)).toThrow(`at most ${MAX_CASE_NUMBER_LENGTH} characters`);
    expect(caseNumberArgument('caseNumber', 'x'.repeat(MAX_CASE_NUMBER_LENGTH), true)).toHaveLength(MAX_CASE_NUMBER_LENGTH);
  });
});

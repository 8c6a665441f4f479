import { redactSqlLiterals } from './redact-sql';

describe('redactSqlLiterals', () => {
  it('replaces every kind of string literal, and nothing else', () => {
    expect(redactSqlLiterals(`insert into audit_event (seq, content) values (7, '{"plate":"苏E12345"}'::jsonb)`)).toBe(
      `insert into audit_event (seq, content) values (7, '?'::jsonb)`,
    );
    expect(redactSqlLiterals(`select 1 where name = 'O''Brien' and id = $1 and note = E'a\\'b\\\\' and n = 3`)).toBe(
      `select 1 where name = '?' and id = $1 and note = E'?' and n = 3`,
    );
    expect(redactSqlLiterals("select $$320502198001011234$$, $tag$ it's $$ $tag$, $2")).toBe(`select '?', '?', $2`);
  });

  it('keeps quoted identifiers, parameters and statements without literals as they are', () => {
    const sql = `select "owner's name", plate_number from vehicle v where v.plate_number = any($1) and "a""b" is not null`;
    expect(redactSqlLiterals(sql)).toBe(sql);
  });

  it('redacts an unterminated literal to the end', () => {
    expect(redactSqlLiterals(`select 'never closed 苏E12345`)).toBe(`select '?'`);
  });
});

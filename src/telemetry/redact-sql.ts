/** Characters an identifier or a keyword is made of: a quote right after one is not a literal's start. */
const WORD = /[\w$]/;
/** A dollar quote's opening tag (`$$`, `$body$`); `$1` is a parameter, not a tag. */
const DOLLAR_TAG = /^\$(?:[A-Za-z_][\w]*)?\$/;

/**
 * The statement with every string literal replaced by `'?'`: what a span may record of it.
 * Parameters (`$1`…) are never recorded, but some statements inline their values (the audit
 * append writes its event as literals, and the event names what was asked for). Standard (`''`
 * doubled), escape (`E'…'`, backslashes) and dollar-quoted strings are covered; quoted
 * identifiers, numbers and comments are kept.
 */
export function redactSqlLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '"') {
      const end = closingQuote(sql, i, '"', false);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "'") {
      // E'…' (or e'…'): a prefix, not the end of a word such as `type'`.
      const escapes = /[eE]/.test(sql[i - 1] ?? '') && !WORD.test(sql[i - 2] ?? '');
      out += "'?'";
      i = closingQuote(sql, i, "'", escapes);
    } else if (c === '$' && !WORD.test(sql[i - 1] ?? '') && DOLLAR_TAG.test(sql.slice(i))) {
      const tag = DOLLAR_TAG.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      out += "'?'";
      i = close < 0 ? sql.length : close + tag.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Where the quoted text opening at `start` ends (just after its closing quote, or the end of `sql`). */
function closingQuote(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let j = start + 1;
  while (j < sql.length) {
    if (backslashEscapes && sql[j] === '\\') j += 2;
    else if (sql[j] === quote && sql[j + 1] === quote) j += 2;
    else if (sql[j] === quote) return j + 1;
    else j += 1;
  }
  return sql.length;
}

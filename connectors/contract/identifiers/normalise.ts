const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Maps full-width ASCII (Ａ１－) and the ideographic space to their half-width forms; hand-typed Chinese input often carries them. */
export function toHalfWidth(input: string): string {
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) out += String.fromCodePoint(code - FULL_WIDTH_OFFSET);
    else if (code === IDEOGRAPHIC_SPACE) out += ' ';
    else out += ch;
  }
  return out;
}

/** Trim, half-width, upper case: the common first step for every identifier. */
export function normaliseIdentifier(input: string): string {
  return toHalfWidth(input).trim().toUpperCase();
}

import { isRealCompactDate } from './calendar-date';
import { normaliseIdentifier, toHalfWidth } from './normalise';

describe('toHalfWidth', () => {
  it('maps full-width ASCII and the ideographic space', () => {
    expect(toHalfWidth('ＡＢＣ１２３－ｘ　·苏')).toBe('ABC123-x ·苏');
  });
});

describe('normaliseIdentifier', () => {
  it('trims, converts to half-width and upper-cases', () => {
    expect(normaliseIdentifier('　ｍａ１ｍｘｋ 3l ')).toBe('MA1MXK 3L');
  });
});

describe('isRealCompactDate', () => {
  it.each(['20000229', '20240229', '20231231', '19491231', '19600101'])('%s is real', (date) => {
    expect(isRealCompactDate(date)).toBe(true);
  });

  it.each(['19990231', '19000229', '20230229', '20231131', '20230001', '20231300', '20230100', '2023011', '2023O101'])('%s is not real', (date) => {
    expect(isRealCompactDate(date)).toBe(false);
  });
});

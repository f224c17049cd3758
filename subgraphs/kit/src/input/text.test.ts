import { isDate, isDateTime, textProblem } from './text';

const ONE_LINE = { maxLength: 10, multiline: false };

describe('textProblem', () => {
  it('counts characters as PostgreSQL does: an emoji is one', () => {
    expect(textProblem('🎉'.repeat(10), ONE_LINE, 'titre')).toBeUndefined();
    expect(textProblem('🎉'.repeat(11), ONE_LINE, 'titre')).toBe('Le champ « titre » compte 11 caractères ; le maximum permis est 10.');
  });

  it.each([
    ['\u0000', 'U+0000'],
    ['\u0007', 'U+0007'],
    ['\u001B', 'U+001B'],
    ['\u007F', 'U+007F'],
    ['\u0085', 'U+0085'],
  ])('refuses the control character %j everywhere', (character, code) => {
    expect(textProblem(`a${character}b`, ONE_LINE, 'x')).toContain(code);
    expect(textProblem(`a${character}b`, { ...ONE_LINE, multiline: true }, 'x')).toContain(code);
  });

  it('allows TAB, LF and CR only in a multi-line field', () => {
    for (const lineBreak of ['\t', '\n', '\r']) {
      expect(textProblem(`a${lineBreak}b`, ONE_LINE, 'x')).toMatch(/seule ligne/);
      expect(textProblem(`a${lineBreak}b`, { ...ONE_LINE, multiline: true }, 'x')).toBeUndefined();
    }
  });

  it('refuses half of a surrogate pair, high or low, and keeps whole pairs', () => {
    expect(textProblem('a\uD83D', ONE_LINE, 'x')).toMatch(/U\+D83D/);
    expect(textProblem('\uDE00a', ONE_LINE, 'x')).toMatch(/U\+DE00/);
    expect(textProblem('\uD83D\uDE00', ONE_LINE, 'x')).toBeUndefined();
  });
});

describe('formats', () => {
  it.each(['2026-06-30', '2028-02-29', '0001-01-01'])('%s is a date', (text) => expect(isDate(text)).toBe(true));
  it.each(['2026-02-29', '2026-13-01', '2026-6-30', '26-06-30', '2026-06-30T00:00:00Z', '+200000-01-01', ''])('%j is not', (text) =>
    expect(isDate(text)).toBe(false),
  );
  it.each(['2026-06-30T17:00:00-04:00', '2026-06-30T21:00:00Z', '2026-06-30T21:00Z', '2026-06-30T21:00:00.123+05:30'])('%s is a date-time', (text) =>
    expect(isDateTime(text)).toBe(true),
  );
  it.each(['2026-06-30', '2026-06-30T21:00:00', '2026-06-31T21:00:00Z', '2026-06-30T24:00:00Z', '+200000-01-01T00:00:00Z', '2026-06-30 21:00:00Z'])(
    '%j is not',
    (text) => expect(isDateTime(text)).toBe(false),
  );
});

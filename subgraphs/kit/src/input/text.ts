/** What a text argument or input field may hold (the `@constraint` directive, or the defaults). */
export interface TextRule {
  /** Most characters (Unicode code points, as PostgreSQL counts them). */
  maxLength: number;
  /** TAB, LF and CR are allowed (a reason, a comment); elsewhere a text is one line. */
  multiline: boolean;
  format?: TextFormat;
}

/** Formats a text may be held to, beyond its characters. */
export type TextFormat = 'date' | 'date-time';
export const TEXT_FORMATS: readonly TextFormat[] = ['date', 'date-time'];

// C0 controls, DEL and C1 controls. PostgreSQL refuses NUL outright; the others are written as is
// and end up in screens, exports and logs (a bell, an ANSI escape sequence). Matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Half of a UTF-16 surrogate pair: no character at all, which PostgreSQL refuses to encode.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text breaks its rule, as a French sentence about the field named `label`, or undefined
 * when it does not. Over-long text is refused, never cut.
 */
export function textProblem(text: string, rule: TextRule, label: string): string | undefined {
  const length = codePointLength(text);
  if (length > rule.maxLength) {
    return `Le champ « ${label} » compte ${length} caractères ; le maximum permis est ${rule.maxLength}.`;
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    return `Le champ « ${label} » contient un caractère Unicode invalide (demi-paire de substitution ${hex(surrogate[0].charCodeAt(0))}).`;
  }
  const control = (rule.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    const lineBreak = code === 0x0a || code === 0x0d || code === 0x09;
    return `Le champ « ${label} » contient un caractère de contrôle non permis (${hex(code)})${lineBreak ? ' : il tient sur une seule ligne' : ''}.`;
  }
  if (rule.format === 'date' && !isDate(text)) {
    return `Le champ « ${label} » doit être une date au format AAAA-MM-JJ (par exemple 2026-06-30).`;
  }
  if (rule.format === 'date-time' && !isDateTime(text)) {
    return `Le champ « ${label} » doit être une date et heure ISO 8601 avec son fuseau horaire (par exemple 2026-06-30T17:00:00-04:00).`;
  }
  return undefined;
}

/** Code points, as PostgreSQL's `varchar(n)` counts characters: a surrogate pair is one. */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        i += 1;
      }
    }
  }
  return length;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A day of the calendar as `AAAA-MM-JJ` (no 31 April). */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  return !!match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** ISO 8601 date and time with its offset (`Z` or `±hh:mm`), seconds and milliseconds optional. */
export function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  return !!match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3])) && Number.isFinite(Date.parse(text));
}

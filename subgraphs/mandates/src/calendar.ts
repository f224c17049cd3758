/**
 * Québec's calendar (`en-CA` writes `YYYY-MM-DD`). Built once: constructing an Intl.DateTimeFormat
 * loads time-zone data, and took 6 % of the mandates subgraph's CPU when built on every call.
 */
const QUEBEC_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' });

const MINUTE_MS = 60_000;

/**
 * The last minute formatted and its date. Québec's day changes on a whole minute (its offsets
 * from UTC are whole hours), so every instant of a minute has the same date: the dashboard asks
 * for today once per dossier and per mandate shown, and formatting was 1 % of its CPU (issue 16).
 */
let lastMinute = Number.NaN;
let lastDate = '';

/**
 * The date of `now` in Québec (`YYYY-MM-DD`): mandate dates and report deadlines are calendar days
 * there (R16, R18). `now` comes from the subgraph's clock (`context.clock.now()`), never the wall
 * clock read here.
 */
export function quebecToday(now: Date): string {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  if (minute !== lastMinute) {
    lastDate = QUEBEC_DATE.format(now);
    lastMinute = minute;
  }
  return lastDate;
}

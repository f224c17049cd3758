/**
 * Québec's calendar (`en-CA` writes `YYYY-MM-DD`). Built once: constructing an Intl.DateTimeFormat
 * loads time-zone data, and took 6 % of the mandates subgraph's CPU when built on every call.
 */
const QUEBEC_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' });

/**
 * The date of `now` in Québec (`YYYY-MM-DD`): mandate dates and report deadlines are calendar days
 * there (R16, R18). `now` comes from the subgraph's clock (`context.clock.now()`), never the wall
 * clock read here.
 */
export function quebecToday(now: Date): string {
  return QUEBEC_DATE.format(now);
}

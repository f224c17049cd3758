/**
 * The date of `now` in Québec (`YYYY-MM-DD`): mandate dates and report deadlines are calendar days
 * there (R16, R18). `now` comes from the subgraph's clock (`context.clock.now()`), never the wall
 * clock read here.
 */
export function quebecToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(now);
}

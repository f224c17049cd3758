/** Today's date in Québec (`YYYY-MM-DD`): mandate dates and report deadlines are calendar days there (R16, R18). */
export function quebecToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(now);
}

import { quebecToday } from './calendar';

describe('quebecToday', () => {
  it('R16, R18: changes date at midnight in Québec, to the millisecond, whatever was asked before', () => {
    // 5 h UTC is midnight in Québec in winter (EST), 4 h in summer (EDT).
    expect(quebecToday(new Date('2026-12-07T04:59:00.000Z'))).toBe('2026-12-06');
    expect(quebecToday(new Date('2026-12-07T04:59:59.999Z'))).toBe('2026-12-06');
    expect(quebecToday(new Date('2026-12-07T05:00:00.000Z'))).toBe('2026-12-07');
    expect(quebecToday(new Date('2026-07-01T03:59:59.999Z'))).toBe('2026-06-30');
    expect(quebecToday(new Date('2026-07-01T04:00:00.000Z'))).toBe('2026-07-01');
    expect(quebecToday(new Date('2026-07-01T04:00:30.000Z'))).toBe('2026-07-01');
    expect(quebecToday(new Date('2026-12-07T04:59:30.000Z'))).toBe('2026-12-06');
  });
});

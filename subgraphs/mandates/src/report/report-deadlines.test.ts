import { deadlineNotices } from './report-deadlines';

describe('R18: which deadline notices are due on a Québec day', () => {
  it.each([
    ['2026-05-30', [{ fiscalYear: 2024, kind: 'REPORT_DEADLINE_PASSED' }]],
    ['2026-05-31', [{ fiscalYear: 2025, kind: 'REPORT_DEADLINE_NEAR' }, { fiscalYear: 2024, kind: 'REPORT_DEADLINE_PASSED' }]],
    ['2026-06-30', [{ fiscalYear: 2025, kind: 'REPORT_DEADLINE_NEAR' }, { fiscalYear: 2024, kind: 'REPORT_DEADLINE_PASSED' }]],
    ['2026-07-01', [{ fiscalYear: 2025, kind: 'REPORT_DEADLINE_PASSED' }]],
    ['2026-12-07', [{ fiscalYear: 2025, kind: 'REPORT_DEADLINE_PASSED' }]],
  ])('%s', (today, expected) => {
    expect(deadlineNotices(today)).toEqual(expected);
  });
});

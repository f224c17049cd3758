import { filterCovered, subjectMatches } from './subject-filter';

describe('NATS subject filters on both buses', () => {
  it('matches `*` as one token and `>` as one or more', () => {
    expect(subjectMatches('pgamr.events.>', 'pgamr.events.services.ACCESS_REQUEST_FILED')).toBe(true);
    expect(subjectMatches('pgamr.events.>', 'pgamr.events')).toBe(false);
    expect(subjectMatches('pgamr.events.*.ACCESS_REQUEST_FILED', 'pgamr.events.services.ACCESS_REQUEST_FILED')).toBe(true);
    expect(subjectMatches('pgamr.events.*', 'pgamr.events.services.ACCESS_REQUEST_FILED')).toBe(false);
    expect(subjectMatches('pgamr.sessions.>', 'pgamr.notifications.x')).toBe(false);
    expect(subjectMatches('a.b', 'a.b')).toBe(true);
    expect(subjectMatches('a.b', 'a.b.c')).toBe(false);
  });

  it("finds the stream whose subjects cover a consumer's filter", () => {
    expect(filterCovered('pgamr.events.>', 'pgamr.events.>')).toBe(true);
    expect(filterCovered('pgamr.events.>', 'pgamr.events.services.*')).toBe(true);
    expect(filterCovered('pgamr.events.>', 'pgamr.notifications.>')).toBe(false);
    expect(filterCovered('pgamr.events.*', 'pgamr.events.>')).toBe(false);
  });
});

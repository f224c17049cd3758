/**
 * NATS subject filters, as both buses read them: tokens separated by dots, `*` any one token,
 * `>` (last) one or more tokens.
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const wanted = filter.split('.');
  const tokens = subject.split('.');
  for (let index = 0; index < wanted.length; index++) {
    const token = wanted[index];
    if (token === '>') return index === wanted.length - 1 && tokens.length > index;
    if (index >= tokens.length) return false;
    if (token !== '*' && token !== tokens[index]) return false;
  }
  return tokens.length === wanted.length;
}

/** Whether every subject `filter` matches is one `pattern` matches too (a stream's subjects cover a consumer's filter). */
export function filterCovered(pattern: string, filter: string): boolean {
  const outer = pattern.split('.');
  const inner = filter.split('.');
  for (let index = 0; index < outer.length; index++) {
    const token = outer[index];
    if (token === '>') return inner.length > index;
    const other = inner[index];
    if (other === undefined || other === '>') return false;
    if (token !== '*' && (other === '*' || token !== other)) return false;
  }
  return inner.length === outer.length;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_CODES, catalogEntry, ERROR_CATALOG_MARKERS, errorCatalogMarkdown, withErrorCatalog } from './error-catalog';
import { ErrorCode, INTERNAL_ERROR_MESSAGE, isPublicCode, maskError, RefusalCode, RequestErrorCode } from './errors';

const README = path.resolve(__dirname, '..', '..', '..', 'README.md');

describe('the error catalog', () => {
  it('keeps every code string clients may already branch on', () => {
    // A renamed or removed code breaks deployed clients: change this list only with a new code beside the old one.
    expect([...CATALOG_CODES].sort()).toEqual(
      [
        'BAD_REQUEST',
        'BAD_USER_INPUT',
        'CONFLICT',
        'FORBIDDEN',
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'INTERNAL_SERVER_ERROR',
        'INTROSPECTION_NOT_ALLOWED',
        'NOT_FOUND',
        'OPERATION_RESOLUTION_FAILURE',
        'PASSWORD_CHANGE_REQUIRED',
        'PERSISTED_QUERY_NOT_ALLOWED',
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_SUPPORTED',
        'QUERY_TOO_COMPLEX',
        'QUERY_TOO_DEEP',
        'RATE_LIMITED',
        'SERVICE_UNAVAILABLE',
        'TOO_MANY_ALIASES',
        'TOO_MANY_ATTEMPTS',
        'TOO_MANY_DIRECTIVES',
        'TOO_MANY_ROOT_FIELDS',
        'TOO_MANY_STREAMS',
        'TOO_MANY_TOKENS',
        'UNAUTHENTICATED',
      ].sort(),
    );
  });

  it('lists exactly the codes the kit names (ErrorCode, RequestErrorCode, RefusalCode)', () => {
    const named = new Set<string>([...Object.values(ErrorCode), ...Object.values(RequestErrorCode), ...Object.values(RefusalCode)]);
    expect([...named].sort()).toEqual([...CATALOG_CODES].sort());
  });

  it('says for every code what it means, how it arrives and what to do, in French', () => {
    for (const code of CATALOG_CODES) {
      const entry = catalogEntry(code);
      expect(entry.meaning).toMatch(/[A-Za-zÀ-ÿ].{20,}/);
      expect(entry.action).toMatch(/[A-Za-zÀ-ÿ].{10,}/);
      // Every code arrives somehow: refusing the whole request, or on a field.
      expect(entry.wholeRequest.length > 0 || entry.onField).toBe(true);
      for (const status of entry.wholeRequest) expect([200, 400, 401, 403, 404, 413, 415, 429, 500, 503]).toContain(status);
    }
  });

  it('gives every "try later" its retryAfterSeconds, bad input its field, an internal error its requestId', () => {
    for (const code of CATALOG_CODES) {
      const entry = catalogEntry(code);
      const names = entry.extensions.map((extension) => extension.name);
      if (entry.retry === 'later') expect([code, names]).toEqual([code, expect.arrayContaining(['retryAfterSeconds'])]);
    }
    expect(catalogEntry('TOO_MANY_ATTEMPTS').extensions.map((e) => e.name)).toContain('retryAfterSeconds');
    expect(catalogEntry('BAD_USER_INPUT').extensions.map((e) => e.name)).toContain('field');
    expect(catalogEntry('INTERNAL_SERVER_ERROR').extensions.map((e) => e.name)).toContain('requestId');
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'PASSWORD_CHANGE_REQUIRED'] as const) {
      expect(catalogEntry(code).extensions.map((e) => e.name)).toContain('paths');
    }
  });
});

describe('what may reach a client is derived from the catalog', () => {
  it.each(CATALOG_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'))('%s passes with its message and extensions', (code) => {
    expect(isPublicCode(code)).toBe(true);
    expect(maskError({ message: 'Message.', path: ['a'], extensions: { code, retryAfterSeconds: 5 } })).toEqual({
      message: 'Message.',
      path: ['a'],
      extensions: { code, retryAfterSeconds: 5 },
    });
  });

  it.each(['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR', 'bad_user_input', 'toString', 'constructor'])('%s is masked', (code) => {
    expect(isPublicCode(code)).toBe(false);
    expect(maskError({ message: 'SELECT * FROM secret', extensions: { code, detail: 'x' } })).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe("the README's table", () => {
  it('is the one the catalog generates (run `npm run docs:errors` after changing the catalog)', () => {
    const readme = readFileSync(README, 'utf8');
    const between = (text: string) => text.slice(text.indexOf(ERROR_CATALOG_MARKERS.start), text.indexOf(ERROR_CATALOG_MARKERS.end));
    expect(between(readme)).toBe(between(withErrorCatalog(readme)));
  });

  it('has one row per code', () => {
    const rows = errorCatalogMarkdown()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(CATALOG_CODES.length);
  });

  it('refuses a document without its markers', () => {
    expect(() => withErrorCatalog('# README\n')).toThrow(/markers/);
  });
});

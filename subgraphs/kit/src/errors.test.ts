import { INTERNAL_ERROR_MESSAGE, maskError } from './errors';

describe('maskError', () => {
  it('keeps errors with a public code, minus any stack trace', () => {
    expect(
      maskError({ message: 'Accès refusé.', path: ['dossier'], extensions: { code: 'FORBIDDEN', stacktrace: ['at x'] } }),
    ).toEqual({ message: 'Accès refusé.', path: ['dossier'], extensions: { code: 'FORBIDDEN' } });
  });

  it("drops the gateway's copy of a subgraph response, which names the subgraph's URL", () => {
    const masked = maskError({
      message: 'Accès refusé.',
      extensions: { code: 'FORBIDDEN', serviceName: 'mandates', response: { url: 'http://10.1.2.3:4003/graphql', status: 403 } },
    });
    expect(masked).toEqual({ message: 'Accès refusé.', extensions: { code: 'FORBIDDEN' } });
  });

  it.each([undefined, 'INTERNAL_SERVER_ERROR', 'SOME_DRIVER_CODE'])('masks everything else (code %s)', (code) => {
    expect(
      maskError({ message: 'duplicate key value violates "app_user_pkey"', path: ['a'], extensions: code ? { code } : {} }),
    ).toEqual({ message: INTERNAL_ERROR_MESSAGE, path: ['a'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

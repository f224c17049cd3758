import { isLoopbackHost } from './support/loopback';

describe('the loopback guard used by the tests', () => {
  it.each(['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', undefined])('lets %s through', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['169.254.169.254', 'metadata.google.internal.', '10.0.0.1', '192.168.1.1', 'usage-reporting.api.apollographql.com', '::2'])(
    'stops %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

/**
 * `npm run keys:rotate -w @pgamr/identity`: adds a new signing key. It is published at once and
 * signs after SIGNING_KEY_PROPAGATION_SECONDS; the current key stays published until the last
 * token it signed has expired. Uses IDENTITY_DATABASE_URL, else the embedded database of DATA_DIR
 * (held by `npm start` while it runs: stop it first).
 */
import { createLogger, openDatabase, readSubgraphConfig } from '@pgamr/kit';
import { SigningKeyStore } from '../auth/signing-keys';
import { identitySubgraph } from '../server';
import { readIdentitySettings } from '../settings';

async function main(): Promise<void> {
  const config = readSubgraphConfig('identity', 4001);
  const settings = readIdentitySettings();
  const database = await openDatabase(config.database, identitySubgraph, createLogger('keys', 'warn'));
  try {
    const kid = await new SigningKeyStore(database.orm).rotate(settings.keyPropagationSeconds, settings.accessTokenTtlSeconds);
    console.log(`New signing key ${kid}: published now, signing in ${settings.keyPropagationSeconds} s.`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

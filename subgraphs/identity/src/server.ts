import { AuditEventSchema, loadSchemaFile, type SubgraphDefinition } from '@pgamr/kit';
import { SigningKeySchema } from './auth/signing-key.entity';
import { SigningKeyStore } from './auth/signing-keys';
import { registerFirmDirectory } from './directory/firm-directory';
import { registerGeography } from './directory/geography';
import type { IdentityServices } from './context';
import { createIdentityLoaders, type IdentityLoaders } from './loaders';
import { migrations } from './migrations';
import { OrganizationSchema } from './organization/organization.entity';
import { PersonInAuthoritySchema } from './repertoire/person-in-authority.entity';
import { resolvers } from './resolvers';
import { seedIdentityDemoData } from './seed/demo-data';
import { RefreshTokenSchema, SessionSchema, SignInAttemptSchema } from './session/session.entity';
import { liveSessionsIn, registerSessionStatus } from './session/session-status';
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from './settings';
import { UserSchema } from './user/user.entity';

/** Where identity publishes the public keys of its access tokens (RFC 8414's usual place). */
export const JWKS_PATH = '/.well-known/jwks.json';

/** The identity subgraph: organizations, users and their clicSÉQUR codes, sign-in, the Répertoire. */
export function createIdentitySubgraph(settings: IdentitySettings): SubgraphDefinition<IdentityLoaders, IdentityServices> {
  return {
    name: 'identity',
    typeDefs: loadSchemaFile(__dirname),
    resolvers,
    // Issue 19: sessions ended (sign-out, suspension, password reset) close live streams.
    events: true,
    entities: [
      OrganizationSchema,
      UserSchema,
      PersonInAuthoritySchema,
      SessionSchema,
      RefreshTokenSchema,
      SignInAttemptSchema,
      SigningKeySchema,
      AuditEventSchema,
    ],
    migrations,
    createLoaders: createIdentityLoaders,
    seedDemoData: seedIdentityDemoData,
    async setup({ orm }, { clock }) {
      const keys = new SigningKeyStore(orm, () => clock.now(), settings.signingKeyCacheMs);
      await keys.ensureSigningKey();
      const findLiveSessions = liveSessionsIn(orm, clock);
      return {
        services: { keys, settings, clock },
        // Identity verifies tokens against its own key store and sessions: no HTTP call to itself.
        keySet: keys.verificationKey,
        findLiveSessions,
        registerRoutes(app, { verifyAuthorization }) {
          registerFirmDirectory(app, orm, verifyAuthorization);
          registerGeography(app, orm, verifyAuthorization);
          registerSessionStatus(app, findLiveSessions);
          app.get(JWKS_PATH, async (_request, reply) => {
            reply.header('cache-control', 'public, max-age=300');
            return { keys: await keys.publishedKeys() };
          });
        },
      };
    },
  };
}

export const identitySubgraph = createIdentitySubgraph(DEFAULT_IDENTITY_SETTINGS);

export type { IdentityServices } from './context';
export type { IdentityLoaders } from './loaders';
export { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from './settings';

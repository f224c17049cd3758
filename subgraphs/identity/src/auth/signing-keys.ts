import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { systemClock, TOKEN_ALGORITHM } from '@pgamr/kit';
import { errors as joseErrors, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { SigningKey } from './signing-key.entity';

type Key = CryptoKey | KeyObject | Uint8Array;

/** How long the keys read from the database are reused before they are read again. */
export const SIGNING_KEY_CACHE_MS = 5_000;
/** An unknown `kid` rereads the keys at most this often: random kids must not cost a query each. */
const UNKNOWN_KID_RELOAD_MS = 1_000;

/**
 * The identity subgraph's signing keys, kept in its database so that every replica signs with
 * the same key and rotation survives restarts. Reads are cached for a few seconds.
 */
export class SigningKeyStore {
  private cache?: { loadedAt: number; keys: SigningKey[] };
  private readonly imported = new Map<string, Key>();

  constructor(
    private readonly orm: MikroORM,
    private readonly now: () => Date = () => systemClock.now(),
    private readonly cacheMs = SIGNING_KEY_CACHE_MS,
  ) {}

  /** Makes sure a key can sign right away (first start of an empty database). */
  async ensureSigningKey(): Promise<void> {
    const keys = await this.load(true);
    if (!keys.some((key) => this.isActive(key))) await this.addKey(this.now());
  }

  /**
   * Rotation without downtime: the new key is published at once and signs after
   * `propagationSeconds`, once every verifier can have refetched the key set; the keys it
   * replaces stay published until the last token they signed has expired.
   */
  async rotate(propagationSeconds: number, accessTokenTtlSeconds: number): Promise<string> {
    const activatesAt = new Date(this.now().getTime() + propagationSeconds * 1000);
    const retiresAt = new Date(activatesAt.getTime() + (accessTokenTtlSeconds + 60) * 1000);
    const em = this.orm.em.fork();
    const kid = await em.transactional(async (tx) => {
      await tx.nativeUpdate(SigningKey, { retiresAt: null }, { retiresAt });
      return (await this.addKey(activatesAt, tx)).kid;
    });
    this.cache = undefined;
    return kid;
  }

  /** The public keys verifiers may meet: every key not yet retired. */
  async publishedKeys(): Promise<JWK[]> {
    const now = this.now();
    return (await this.load()).filter((key) => !key.retiresAt || key.retiresAt > now).map((key) => key.publicJwk);
  }

  /**
   * The key to sign with now: the newest active one. Read through `em` when the cache is stale:
   * inside a transaction that is the transaction's own connection, never a second one from the
   * pool (the embedded database has only one, which the transaction holds).
   */
  async signingKey(em: EntityManager): Promise<{ kid: string; key: Key }> {
    const active = (await this.load(false, em)).filter((key) => this.isActive(key));
    const newest = active.sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime())[0];
    if (!newest) throw new Error('no active signing key');
    return { kid: newest.kid, key: await this.privateKey(newest.kid, em) };
  }

  /** For jose's jwtVerify: the published key with the token's `kid`. */
  private readonly importedKeys = new Map<string, ReturnType<typeof importJWK>>();

  readonly verificationKey: JWTVerifyGetKey = async (header) => {
    const find = async (fresh: boolean) =>
      (await this.load(fresh)).find((key) => key.kid === header.kid && (!key.retiresAt || key.retiresAt > this.now()));
    const canReload = !this.cache || performance.now() - this.cache.loadedAt >= UNKNOWN_KID_RELOAD_MS;
    const key = (await find(false)) ?? (canReload ? await find(true) : undefined);
    // The token's fault, unlike a database error while looking (an outage, see the kit's verifier).
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    // Importing a key costs more than checking a signature with it: once per key.
    let imported = this.importedKeys.get(key.kid);
    if (!imported) this.importedKeys.set(key.kid, (imported = importJWK(key.publicJwk, TOKEN_ALGORITHM)));
    return imported;
  };

  private isActive(key: SigningKey): boolean {
    const now = this.now();
    return key.activatesAt <= now && (!key.retiresAt || key.retiresAt > now);
  }

  private async addKey(activatesAt: Date, em = this.orm.em.fork()): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const meta = { kid, alg: TOKEN_ALGORITHM, use: 'sig' };
    const key = em.create(SigningKey, {
      kid,
      publicJwk: { ...(await exportJWK(publicKey)), ...meta },
      privateJwk: { ...(await exportJWK(privateKey)), ...meta },
      activatesAt,
    });
    await em.flush();
    this.cache = undefined;
    return key;
  }

  private async privateKey(kid: string, em: EntityManager): Promise<Key> {
    const cached = this.imported.get(kid);
    if (cached) return cached;
    const row = await em.findOneOrFail(SigningKey, { kid }, { populate: ['privateJwk'] });
    const key = await importJWK(row.privateJwk, TOKEN_ALGORITHM);
    this.imported.set(kid, key);
    return key;
  }

  private async load(fresh = false, em: EntityManager = this.orm.em.fork()): Promise<SigningKey[]> {
    // The cache's age is elapsed time (monotonic), not the clock the keys' dates are judged on.
    const now = performance.now();
    if (!fresh && this.cache && now - this.cache.loadedAt < this.cacheMs) return this.cache.keys;
    const keys = await em.find(SigningKey, {}, { orderBy: { activatesAt: 'asc' } });
    this.cache = { loadedAt: now, keys };
    return keys;
  }
}

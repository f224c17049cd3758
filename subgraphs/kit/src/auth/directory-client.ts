import { z } from 'zod';
import { forbidden, serviceUnavailable } from '../errors';
import { unauthenticated, type Viewer } from './viewer';
import { isRegionalDirection, regionalDirectionOfRegion, type RegionalDirectionCode } from '../catalog/vocabulary';

/** Where the identity subgraph answers who a firm's user is, by clicSÉQUR code. */
export const FIRM_USERS_PATH = '/directory/v1/firm-users';

/**
 * Where the identity subgraph answers which organization an active user belongs to, by user id.
 * Served by the same identity as FIRM_USERS_PATH: the client reaches it on that URL's origin.
 */
export const MEMBERS_PATH = '/directory/v1/members';

/**
 * Where the identity subgraph publishes the Répertoire's geography (issue 18): every municipal
 * body's administrative region and MRC, with an ETag, so that another subgraph groups its records
 * by region or MRC as the Répertoire says it now (R5). On FIRM_USERS_PATH's origin.
 */
export const GEOGRAPHY_PATH = '/directory/v1/geography';

/** Where a municipal body lies, as the Répertoire says it now (R5). */
export interface BodyGeography {
  /** Number and name: « 05 Estrie ». */
  administrativeRegion: string | null;
  /** The organization id of the body's MRC (an MRC's own is itself); null outside any MRC. */
  mrcId: string | null;
}

/** The Répertoire's geography as identity publishes it. */
export interface GeographyAnswer {
  bodies: Array<{ organizationId: string } & BodyGeography>;
}

/** Every municipal body's geography, by organization id. */
export type Geography = ReadonlyMap<string, BodyGeography>;

/**
 * The kinds of organization identity knows (its OrganizationKind): the vocabulary other
 * subgraphs decide on, so that a renamed kind is a compile error in identity, not a silent refusal.
 */
export type OrganizationKindName =
  | 'LOCAL_MUNICIPALITY'
  | 'MRC'
  | 'INTERMUNICIPAL_BOARD'
  | 'METROPOLITAN_COMMUNITY'
  | 'OTHER_ORGANISM'
  | 'CONSULTING_FIRM'
  | 'AUDITING_FIRM'
  | 'CONSULTANT'
  | 'COLLABORATOR'
  | 'MINISTRY'
  | 'CLICSEQUR_CUSTOMER_SERVICE';

/** R13: a firme de vérificateur, whose users alone may be an organization's external auditor. */
export const AUDITING_FIRM_KIND: OrganizationKindName = 'AUDITING_FIRM';

/** R13, R18: the municipal bodies, which have financial reports and a répondant municipal. */
export const MUNICIPAL_BODY_KINDS: readonly OrganizationKindName[] = ['LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'METROPOLITAN_COMMUNITY'];

/** An active user of a firm (firme-conseil, firme de vérificateur, consultant, collaborateur). */
export interface FirmUser {
  userId: string;
  organizationId: string;
  /** Given and family name, for the mandating organization, which may not read the user itself (R20). */
  displayName: string;
  /** The firm's kind: R13's external auditor works for a firme de vérificateur (AUDITING_FIRM). */
  organizationKind: OrganizationKindName;
}

/** An active user and the organization they belong to, as identity's directory answers it. */
export interface DirectoryMember {
  userId: string;
  organizationId: string;
  organizationKind: OrganizationKindName;
}

/** The caller's view of identity's directory, asked with the caller's own token. */
export interface Directory {
  /** The active firm user with this clicSÉQUR code, or null when there is none (any other user included). */
  findFirmUser(code: string): Promise<FirmUser | null>;
  /**
   * The organization of this active user, or null when there is none the caller may learn of:
   * identity answers about the caller's own organization's users, firms' users, and anyone for
   * ministry staff. Throws SERVICE_UNAVAILABLE when identity cannot answer.
   */
  findMember(userId: string): Promise<DirectoryMember | null>;
  /**
   * The administrative region and MRC of every municipal body, by organization id, as the
   * Répertoire says them now (R5). Throws SERVICE_UNAVAILABLE when identity cannot answer.
   */
  geography(): Promise<Geography>;
  /**
   * R5, R20: the municipal bodies the Répertoire places now in the region of a regional direction
   * (`DR-05`), by organization id. Throws SERVICE_UNAVAILABLE when identity cannot answer.
   */
  bodiesOfRegionalDirection(direction: RegionalDirectionCode): Promise<ReadonlySet<string>>;
}

/** The directory's calls, each asked with the caller's `authorization` header. */
export interface DirectoryClient {
  findFirmUser(code: string, authorization: string): Promise<FirmUser | null>;
  findMember(userId: string, authorization: string): Promise<DirectoryMember | null>;
  geography(authorization: string): Promise<Geography>;
}

// Identity could not even read what was asked (a malformed request, a URL or header too long
// for its HTTP parser): whatever it is, it names no user.
const UNREADABLE_REQUEST = new Set([400, 414, 431]);

/**
 * One GET to identity: the JSON body on 200; null on 404 (the same answer for "none" and "not
 * yours to know") or when identity could not read the request; UNAUTHENTICATED on 401 (the
 * caller's session ended meanwhile) and FORBIDDEN on 403, as identity said; and
 * SERVICE_UNAVAILABLE for anything else (down, too slow, 5xx, 429): an unreachable or failing
 * directory is an outage, never "no such user" (which would turn into a refusal).
 */
async function ask(url: string, authorization: string, timeoutMs: number): Promise<object | null> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw serviceUnavailable();
  }
  if (!response.ok) {
    await response.body?.cancel();
    if (response.status === 404 || UNREADABLE_REQUEST.has(response.status)) return null;
    if (response.status === 401) throw unauthenticated({ status: 'rejected', reason: 'ended' });
    if (response.status === 403) throw forbidden();
    const retryAfter = Number(response.headers.get('retry-after'));
    throw serviceUnavailable(Number.isInteger(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {});
  }
  const body: unknown = await response.json().catch(() => null);
  if (typeof body !== 'object' || body === null) throw serviceUnavailable();
  return body;
}

/** Identity's answer about a firm user; any other shape is a failing directory. */
const FIRM_USER_ANSWER = z.object({ userId: z.string(), organizationId: z.string(), displayName: z.string(), organizationKind: z.string() });
/** Identity's answer about a member; any other shape is a failing directory. */
const MEMBER_ANSWER = z.object({ userId: z.unknown(), organizationId: z.string(), organizationKind: z.string() });

/**
 * The client side of identity's directory: other subgraphs name outside people (a mandataire,
 * R15) by the clicSÉQUR code they were given, and check that a grantee belongs to the
 * organization a rule allows (R10, R11, R13), learning only the user's organization and its
 * kind. Unlike the rights client it does not fail closed to an answer: an unreachable directory
 * is SERVICE_UNAVAILABLE, never "no such user". `url` is the firm users' URL
 * (IDENTITY_DIRECTORY_URL); the members are asked on its origin.
 */
export function createDirectoryClient(url: string, timeoutMs = 2_000): DirectoryClient {
  const membersUrl = new URL(MEMBERS_PATH, url).href;
  const geographyUrl = new URL(GEOGRAPHY_PATH, url).href;
  // The last geography identity sent and its ETag: asked again on every use with If-None-Match,
  // so a correction of the Répertoire (R5) counts on the next request, and an unchanged one costs
  // identity a 304.
  let known: { etag: string; geography: Geography } | undefined;
  return {
    async findFirmUser(code, authorization) {
      const body = await ask(`${url}/${encodeURIComponent(code)}`, authorization, timeoutMs);
      if (!body) return null;
      const answer = FIRM_USER_ANSWER.safeParse(body);
      if (!answer.success) throw serviceUnavailable();
      const { userId, organizationId, displayName, organizationKind } = answer.data;
      return { userId, organizationId, displayName, organizationKind: organizationKind as OrganizationKindName };
    },
    async findMember(userId, authorization) {
      const body = await ask(`${membersUrl}/${encodeURIComponent(userId)}`, authorization, timeoutMs);
      if (!body) return null;
      const answer = MEMBER_ANSWER.safeParse(body);
      if (!answer.success || answer.data.userId !== userId) throw serviceUnavailable();
      const { organizationId, organizationKind } = answer.data;
      return { userId, organizationId, organizationKind: organizationKind as OrganizationKindName };
    },
    async geography(authorization) {
      let response: Response;
      try {
        const headers: Record<string, string> = { authorization, ...(known ? { 'if-none-match': known.etag } : {}) };
        response = await fetch(geographyUrl, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        throw serviceUnavailable();
      }
      if (response.status === 304 && known) return known.geography;
      if (response.status === 401) {
        await response.body?.cancel();
        throw unauthenticated({ status: 'rejected', reason: 'ended' });
      }
      const etag = response.headers.get('etag');
      const body: unknown = response.ok ? await response.json().catch(() => null) : (await response.body?.cancel(), null);
      const answer = GEOGRAPHY_ANSWER.safeParse(body);
      if (!answer.success || !etag) throw serviceUnavailable();
      const bodies = answer.data.bodies.map(({ organizationId, administrativeRegion, mrcId }) => [organizationId, { administrativeRegion, mrcId }] as const);
      known = { etag, geography: new Map(bodies) };
      return known.geography;
    },
  };
}

/** Identity's geography; any other shape is a failing directory. */
const GEOGRAPHY_ANSWER = z.object({
  bodies: z.array(z.object({ organizationId: z.string(), administrativeRegion: z.string().nullable(), mrcId: z.string().nullable() })),
});

/**
 * The directory as one request's resolvers see it: every call carries that request's token, and
 * the geography is asked once per request, however many records a rule checks against it.
 */
export function directoryFor(client: DirectoryClient, authorization: string): Directory {
  let geography: Promise<Geography> | undefined;
  const bodiesByDirection = new Map<RegionalDirectionCode, Promise<ReadonlySet<string>>>();
  const directory: Directory = {
    findFirmUser: (code) => client.findFirmUser(code, authorization),
    findMember: (userId) => client.findMember(userId, authorization),
    geography: () => (geography ??= client.geography(authorization)),
    bodiesOfRegionalDirection(direction) {
      let bodies = bodiesByDirection.get(direction);
      if (!bodies) {
        bodies = directory
          .geography()
          .then(
            (known) =>
              new Set([...known].filter(([, body]) => regionalDirectionOfRegion(body.administrativeRegion) === direction).map(([organizationId]) => organizationId)),
          );
        bodiesByDirection.set(direction, bodies);
      }
      return bodies;
    },
  };
  return directory;
}

const NO_BODIES: ReadonlySet<string> = new Set();

/**
 * R5, R20: the municipal bodies a regional direction's staff follow, the Répertoire's bodies of
 * their region now; none for anyone else, without asking identity.
 */
export function regionalBodiesOf(viewer: Viewer, directory: Directory): Promise<ReadonlySet<string>> {
  const direction = viewer.direction ?? '';
  return isRegionalDirection(direction) ? directory.bodiesOfRegionalDirection(direction) : Promise.resolve(NO_BODIES);
}

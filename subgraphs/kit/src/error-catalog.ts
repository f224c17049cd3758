/**
 * The catalog of every `extensions.code` the product may send a client: the one source of truth
 * of the error model. `maskError` lets through only the codes listed here (anything else is
 * masked as INTERNAL_SERVER_ERROR), the README's table and GraphiQL's « Codes d'erreur » panel
 * are generated from it, and `ErrorCode`, `RequestErrorCode` and `RefusalCode` (`errors.ts`)
 * must name codes of it, or the kit does not compile.
 *
 * Plain data and pure functions, no import: the GraphiQL page bundles this module for the browser.
 */

/** An extension that may come with a code, beside `code` itself. */
export type ErrorExtension = 'retryAfterSeconds' | 'field' | 'paths' | 'requestId' | 'limit' | 'reason';

/** Whether sending the same request again can succeed. */
export type Retry =
  /** Yes, after waiting `retryAfterSeconds`: the cause goes away by itself. */
  | 'later'
  /** Yes, once the client has done what `action` says (refresh the token, send the full text…). */
  | 'after-action'
  /** Perhaps: an unexpected failure may be transient; if it repeats, quote `requestId` to support. */
  | 'perhaps'
  /** No: the request itself must change, or the answer will not. */
  | 'no';

export interface ErrorCodeEntry {
  /** What the code means, in French, for front-end developers. */
  meaning: string;
  /**
   * HTTP statuses of a response that refuses the whole request with this code (no `data`, or
   * `data: null`); empty when the code never refuses a whole request.
   */
  wholeRequest: readonly number[];
  /** Whether it may come on a field (with `path`), HTTP 200, the rest of the response answered. */
  onField: boolean;
  retry: Retry;
  /** What a front end does about it, in French. */
  action: string;
  /** The extensions that come with it, each with when, if not always. */
  extensions: ReadonlyArray<{ name: ErrorExtension; when?: string }>;
  /**
   * The code masked errors are reported with: its message is always the generic one, never the
   * cause's. Every other code of the catalog reaches clients as its emitter wrote it.
   */
  masked?: true;
}

/** What each extension holds, in French, for the documentation. */
export const ERROR_EXTENSIONS: Readonly<Record<ErrorExtension, string>> = {
  retryAfterSeconds: "nombre entier de secondes à attendre avant de réessayer (aussi dans l'en-tête HTTP `Retry-After` quand toute la requête est refusée)",
  field: "chemin de l'argument fautif dans les arguments du champ (`input.title`, `filter.search`, `representations.0.__typename`)",
  paths: "chemins (listes de noms de champs) de tous les champs refusés de l'opération, quand toute l'opération est refusée",
  requestId: "identifiant de la requête (le même que l'en-tête `x-request-id`), à citer au soutien du portail",
  limit: "la limite dépassée (profondeur, nombre d'alias, coût…)",
  reason: 'précision stable en anglais (`LEVEL_ABOVE_MANDATE`, `DATES_BEYOND_MANDATE`, `DOSSIER_OUTSIDE_MANDATE`) sur un refus de sous-délégation de mandat (R16)',
};

const retryLater = { name: 'retryAfterSeconds' } as const;
const limit = { name: 'limit' } as const;
const LIMIT_ACTION = "Réduire l'opération (la découper en plusieurs requêtes) ; ne pas la renvoyer telle quelle.";

/**
 * Every code, by its stable string. The strings never change: clients branch on them. Order:
 * domain and access codes, then outages and limits, then refusals of the request itself.
 */
export const ERROR_CATALOG = {
  BAD_USER_INPUT: {
    meaning:
      "Une valeur d'argument est invalide : texte trop long ou avec un caractère interdit, date mal formée, règle du domaine (montant au cent, période, formulaire). " +
      "Une valeur refusée par la validation des entrées refuse toute l'opération avant qu'elle n'écrive quoi que ce soit ; des variables qui ne correspondent pas à leur type sont refusées en HTTP 400.",
    wholeRequest: [200, 400],
    onField: true,
    retry: 'no',
    action: "Corriger la valeur désignée par `field` et afficher le message à l'utilisateur près du champ du formulaire.",
    extensions: [{ name: 'field', when: 'sauf sur des variables de type incorrect, refusées en HTTP 400' }],
  },
  UNAUTHENTICATED: {
    meaning:
      "Aucun jeton valide : absent, expiré, signature invalide ou session terminée (déconnexion, suspension, réutilisation d'un jeton de rafraîchissement) ; " +
      "ou identifiants refusés par `signIn` et `refreshSession` ; ou tout jeton, sur une passerelle qui n'en accepte aucun (`TOKEN_ISSUER=none`).",
    wholeRequest: [401],
    onField: true,
    retry: 'after-action',
    action: "Renouveler le jeton d'accès avec le jeton de rafraîchissement, une fois, puis renvoyer la requête ; si le renouvellement échoue aussi, ramener l'utilisateur à la connexion.",
    extensions: [{ name: 'paths', when: "quand la passerelle refuse toute l'opération" }],
  },
  PASSWORD_CHANGE_REQUIRED: {
    meaning: "L'utilisateur s'est connecté avec un mot de passe temporaire : seul le choix d'un mot de passe personnel (`changePassword`) est permis (R1).",
    wholeRequest: [403],
    onField: true,
    retry: 'after-action',
    action: "Afficher l'écran de choix du mot de passe personnel, puis renvoyer la requête avec le nouveau jeton.",
    extensions: [{ name: 'paths', when: "quand la passerelle refuse toute l'opération" }],
  },
  FORBIDDEN: {
    meaning: "L'utilisateur est authentifié mais n'a pas le droit d'obtenir ce champ ou de faire ce changement (rôle, portée, règle de l'enregistrement).",
    wholeRequest: [403],
    onField: true,
    retry: 'no',
    action: "Afficher le message ; ne pas réessayer. Masquer ensuite l'action dans l'interface si elle est refusée à ce rôle.",
    extensions: [
      { name: 'paths', when: "quand la passerelle refuse toute l'opération" },
      { name: 'reason', when: 'refus de sous-délégation de mandat' },
    ],
  },
  NOT_FOUND: {
    meaning:
      "L'enregistrement n'existe pas, ou l'utilisateur ne peut pas le voir : les deux cas reçoivent la même réponse, pour ne rien révéler. " +
      "En HTTP 404 : aucune ressource à cette adresse (l'API répond à POST /graphql).",
    wholeRequest: [404],
    onField: true,
    retry: 'no',
    action: "Afficher « introuvable » ; relire la liste d'où vient l'identifiant.",
    extensions: [],
  },
  CONFLICT: {
    meaning: "Le changement contredit l'état actuel de l'enregistrement (déjà fait, déjà décidé, modifié entre-temps).",
    wholeRequest: [],
    onField: true,
    retry: 'no',
    action: "Relire l'enregistrement et montrer son état actuel à l'utilisateur avant qu'il décide de nouveau.",
    extensions: [],
  },
  TOO_MANY_ATTEMPTS: {
    meaning: "Trop de connexions échouées pour ce code d'utilisateur : il est verrouillé pour un temps (R6), que le code existe ou non.",
    wholeRequest: [],
    onField: true,
    retry: 'later',
    action: "Afficher le message et n'autoriser une nouvelle tentative qu'après `retryAfterSeconds`.",
    extensions: [retryLater],
  },
  RATE_LIMITED: {
    meaning: "Trop de requêtes de ce client (utilisateur, sinon adresse IP) pendant la fenêtre de la passerelle, ou trop de connexions depuis cette adresse IP (R6).",
    wholeRequest: [429],
    onField: false,
    retry: 'later',
    action: "Attendre `retryAfterSeconds` (ou l'en-tête `Retry-After`) avant de renvoyer ; ne jamais réessayer en boucle.",
    extensions: [retryLater],
  },
  TOO_MANY_STREAMS: {
    meaning:
      "L'utilisateur tient déjà ouverts, sur cette instance de la passerelle, le nombre maximal de flux de notifications en direct (abonnements SSE ou WebSocket, `LIVE_MAX_STREAMS_PER_USER`) : le nouveau est refusé avant d'ouvrir.",
    wholeRequest: [429],
    onField: false,
    retry: 'after-action',
    action: "Fermer un flux déjà ouvert (un autre onglet en tient souvent un) avant d'en ouvrir un autre ; un seul flux par onglet suffit.",
    extensions: [limit],
  },
  SERVICE_UNAVAILABLE: {
    meaning:
      "Une dépendance n'a pas pu répondre (un sous-graphe, une base de données, le point de décision des droits, l'état des sessions, les clés de signature) : c'est une panne, jamais un refus. " +
      "Seuls les champs qui en dépendaient sont refusés ; toute la requête (HTTP 503) quand la session ne peut pas être vérifiée.",
    wholeRequest: [503],
    onField: true,
    retry: 'later',
    action: "Garder ce qui a été répondu, afficher « momentanément indisponible » sur le reste, réessayer après `retryAfterSeconds` ou, s'il manque, avec un délai croissant.",
    extensions: [{ name: 'retryAfterSeconds', when: "toujours en HTTP 503 ; sur un champ, quand l'attente est connue : circuit du sous-graphe ouvert, ou attente annoncée par la dépendance" }],
  },
  INTERNAL_SERVER_ERROR: {
    meaning:
      "Une erreur inattendue (défaut du programme, réponse illisible d'un sous-graphe) : la cause va au journal avec l'identifiant de la requête, jamais au client. " +
      "Toute erreur dont le code n'est pas dans ce catalogue est transmise avec ce code et un message générique.",
    wholeRequest: [500],
    onField: true,
    retry: 'perhaps',
    action: "Afficher le message générique avec `requestId` ; l'utilisateur peut réessayer plus tard et, si l'erreur se répète, citer `requestId` au soutien.",
    extensions: [{ name: 'requestId', when: "sur toute erreur de ce code qui passe par la passerelle ou qu'un serveur refuse au niveau HTTP" }],
    masked: true,
  },
  BAD_REQUEST: {
    meaning:
      "La requête HTTP elle-même est mal formée : JSON invalide, type de contenu refusé (415), corps trop gros (413), requête sans opération, `GET` ou `text/plain` sans en-tête de prévention CSRF, empreinte APQ qui ne correspond pas au texte ou version APQ autre que 1.",
    wholeRequest: [400, 413, 415],
    onField: false,
    retry: 'no',
    action: "Corriger le client : c'est une erreur de programmation, pas de l'utilisateur.",
    extensions: [],
  },
  GRAPHQL_PARSE_FAILED: {
    meaning: "Le texte de l'opération n'est pas du GraphQL valide.",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: "Corriger l'opération (les opérations générées et validées par `npm run trusted-documents` n'y tombent pas).",
    extensions: [],
  },
  GRAPHQL_VALIDATION_FAILED: {
    meaning: "L'opération ne correspond pas au schéma (champ ou argument inconnu, type incorrect, fragment invalide).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: "Régénérer le client typé contre le schéma déployé (`npm run codegen`) et corriger l'opération.",
    extensions: [],
  },
  OPERATION_RESOLUTION_FAILURE: {
    meaning: "`operationName` ne désigne aucune opération du document, ou le document en définit plusieurs sans que `operationName` dise laquelle exécuter.",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: 'Envoyer une seule opération nommée par document, avec son nom.',
    extensions: [],
  },
  PERSISTED_QUERY_NOT_FOUND: {
    meaning: "Requête persistée automatique (APQ) : la passerelle ne connaît pas encore cette empreinte (nouvelle opération, ou autre instance de la passerelle).",
    wholeRequest: [200],
    onField: false,
    retry: 'after-action',
    action: "Renvoyer aussitôt la même requête avec le texte complet de l'opération et son empreinte, qui l'enregistre (le lien APQ d'Apollo Client le fait seul).",
    extensions: [],
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    meaning: "Les requêtes persistées sont désactivées sur cette passerelle (`GATEWAY_PERSISTED_OPERATIONS=off`).",
    wholeRequest: [200],
    onField: false,
    retry: 'after-action',
    action: "Renvoyer la requête avec le texte complet de l'opération, sans l'extension `persistedQuery`.",
    extensions: [],
  },
  PERSISTED_QUERY_NOT_ALLOWED: {
    meaning: "En mode opérations de confiance (`GATEWAY_PERSISTED_OPERATIONS=trusted`), l'opération n'est pas dans le manifeste du portail.",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: "Ajouter l'opération à `clients/portal/operations/`, régénérer le manifeste (`npm run trusted-documents`) et le déployer avec la passerelle.",
    extensions: [],
  },
  INTROSPECTION_NOT_ALLOWED: {
    meaning: "L'introspection du schéma n'est pas permise à cet utilisateur (en production : au personnel du ministère connecté seulement).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: "Utiliser le fichier `schema.graphql` du dépôt plutôt que l'introspection.",
    extensions: [],
  },
  QUERY_TOO_DEEP: {
    meaning: "L'opération dépasse la profondeur de sélection permise (`GATEWAY_MAX_DEPTH`, 10 par défaut).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: LIMIT_ACTION,
    extensions: [limit],
  },
  TOO_MANY_ALIASES: {
    meaning: "L'opération compte plus d'alias que permis (`GATEWAY_MAX_ALIASES`, 15 par défaut).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: LIMIT_ACTION,
    extensions: [limit],
  },
  TOO_MANY_ROOT_FIELDS: {
    meaning: "L'opération demande plus de champs racine que permis (`GATEWAY_MAX_ROOT_FIELDS`, 10 par défaut).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: LIMIT_ACTION,
    extensions: [limit],
  },
  TOO_MANY_DIRECTIVES: {
    meaning: "L'opération compte plus de directives que permis (`GATEWAY_MAX_DIRECTIVES`, 20 par défaut).",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: LIMIT_ACTION,
    extensions: [limit],
  },
  TOO_MANY_TOKENS: {
    meaning: "Le document compte plus de jetons lexicaux que permis (`GATEWAY_MAX_TOKENS`, 2 000 par défaut) ; il n'est pas lu plus loin.",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: LIMIT_ACTION,
    extensions: [limit],
  },
  QUERY_TOO_COMPLEX: {
    meaning:
      "Le coût estimé de l'opération dépasse le maximum (`GATEWAY_MAX_COST`, 10 000 par défaut) : chaque objet compte autant de fois qu'il peut être résolu, les listes selon `first` ou leur `@listSize`, certains champs davantage selon leur `@cost` (directives de coût d'IBM, lues dans le supergraphe) ; ou un champ qui exige exactement un argument de pagination n'en reçoit pas un seul.",
    wholeRequest: [400],
    onField: false,
    retry: 'no',
    action: 'Demander de plus petites pages (`first`) ou moins de niveaux imbriqués.',
    extensions: [{ name: 'limit', when: "sauf quand un champ n'a pas exactement un argument de pagination" }],
  },
} as const satisfies Record<string, ErrorCodeEntry>;

/** A code of the catalog. */
export type CatalogCode = keyof typeof ERROR_CATALOG;

/** Whether a string is a code of the catalog. */
export const isCatalogCode = (code: string): code is CatalogCode => Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code);

/** The catalog's codes, in its order. */
export const CATALOG_CODES: CatalogCode[] = Object.keys(ERROR_CATALOG).filter(isCatalogCode);

/** The entry of a code, typed as the interface (the catalog itself is typed by its literal values). */
export const catalogEntry = (code: CatalogCode): ErrorCodeEntry => ERROR_CATALOG[code];

/** "Réessayer ?" in words, for the documentation. */
export function describeRetry(entry: ErrorCodeEntry): string {
  switch (entry.retry) {
    case 'later':
      return 'Oui, après `retryAfterSeconds`';
    case 'after-action':
      return 'Oui, après avoir agi (voir « que faire »)';
    case 'perhaps':
      return 'Peut-être, plus tard';
    case 'no':
      return 'Non';
  }
}

/** The HTTP statuses of a code in words: "401 (requête entière) ; 200, sur le champ". */
export function describeHttp(entry: ErrorCodeEntry): string {
  const parts = [];
  if (entry.wholeRequest.length > 0) parts.push(`${entry.wholeRequest.join(', ')} (requête entière)`);
  if (entry.onField) parts.push('200, sur le champ');
  return parts.join(' ; ');
}

/** The extensions of a code in words: "`paths` (quand …), `reason` (…)", or « — ». */
export function describeExtensions(entry: ErrorCodeEntry): string {
  if (entry.extensions.length === 0) return '—';
  return entry.extensions.map(({ name, when }) => (when ? `\`${name}\` (${when})` : `\`${name}\``)).join(', ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The catalog as the Markdown the README holds between its `error-catalog` markers: one row per
 * code, then what each extension holds.
 */
export function errorCatalogMarkdown(): string {
  const rows = CATALOG_CODES.map((code) => {
    const entry = catalogEntry(code);
    return `| \`${code}\` | ${cell(entry.meaning)} | ${cell(describeHttp(entry))} | ${cell(describeRetry(entry))} | ${cell(describeExtensions(entry))} | ${cell(entry.action)} |`;
  });
  const extensions = Object.entries(ERROR_EXTENSIONS).map(([name, text]) => `- \`${name}\` : ${text}.`);
  return [
    '| code | signification | HTTP | réessayer ? | extensions | que faire |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Extensions :',
    '',
    ...extensions,
  ].join('\n');
}

/** The markers around the generated table in the README. */
export const ERROR_CATALOG_MARKERS = {
  start: '<!-- error-catalog:start (generated from subgraphs/kit/src/error-catalog.ts by `npm run docs:errors`; do not edit) -->',
  end: '<!-- error-catalog:end -->',
} as const;

/**
 * The document with the text between the markers replaced by the generated table; throws when
 * the markers are missing or out of order.
 */
export function withErrorCatalog(document: string): string {
  const start = document.indexOf(ERROR_CATALOG_MARKERS.start);
  const end = document.indexOf(ERROR_CATALOG_MARKERS.end);
  if (start < 0 || end < start) {
    throw new Error(`The markers ${ERROR_CATALOG_MARKERS.start} … ${ERROR_CATALOG_MARKERS.end} are missing or out of order.`);
  }
  return `${document.slice(0, start + ERROR_CATALOG_MARKERS.start.length)}\n\n${errorCatalogMarkdown()}\n\n${document.slice(end)}`;
}

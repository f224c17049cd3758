import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeISOResolver, EmailAddressResolver, JSONObjectResolver, LocalDateResolver, PhoneNumberResolver } from 'graphql-scalars';
import { ErrorCode } from './errors';

// The API's typed scalars (api-conventions.md, Scalars). graphql-scalars does the parsing and
// the checks; the kit gives each its name in our schema, a French description, and French
// messages for a value a client got wrong (the library's are English).

/** A calendar day in Québec's time zone, as dossiers, mandates and deadlines count them. */
const QUEBEC_TIME_ZONE = 'America/Toronto';
// Built once: an Intl formatter costs far more to make than to use.
const quebecDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: QUEBEC_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Québec of an instant (AAAA-MM-JJ). */
export const quebecDay = (instant: Date): string => quebecDayFormat.format(instant);

/**
 * A value a client got wrong: BAD_USER_INPUT, answered with HTTP 200 as the kit's input checks are,
 * so that the gateway passes the refusal on (a subgraph's 400 reaches the client as an internal
 * error). graphql-js wraps a variable's refusal in its own error and keeps only the extensions of
 * the `originalError`: the code and the status travel there too.
 */
function invalid(message: string): GraphQLError {
  const extensions = { code: ErrorCode.BadUserInput, http: { status: 200 } };
  return new GraphQLError(message, { extensions, originalError: Object.assign(new Error(message), { extensions }) });
}

/** Wraps a graphql-scalars scalar under our name, description and French refusal. */
function scalar(base: GraphQLScalarType, name: string, description: string, refusal: string, serialize?: (value: unknown) => unknown): GraphQLScalarType {
  const parsed = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch {
      throw invalid(refusal);
    }
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: serialize ?? ((value) => base.serialize(value)),
    parseValue: (value) => parsed(() => base.parseValue(value)),
    parseLiteral: (ast: ValueNode, variables) => parsed(() => base.parseLiteral(ast, variables)),
  });
}

export const DateTimeScalar = scalar(
  DateTimeISOResolver,
  'DateTime',
  'Instant précis, en ISO 8601 avec son décalage horaire : « 2026-06-30T21:00:00.000Z », « 2026-06-30T17:00:00-04:00 ».',
  'Date et heure invalides : format ISO 8601 avec décalage attendu (ex. 2026-06-30T17:00:00-04:00).',
);

export const DateScalar = scalar(
  LocalDateResolver,
  'Date',
  'Jour civil au Québec (fuseau America/Toronto), au format AAAA-MM-JJ : « 2026-06-30 ».',
  'Date invalide : format AAAA-MM-JJ attendu (ex. 2026-06-30).',
  // Stored as a calendar day already (a string), or an instant to read in Québec's time zone.
  (value) => (value instanceof Date ? quebecDay(value) : LocalDateResolver.serialize(value)),
);

export const EmailAddressScalar = scalar(
  EmailAddressResolver,
  'EmailAddress',
  'Adresse courriel (RFC 5322) : « isabelle.tremblay@ville.magog.qc.ca ».',
  'Adresse courriel invalide.',
);

export const PhoneNumberScalar = scalar(
  PhoneNumberResolver,
  'PhoneNumber',
  'Numéro de téléphone, indicatif facultatif, espaces et tirets permis : « 819 843-6501 », « +1 418 691-2066 ».',
  'Numéro de téléphone invalide (ex. 819 843-6501).',
);

export const JSONObjectScalar = scalar(
  JSONObjectResolver,
  'JSONObject',
  "Objet JSON, tel qu'enregistré (l'état d'un enregistrement avant ou après une opération).",
  'Objet JSON invalide.',
);

/** Dollars and cents: an optional minus sign, up to 12 digits, and up to 2 decimals. */
const MONEY_PATTERN = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const MONEY_REFUSAL = 'Montant invalide : un nombre de dollars en chaîne, au plus deux décimales (ex. « 125000.50 »).';

/** "125000.5" and "125000.50" are one amount: always two decimals out. */
function normalizedMoney(value: string): string {
  const [dollars, cents = ''] = value.split('.');
  return `${dollars}.${cents.padEnd(2, '0')}`;
}

/**
 * Money, exact from the database's `numeric` to the JSON: a decimal string, never a binary
 * floating-point number (a client sending one, or a resolver returning one, is refused).
 */
export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description:
    'Montant en dollars canadiens, exact : une chaîne décimale, au plus deux décimales en entrée, toujours deux en sortie (« 125000.50 »). Jamais un nombre à virgule flottante.',
  serialize(value) {
    if (typeof value !== 'string' || !MONEY_PATTERN.test(value)) throw new TypeError('Money serializes exact decimal strings only');
    return normalizedMoney(value);
  },
  parseValue(value) {
    if (typeof value !== 'string' || !MONEY_PATTERN.test(value)) throw invalid(MONEY_REFUSAL);
    return normalizedMoney(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !MONEY_PATTERN.test(ast.value)) throw invalid(MONEY_REFUSAL);
    return normalizedMoney(ast.value);
  },
});

/** Every scalar the kit provides, by its name in the SDL. */
export const KIT_SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map(
  [DateTimeScalar, DateScalar, EmailAddressScalar, PhoneNumberScalar, JSONObjectScalar, MoneyScalar].map((type) => [type.name, type]),
);

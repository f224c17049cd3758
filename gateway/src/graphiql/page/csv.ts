// The CSV export of GraphiQL's result pane, as pure functions (no DOM): the page only hands over
// the response's text, the schema and the operation, then downloads the string this returns.
import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionNode,
  TypeNameMetaFieldDef,
} from 'graphql';

/** A cell as JSON gives it: the CSV writes strings as is, numbers and booleans as JSON does, null empty. */
export type Cell = string | number | boolean | null;

/** One column of the export: its dotted path in the response, and its French header. */
export interface CsvColumn {
  key: string;
  header: string;
}

/** The response flattened: columns in the order the response lists its fields, one map per row. */
export interface CsvTable {
  columns: CsvColumn[];
  rows: Array<Map<string, Cell>>;
}

/** What the headers are derived from; without it (no schema yet) every header is its column's path. */
export interface OperationContext {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
}

/** Excel reads a CSV as the system's code page unless it opens with a BOM; with it, accents survive. */
export const BOM = '\uFEFF';
// A list of scalars (`missingFormFields`) stays in its record's row: one row per element would
// multiply the records an analyst counts.
const SCALAR_LIST_SEPARATOR = '; ';

/** Where a value sits in the operation: the type that declares its fields and the selections that asked for them. */
interface Scope {
  type: GraphQLNamedType | undefined;
  selections: readonly SelectionNode[];
}

interface Walk {
  schema: GraphQLSchema | undefined;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Column key → header, in the order the response first shows each column. */
  columns: Map<string, string | undefined>;
}

/**
 * A header from a field's French description: its first clause, the text up to the first period
 * (followed by a space or the end), comma, semicolon, colon or parenthesis. The schema's
 * descriptions open with what the field is (« Montant de l'aide financière demandée, en dollars
 * canadiens… ») and the rest says who may read it or how it is computed. Undefined when nothing
 * is left, so that the caller falls back to the path.
 */
export function headerFromDescription(description: string | null | undefined): string | undefined {
  if (!description) return undefined;
  const text = description.replace(/\s+/g, ' ').trim();
  const clause = text.split(/\.(?=\s|$)|[,;:(]/, 1)[0]?.trim();
  return clause ? clause : undefined;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The field nodes of `selections` that answer `key`, fragments spread: several when a field is selected twice. */
function fieldNodes(selections: readonly SelectionNode[], key: string, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const found: FieldNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias ?? selection.name).value === key) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...fieldNodes(selection.selectionSet.selections, key, fragments));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) found.push(...fieldNodes(fragment.selectionSet.selections, key, fragments));
    }
  }
  return found;
}

/** The definition of `name` on `type`, or on the object's concrete type (`__typename`, else the first that has it) when `type` is abstract. */
function fieldDefinition(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  parent: Record<string, unknown>,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if ((isObjectType(type) || isInterfaceType(type)) && type.getFields()[name]) return type.getFields()[name];
  const concrete = typeof parent.__typename === 'string' ? schema.getType(parent.__typename) : undefined;
  if (isObjectType(concrete)) return concrete.getFields()[name];
  if (!isAbstractType(type)) return undefined;
  return schema
    .getPossibleTypes(type)
    .map((possible) => possible.getFields()[name])
    .find((field) => field !== undefined);
}

function register(walk: Walk, key: string, field: GraphQLField<unknown, unknown> | undefined): void {
  // graphql-js describes `__typename` in English.
  if (!walk.columns.has(key)) walk.columns.set(key, field?.name === '__typename' ? 'Type' : headerFromDescription(field?.description));
}

/** Rows of a value, and whether they are records of a list (possibly one, possibly none) rather than a single value's row. */
interface Rows {
  rows: Array<Map<string, Cell>>;
  listed: boolean;
}

/**
 * The rows of `value`. A scalar is one row of one cell. A list of records is its elements' rows
 * one after the other (none when empty). An object merges its fields' rows: a field that is not a
 * list of records (a scalar, an object without one) adds its cells to the object's row; each
 * field that is one (a list, a connection, an object holding one) gives its rows, each repeating
 * the object's cells. Two such fields side by side are stacked, never multiplied, so that a row is
 * always one record, whatever the lists' lengths. An object whose lists are all empty keeps its
 * own row (its `totalCount`, its name).
 */
function rowsOf(value: unknown, path: string[], field: GraphQLField<unknown, unknown> | undefined, scope: Scope, walk: Walk, inEdge: boolean): Rows {
  const key = path.join('.');
  if (value === null || value === undefined) {
    if (!key) return { rows: [], listed: false };
    register(walk, key, field);
    return { rows: [new Map([[key, null]])], listed: false };
  }
  if (isScalar(value)) {
    register(walk, key, field);
    return { rows: [new Map([[key, value]])], listed: false };
  }
  if (Array.isArray(value)) {
    // An empty list is a list of scalars when the schema says so; without it, of records.
    const scalars = value.length > 0 ? value.every((element) => element === null || isScalar(element)) : isLeafType(field && getNamedType(field.type));
    if (scalars) {
      register(walk, key, field);
      return { rows: [new Map([[key, value.filter((element) => element !== null).join(SCALAR_LIST_SEPARATOR)]])], listed: false };
    }
    return { rows: value.flatMap((element) => rowsOf(element, path, field, scope, walk, inEdge).rows), listed: true };
  }

  const object = value as Record<string, unknown>;
  const base = new Map<string, Cell>();
  const lists: Array<Array<Map<string, Cell>>> = [];
  for (const [childKey, child] of Object.entries(object)) {
    const nodes = fieldNodes(scope.selections, childKey, walk.fragments);
    const name = nodes[0]?.name.value ?? childKey;
    const definition =
      name === '__typename' ? TypeNameMetaFieldDef : walk.schema ? fieldDefinition(walk.schema, scope.type, object, name) : undefined;
    const childScope: Scope = {
      type: definition ? getNamedType(definition.type) : undefined,
      selections: nodes.flatMap((node) => node.selectionSet?.selections ?? []),
    };
    // A connection's wrappers (`nodes`, `edges`, an edge's `node`) name no data: the columns of
    // `dossiers { nodes { title } }` and `dossiers { edges { node { title } } }` are both `dossiers.title`.
    const wrapper = ((childKey === 'nodes' || childKey === 'edges') && Array.isArray(child)) || (childKey === 'node' && inEdge);
    const childPath = wrapper ? path : [...path, childKey];
    const { rows, listed } = rowsOf(child, childPath, definition, childScope, walk, childKey === 'edges' && Array.isArray(child));
    if (listed) lists.push(rows);
    else for (const [column, cell] of rows[0] ?? []) base.set(column, cell);
  }
  const records = lists.flat();
  if (records.length === 0) return { rows: base.size > 0 ? [base] : [], listed: lists.length > 0 };
  return { rows: records.map((row) => new Map([...base, ...row])), listed: true };
}

function withUniqueHeaders(columns: Array<[string, string | undefined]>): CsvColumn[] {
  const headers = columns.map(([key, header]) => header ?? key);
  return columns.map(([key], index) => {
    const header = headers[index]!;
    // Two columns with one header (two `createdAt`, an alias): each says its path.
    return { key, header: headers.filter((other) => other === header).length > 1 ? `${header} (${key})` : header };
  });
}

/**
 * Flattens a GraphQL result's `data` into a table (see `rowsOf` for the rows). A column whose
 * path another column extends (`organization` next to `organization.name`) is dropped: it only
 * ever holds the nulls of that object.
 */
export function flattenResult(data: unknown, context?: OperationContext): CsvTable {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let scope: Scope = { type: undefined, selections: [] };
  if (context) {
    const operations = [];
    for (const definition of context.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    }
    const operation = operations.find((candidate) => !context.operationName || candidate.name?.value === context.operationName) ?? operations[0];
    if (operation) {
      scope = { type: context.schema.getRootType(operation.operation) ?? undefined, selections: operation.selectionSet.selections };
    }
  }
  const walk: Walk = { schema: context?.schema, fragments, columns: new Map() };
  const { rows } = rowsOf(data, [], undefined, scope, walk, false);
  const keys = [...walk.columns.keys()];
  const kept = [...walk.columns].filter(([key]) => !keys.some((other) => other.startsWith(`${key}.`)));
  return { columns: withUniqueHeaders(kept), rows };
}

/**
 * RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled.
 * A text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
 * return: a dossier's title is typed by its organization) is written after an apostrophe, as OWASP
 * advises against CSV injection; a number, a negative amount included, stays a number.
 */
export function csvField(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  const raw = String(cell);
  const text = typeof cell === 'string' && /^[=+\-@\t\r]/.test(raw) && !/^-?\d+(\.\d+)?$/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The table as RFC 4180 CSV (comma, CRLF after each record), header row first, BOM in front. */
export function toCsv(table: CsvTable): string {
  const lines = [table.columns.map((column) => csvField(column.header))];
  for (const row of table.rows) lines.push(table.columns.map((column) => csvField(row.get(column.key))));
  return BOM + lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** Raised when the result pane holds nothing to export; its message is for the analyst. */
export class NothingToExportError extends Error {}

/** The CSV of a result pane's text (a GraphQL response as JSON); throws `NothingToExportError` when it has no data. */
export function responseToCsv(responseText: string, context?: OperationContext): string {
  let response: unknown;
  try {
    response = JSON.parse(responseText);
  } catch {
    throw new NothingToExportError('Aucun résultat à exporter : exécutez d’abord une requête.');
  }
  const data = (response as { data?: unknown } | null)?.data;
  if (data === null || data === undefined || typeof data !== 'object') {
    throw new NothingToExportError('Le résultat ne contient aucune donnée à exporter.');
  }
  return toCsv(flattenResult(data, context));
}

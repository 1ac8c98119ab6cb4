/**
 * Renders the SQL templates in `templates/*.sql.hbs` with an isolated Handlebars environment.
 * - `noEscape`: the output is SQL, not HTML; every interpolation goes through one of the helpers below.
 * - `strict`: a missing field throws instead of rendering an empty string into SQL.
 * Helpers (the only way values reach SQL):
 *   {{ident parts}}        exact name parts (string[] or one string) → quoted only where needed
 *   {{identList list}}     comma-separated idents
 *   {{literal value}}      single-quoted SQL string literal
 *   {{literalList list}}   comma-separated literals
 *   {{yaml value}}         YAML double-quoted scalar, `$`-free (safe inside $$…$$)
 *   {{number value}}       a finite integer, rendered as digits
 *   {{viewSelect sql}}     the user's SELECT, re-checked to be exactly one SELECT statement
 *   {{dollarBody text}}    text for inside $$…$$, refused if it contains $$
 *   {{envName name}}       an environment variable name ([A-Z_][A-Z0-9_]*)
 *   {{objectKeyword type}} one of the object type keywords we drop (DROP <type>)
 *   {{runsTableColumns}}   the worker's runs-table column list (a constant, shared/state/state-ddl.ts)
 * Reading the template files is the only I/O here (package assets, read once and cached).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import { assertDollarQuotable, sqlLiteral, yamlString } from '../../shared/sql/literals.js';
import { checkViewSelect } from './view-select.js';
import { RUNS_DDL } from '../../shared/state/state-ddl.js';

function asParts(value: unknown, helper: string): NameParts {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  throw new Error(`template helper ${helper}: expected name parts, got ${JSON.stringify(value)}`);
}

function asString(value: unknown, helper: string): string {
  if (typeof value !== 'string') throw new Error(`template helper ${helper}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function asArray(value: unknown, helper: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`template helper ${helper}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

const hbs = Handlebars.create();
// Strict mode does not cover block-helper parameters: a missing flag would silently read as false. Our #if and
// #unless refuse undefined (null is an explicit "no").
function conditional(name: string, negate: boolean) {
  return function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    if (value === undefined) throw new Error(`template helper ${name}: condition is undefined (missing field?)`);
    const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
    return truthy !== negate ? options.fn(this) : options.inverse(this);
  };
}
hbs.registerHelper('if', conditional('if', false));
hbs.registerHelper('unless', conditional('unless', true));
hbs.registerHelper('ident', (value: unknown) => renderQualifiedName(asParts(value, 'ident')));
hbs.registerHelper('identList', (value: unknown) =>
  asArray(value, 'identList').map((v) => renderQualifiedName(asParts(v, 'identList'))).join(', '),
);
hbs.registerHelper('literal', (value: unknown) => sqlLiteral(asString(value, 'literal')));
hbs.registerHelper('literalList', (value: unknown) =>
  asArray(value, 'literalList').map((v) => sqlLiteral(asString(v, 'literalList'))).join(', '),
);
hbs.registerHelper('yaml', (value: unknown) => yamlString(asString(value, 'yaml')));
hbs.registerHelper('number', (value: unknown) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`template helper number: ${JSON.stringify(value)}`);
  return String(value);
});

hbs.registerHelper('viewSelect', (value: unknown) => checkViewSelect(asString(value, 'viewSelect')).sql);
hbs.registerHelper('dollarBody', (value: unknown) => assertDollarQuotable(asString(value, 'dollarBody')));
hbs.registerHelper('envName', (value: unknown) => {
  const name = asString(value, 'envName');
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`template helper envName: ${JSON.stringify(name)}`);
  return name;
});
/** The worker's runs-table columns (shared/state/state-ddl.ts), for init's copy of that CREATE TABLE. */
hbs.registerHelper('runsTableColumns', () => RUNS_DDL);
export const DROPPABLE_OBJECT_TYPES = [
  'TASK', 'STREAM', 'VIEW', 'TABLE', 'SECRET', 'INTEGRATION', 'NETWORK RULE', 'COMPUTE POOL', 'IMAGE REPOSITORY', 'SERVICE', 'ALERT',
] as const;
export type DroppableObjectType = (typeof DROPPABLE_OBJECT_TYPES)[number];
hbs.registerHelper('objectKeyword', (value: unknown) => {
  const keyword = asString(value, 'objectKeyword');
  if (!(DROPPABLE_OBJECT_TYPES as readonly string[]).includes(keyword)) throw new Error(`template helper objectKeyword: ${keyword}`);
  return keyword;
});

/** `templates/` at the package root, found from this module in src/plan/ or dist/src/plan/. */
function findTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    if (existsSync(join(dir, 'templates')) && existsSync(join(dir, 'package.json'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('internal: templates/ directory not found next to package.json');
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let templatesDir: string | undefined;

export type TemplateName =
  | 'schema'
  | 'view'
  | 'view-change-tracking'
  | 'table-change-tracking'
  | 'stream'
  | 'compute-pool'
  | 'compute-pool-alter'
  | 'compute-pool-stop'
  | 'image-repository'
  | 'network-rule'
  | 'integration'
  | 'secret'
  | 'secret-update'
  | 'credentials-table'
  | 'credentials-upsert'
  | 'pending-table'
  | 'pending-stream'
  | 'task'
  | 'task-spec'
  | 'task-suspend'
  | 'task-resume'
  | 'execute-task'
  | 'notification-integration-email'
  | 'notification-integration-webhook'
  | 'notification-test-send'
  | 'notification-history'
  | 'alert'
  | 'alert-resume'
  | 'runs-table'
  | 'service'
  | 'service-toggle'
  | 'drop';

/** Renders `templates/<name>.sql.hbs` (or `.yaml.hbs` for the spec) and trims surrounding whitespace. */
export function renderTemplate(name: TemplateName, data: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    templatesDir ??= findTemplatesDir();
    const file = name === 'task-spec' ? `${name}.yaml.hbs` : `${name}.sql.hbs`;
    template = hbs.compile(readFileSync(join(templatesDir, file), 'utf8'), { strict: true, noEscape: true });
    compiled.set(name, template);
  }
  return template(data).trim();
}

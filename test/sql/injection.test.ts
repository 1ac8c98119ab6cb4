/**
 * Hostile names and values through the whole renderer: each must come out meaning exactly the input (checked
 * with an independent lexer and a real YAML parser), with no extra statement, or be refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { planInit } from '../../src/plan/init-plan.js';
import { renderQualifiedName, parseQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral, yamlString } from '../../shared/sql/literals.js';
import { grantStatement } from '../../src/plan/privileges.js';
import { EMPTY_LIVE_STATE } from '../../src/plan/live-state.js';
import type { SqlStep } from '../../src/plan/types.js';
import { after, lexSql, nameAt } from './sql-lexer.js';
import { resolveAnswers } from '../../src/plan/names.js';

const HOSTILE = [
  "it's",
  'My "quoted" name',
  'name with spaces',
  'ÉTÉ_données',
  '日本語のビュー',
  'a$$b',
  '$$; DROP TABLE users; $$',
  'x; DROP TABLE users; --',
  "'); DROP TABLE users; --",
  'trailing backslash\\',
  '\\x24\\n not escapes',
  'select',
  'lower_case',
  'emoji 🚀 name',
  'dots.in.name',
  '/* comment */ -- line',
  'unicode line sep \u2028 here',
  '#: yaml [special] {chars} & *alias !tag %',
] as const;

const quote = (part: string) => `"${part.replaceAll('"', '""')}"`;

/**
 * Names that appear in the task statement next to its $$-quoted spec (target schema, stream, task, warehouse,
 * integration) are refused when they contain `$$` (tested below); `t` keeps them plain for those inputs.
 */
const inTask = (w: string) => (w.includes('$$') ? w.replaceAll('$', 'D') : w);

function hostileAnswers(w: string) {
  const t = inTask(w);
  return {
    target: `${quote(`DB ${t}`)}.${quote(`SCH ${t}`)}`,
    source: { kind: 'view' as const, view: `${quote(`V db ${w}`)}.${quote(`V sch ${w}`)}.${quote(`V ${w}`)}` },
    idColumn: `ID ${w}`,
    dateColumns: [`D ${w}`.replaceAll(',', '')],
    urlColumns: [`U ${w}`.replaceAll(',', '')],
    projectKey: `P ${w}`,
    warehouse: quote(`WH ${t}`),
    role: quote(`R ${w}`),
    imageRepository: 'REPO_DB.REPO_SCH.REPO',
    imageTag: '1.0.0',
    names: { stream: quote(`S ${t}`), task: quote(`T ${t}`), secret: quote(`SEC ${w}`), networkRule: quote(`NR ${w}`), integration: quote(`I ${t}`) },
  };
}

describe('hostile identifiers and values', () => {
  it.each(HOSTILE)('round-trips identifier part %j', (w) => {
    const parts = [`DB ${w}`, w, 'X'];
    expect(parseQualifiedName(renderQualifiedName(parts), 'name', 3)).toEqual(parts);
    const tokens = lexSql(`SELECT * FROM ${renderQualifiedName(parts)}`);
    expect(nameAt(tokens, after(tokens, ['FROM']))).toEqual(parts);
    expect(tokens.filter((t) => t.kind === 'punct' && t.value === ';')).toEqual([]);
  });

  it.each(HOSTILE)('round-trips SQL literal and YAML scalar %j', (w) => {
    expect(lexSql(`SELECT ${sqlLiteral(w)}`)).toEqual([{ kind: 'ident', value: 'SELECT', quoted: false }, { kind: 'string', value: w }]);
    const yaml = yamlString(w);
    expect(yaml).not.toContain('$');
    expect(parseYaml(`v: ${yaml}`)).toEqual({ v: w });
  });

  it.each(HOSTILE)('renders a whole plan for %j that means exactly the input', (w) => {
    const answers = hostileAnswers(w);
    const t = inTask(w);
    const plan = planInit(resolveAnswers(answers), EMPTY_LIVE_STATE);
    const sqlSteps = plan.steps.filter((s): s is SqlStep => s.kind === 'sql');
    for (const step of sqlSteps) {
      const tokens = lexSql(step.sql);
      expect(tokens.filter((t) => t.kind === 'punct' && t.value === ';'), step.sql).toEqual([]);
    }
    const stream = lexSql(sqlSteps.find((s) => s.id === 'stream')!.sql);
    expect(nameAt(stream, after(stream, ['STREAM', 'IF', 'NOT', 'EXISTS']))).toEqual([`DB ${t}`, `SCH ${t}`, `S ${t}`]);
    expect(nameAt(stream, after(stream, ['ON', 'VIEW']))).toEqual([`V db ${w}`, `V sch ${w}`, `V ${w}`]);

    const task = lexSql(sqlSteps.find((s) => s.id === 'task')!.sql);
    expect(nameAt(task, after(task, ['TASK']))).toEqual([`DB ${t}`, `SCH ${t}`, `T ${t}`]);
    // A serverless task: the warehouse is the job's QUERY_WAREHOUSE only (templates/task.sql.hbs).
    expect(nameAt(task, after(task, ['QUERY_WAREHOUSE', '=']))).toEqual([`WH ${t}`]);
    const when = task[after(task, ['SYSTEM$STREAM_HAS_DATA']) + 1];
    expect(when?.kind).toBe('string');
    expect(parseQualifiedName(when!.value, 'stream', 3)).toEqual([`DB ${t}`, `SCH ${t}`, `S ${t}`]);
    expect(nameAt(task, after(task, ['EXTERNAL_ACCESS_INTEGRATIONS', '=']) + 1)).toEqual([`I ${t}`]);
    const dollars = task.filter((t) => t.kind === 'dollar');
    expect(dollars).toHaveLength(1);
    const spec = parseYaml(dollars[0]!.value) as { spec: { containers: Array<{ args: string[]; env: Record<string, string>; secrets: Array<{ snowflakeSecret: { objectName: string } }> }> } };
    const container = spec.spec.containers[0]!;
    expect(container.args).toEqual([
      '--project-key', `P ${w}`,
      '--source-stream', renderQualifiedName([`DB ${t}`, `SCH ${t}`, `S ${t}`]),
      '--id-column', `ID ${w}`,
      '--date-columns', `D ${w}`.replaceAll(',', ''),
      '--url-columns', `U ${w}`.replaceAll(',', ''),
      '--state-schema', renderQualifiedName([`DB ${t}`, `SCH ${t}`]),
      '--pending-marker',
    ]);
    expect(container.env).toEqual({ SNOWFLAKE_ROLE: `R ${w}`, SNOWFLAKE_WAREHOUSE: `WH ${t}` });
    expect(parseQualifiedName(container.secrets[0]!.snowflakeSecret.objectName, 'secret', 3)).toEqual([`DB ${t}`, `SCH ${t}`, `SEC ${w}`]);

    const grant = lexSql(grantStatement({ privilege: 'USAGE', on: 'WAREHOUSE', name: [`WH ${w}`], why: '' }, `R ${w}`));
    expect(nameAt(grant, after(grant, ['ON', 'WAREHOUSE']))).toEqual([`WH ${w}`]);
    expect(nameAt(grant, after(grant, ['TO', 'ROLE']))).toEqual([`R ${w}`]);
    expect(grant.filter((t) => t.kind === 'punct' && t.value === ';')).toHaveLength(1);
  });
});

describe('refused names and values', () => {
  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['newline in a quoted identifier', { target: '"a\nb".SCH' }, /control characters/],
    ['empty quoted part', { target: '"".SCH' }, /a name part is empty/],
    ['unclosed quote', { target: '"DB.SCH' }, /double quote is not closed/],
    ['unquoted space', { target: 'MY DB.SCH' }, /"MY DB" must be double-quoted/],
    ['unquoted semicolon', { target: 'DB;DROP.SCH' }, /must be double-quoted/],
    ['256-character part', { target: `${'A'.repeat(256)}.SCH` }, /longer than 255/],
    ['four parts', { source: { kind: 'view', view: 'A.B.C.D' } }, /expected DATABASE\.SCHEMA\.NAME/],
    ['trailing dot', { warehouse: 'WH.' }, /a name part is empty/],
    ['newline in the project key', { projectKey: 'key\nDROP' }, /control characters are not allowed in the project key/],
    ['tab in a column name', { idColumn: 'ID\tX' }, /control characters are not allowed in a column name/],
    ['comma in a date column', { dateColumns: ['A,B'] }, /cannot contain a comma/],
    ['quoted compute pool', { computePool: '"my pool"' }, /does not support quoted or case-sensitive names/],
    ['image repository in a quoted schema', { target: '"My Db".SCH', imageRepository: 'REPO' }, /image repository name .* cannot be used/],
    ['$$ in the task name', { names: { task: '"T$$X"' } }, /contains "\$\$"/],
    ['injected schedule', { schedule: "60 MINUTE'; DROP TABLE x; --" }, /a schedule such as/],
    ['injected Batch host', { batchApiHost: "api.batch.com') , ('evil.com" }, /a host name such as/],
    ['docker tag with a space', { imageTag: '1.0 --push' }, /a docker tag/],
    ['two statements in the SELECT', { source: { kind: 'select', sql: 'SELECT 1; DROP TABLE users', viewName: 'V' } }, /more than one statement/],
    ['backslash-escaped quote swallowing a semicolon', { source: { kind: 'select', sql: "SELECT 'a\\'; DROP TABLE users", viewName: 'V' } }, /unclosed string literal/],
    ['unclosed comment hiding the rest', { source: { kind: 'select', sql: 'SELECT 1 /* ', viewName: 'V' } }, /unclosed \/\* comment/],
    ['not a SELECT', { source: { kind: 'select', sql: 'DROP TABLE users', viewName: 'V' } }, /must start with SELECT or WITH/],
  ];
  const base = { target: 'DB.SCH', source: { kind: 'view' as const, view: 'DB.SCH.V' }, idColumn: 'ID', projectKey: 'P', warehouse: 'WH', role: 'R', imageTag: '1' };

  it.each(refused)('%s', (_label, override, message) => {
    expect(() => planInit(resolveAnswers({ ...base, ...override }), EMPTY_LIVE_STATE)).toThrow(message);
  });

  it('accepts semicolons, $$ and comments inside the SELECT where they are data', () => {
    const sql = "SELECT ';' AS a, $$ ; $$ AS b, \"x;y\" AS c -- trailing; comment\nFROM t /* ; */;;  ";
    const plan = planInit(resolveAnswers({ ...base, source: { kind: 'select', sql, viewName: 'V' } }), EMPTY_LIVE_STATE);
    const view = plan.steps.find((s) => s.id === 'view');
    // Trailing comments and semicolons are dropped: nothing after the SELECT can be commented out or split off.
    expect(view?.kind === 'sql' && view.sql.endsWith("AS\nSELECT ';' AS a, $$ ; $$ AS b, \"x;y\" AS c -- trailing; comment\nFROM t")).toBe(true);
  });
});

/**
 * EXECUTE JOB SERVICE statement and its service specification (reference §3.1, §3.2).
 * Parameter order (https://docs.snowflake.com/en/sql-reference/sql/execute-job-service): the grammar block lists the
 * specification right after IN COMPUTE POOL and the properties after it, but the page's usage note says "the
 * parameters should be provided in this order: specify compute pool, followed by other properties, and finally the
 * service specification", and every example on that page, the jobs-as-tasks page and the run-job-as-task tutorial
 * (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/tutorials/advanced/run-job-as-task:
 * `QUERY_WAREHOUSE=…` then `FROM SPECIFICATION`) follow the note. The stand-in accepts that order only: a property
 * after the specification is a syntax error (001003), as a third-party report says Snowflake answers (reference
 * §3.1). Properties: NAME, ASYNC = TRUE | FALSE, REPLICAS, QUERY_WAREHOUSE, COMMENT, EXTERNAL_ACCESS_INTEGRATIONS
 * and [WITH] TAG (…) ("Optional parameters"); any other word is a syntax error. Stage specifications and templates
 * are documented but not supported by the stand-in (002040).
 */
import { parse as parseYaml } from 'yaml';
import { Cursor } from '../engine/cursor.js';
import { unsupported } from '../engine/errors.js';
import { isOp, type Token } from '../engine/lexer.js';
import { invalidSpec } from '../engine/grants/access-errors.js';

export interface JobStatement {
  computePool: string;
  /** Name parts as written (1–3), or null: Snowflake generates JOB_<uuid>. */
  name: string[] | null;
  async: boolean;
  queryWarehouse: string | null;
  comment: string | null;
  externalAccessIntegrations: string[];
  specText: string;
}

export interface SecretRef {
  objectName: string;
  envVarName: string;
  secretKeyRef: 'secret_string' | 'username' | 'password';
}

export interface ContainerSpec {
  name: string;
  image: string;
  command: string[] | null;
  args: string[];
  env: Record<string, string>;
  secrets: SecretRef[];
}

/** `[WITH] TAG (name = 'value', …)` at the cursor, read and ignored (the stand-in keeps no tags); false when absent. */
export function acceptTagClause(c: Cursor): boolean {
  if (!c.accept('WITH', 'TAG') && !c.accept('TAG')) return false;
  c.expectOp('(');
  do {
    c.name();
    c.expectOp('=');
    c.string();
  } while (c.acceptOp(','));
  c.expectOp(')');
  return true;
}

/** Parses `EXECUTE JOB SERVICE …`; returns null for any other statement. */
export function parseJobStatement(sql: string, tokens: Token[]): JobStatement | null {
  const c = new Cursor(sql, tokens);
  if (!c.accept('EXECUTE', 'JOB', 'SERVICE')) return null;
  c.expect('IN', 'COMPUTE', 'POOL');
  const job: JobStatement = { computePool: c.ident(), name: null, async: false, queryWarehouse: null, comment: null, externalAccessIntegrations: [], specText: '' };
  while (!c.accept('FROM')) {
    if (c.atEnd()) throw c.error();
    if (acceptTagClause(c)) continue;
    const keyAt = c.i;
    const key = c.ident();
    // A property the grammar does not know is a syntax error at that word (docs silent on the text: stricter choice).
    if (!['NAME', 'ASYNC', 'QUERY_WAREHOUSE', 'COMMENT', 'REPLICAS', 'EXTERNAL_ACCESS_INTEGRATIONS'].includes(key)) {
      c.i = keyAt;
      throw c.error();
    }
    c.expectOp('=');
    if (key === 'NAME') job.name = c.name();
    else if (key === 'ASYNC') {
      const value = c.ident();
      if (value !== 'TRUE' && value !== 'FALSE') throw c.error();
      job.async = value === 'TRUE';
    }
    else if (key === 'QUERY_WAREHOUSE') job.queryWarehouse = c.ident();
    else if (key === 'COMMENT') job.comment = c.string();
    else if (key === 'REPLICAS') c.value();
    else if (key === 'EXTERNAL_ACCESS_INTEGRATIONS') {
      c.expectOp('(');
      while (!c.acceptOp(')')) {
        job.externalAccessIntegrations.push(c.ident());
        c.acceptOp(',');
      }
    } else throw c.error();
  }
  if (isOp(c.peek(), '@')) throw unsupported('EXECUTE JOB SERVICE FROM @stage (stand-in: use FROM SPECIFICATION $$…$$)');
  if (c.accept('SPECIFICATION_TEMPLATE')) throw unsupported('SPECIFICATION_TEMPLATE');
  c.expect('SPECIFICATION');
  job.specText = c.string();
  c.acceptOp(';');
  if (!c.atEnd()) throw c.error();
  return job;
}

const CONTAINER_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const stringList = (v: unknown, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidSpec(`${what} must be a list`);
  return v.map((x) => String(x));
};

/** The containers of a specification; `spec.container` (singular, in some doc examples) is refused: UNCONFIRMED (§3.2). */
export function parseSpec(text: string): ContainerSpec[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw invalidSpec(`the specification is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const spec = (doc as { spec?: { containers?: unknown } } | null)?.spec;
  if (!spec || !Array.isArray(spec.containers) || spec.containers.length === 0) throw invalidSpec('spec.containers must list at least one container');
  return spec.containers.map((raw: unknown, k: number) => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const name = String(c.name ?? '');
    if (!CONTAINER_NAME.test(name)) throw invalidSpec(`containers[${k}].name '${name}' must be lowercase letters, digits or '-', start with a letter, at most 63 characters`);
    if (typeof c.image !== 'string' || c.image === '') throw invalidSpec(`containers[${k}].image is required`);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries((c.env ?? {}) as Record<string, unknown>)) env[key] = value === null ? '' : String(value);
    const secrets = ((c.secrets ?? []) as Array<Record<string, unknown>>).map((s, j): SecretRef => {
      const ref = s.snowflakeSecret;
      const objectName = typeof ref === 'string' ? ref : String((ref as { objectName?: unknown } | undefined)?.objectName ?? '');
      if (!objectName) throw invalidSpec(`containers[${k}].secrets[${j}].snowflakeSecret is required`);
      if (s.directoryPath !== undefined) throw unsupported('secrets with directoryPath (stand-in: use envVarName)');
      const key = String(s.secretKeyRef ?? '');
      if (typeof s.envVarName !== 'string' || !['secret_string', 'username', 'password'].includes(key)) {
        throw invalidSpec(`containers[${k}].secrets[${j}] needs envVarName and secretKeyRef (secret_string, username or password)`);
      }
      return { objectName, envVarName: s.envVarName, secretKeyRef: key as SecretRef['secretKeyRef'] };
    });
    return { name, image: c.image, command: c.command === undefined ? null : stringList(c.command, 'command'), args: stringList(c.args, 'args'), env, secrets };
  });
}

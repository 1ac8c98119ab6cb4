/** Snowflake name resolution: qualified identifier chains against the session's current database and schema. */
import type { SessionContext } from '../engine-types.js';
import { Catalog, displayIdent, type SchemaObject } from './catalog.js';
import { SnowflakeSqlError, objectDoesNotExist } from './errors.js';
import { identValue, isIdent, isOp, type Token } from './lexer.js';

export interface NameChain {
  parts: string[];
  start: number;
  /** Index after the chain. */
  end: number;
}

/** Reads `a[.b[.c]]` at tokens[i]; unquoted parts are upper-cased. */
export function readChain(tokens: Token[], i: number, maxParts = 3): NameChain | null {
  if (!isIdent(tokens[i])) return null;
  const parts = [identValue(tokens[i]!)];
  let end = i + 1;
  while (parts.length < maxParts && isOp(tokens[end], '.') && isIdent(tokens[end + 1])) {
    parts.push(identValue(tokens[end + 1]!));
    end += 2;
  }
  return { parts, start: i, end };
}

/** Parses a name written inside a string, e.g. SYSTEM$STREAM_HAS_DATA('db.s."MyStream"'). */
export function parseNameString(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] !== '') {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim().toUpperCase());
    if (m[3] === '') break;
  }
  return parts;
}

export interface QualifiedName {
  database: string;
  schema: string;
  name: string;
}

export function display(parts: string[]): string {
  return parts.map(displayIdent).join('.');
}

/** Qualifies a 1–3 part object name; errors as Snowflake does when the session has no database/schema. */
export function qualify(parts: string[], session: SessionContext): QualifiedName {
  if (parts.length === 3) return { database: parts[0]!, schema: parts[1]!, name: parts[2]! };
  if (parts.length === 2) {
    if (!session.database) throw noCurrent('database', parts);
    return { database: session.database, schema: parts[0]!, name: parts[1]! };
  }
  if (!session.database) throw noCurrent('database', parts);
  if (!session.schema) throw noCurrent('schema', parts);
  return { database: session.database, schema: session.schema, name: parts[0]! };
}

/** Qualifies a 1–2 part schema name. */
export function qualifySchema(parts: string[], session: SessionContext): { database: string; schema: string } {
  if (parts.length >= 2) return { database: parts[0]!, schema: parts[1]! };
  if (!session.database) throw noCurrent('database', parts);
  return { database: session.database, schema: parts[0]! };
}

/** Snowflake: 090105 / 22000 "Cannot perform … This session does not have a current database." (not in the reference). */
function noCurrent(what: 'database' | 'schema', parts: string[]): SnowflakeSqlError {
  const call = what === 'database' ? "Call 'USE DATABASE', or use a qualified name." : "Call 'USE SCHEMA', or use a qualified name.";
  return new SnowflakeSqlError(
    '090105',
    '22000',
    `Cannot perform operation on '${display(parts)}'. This session does not have a current ${what}. ${call}`,
  );
}

/** Looks an object up; `kinds` restricts what counts as found (others are reported as missing, as Snowflake does). */
export function resolveObject(
  catalog: Catalog,
  parts: string[],
  session: SessionContext,
  kinds?: SchemaObject['kind'][],
): SchemaObject {
  const q = qualify(parts, session);
  const obj = catalog.object(q.database, q.schema, q.name);
  if (!obj || (kinds && !kinds.includes(obj.kind))) throw objectDoesNotExist(display(parts.length === 1 ? [q.name] : parts));
  return obj;
}

/** Reads what a GRANT/REVOKE statement is about (privileges, object kind and canonical name), as grants.ts stores it. */
import type { Cursor } from '../cursor.js';
import { isOp, isWord } from '../lexer.js';
import { qualify, qualifySchema } from '../names.js';
import type { Session } from '../session.js';

const OBJECT_KINDS = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'STREAM', 'TASK', 'WAREHOUSE', 'INTEGRATION', 'ROLE', 'USER', 'SECRET', 'ACCOUNT', 'COMPUTE POOL', 'IMAGE REPOSITORY', 'NETWORK RULE', 'EXTERNAL ACCESS INTEGRATION', 'SERVICE', 'STAGE'];
const SCHEMA_OBJECTS = new Set(['TABLE', 'VIEW', 'STREAM', 'TASK', 'SECRET', 'IMAGE REPOSITORY', 'NETWORK RULE', 'SERVICE', 'STAGE']);

export interface GrantTarget {
  privileges: string[];
  /** As SHOW GRANTS' granted_on, with spaces: ACCOUNT, ROLE, COMPUTE POOL, … */
  kind: string;
  name: string;
}

/** Null when the statement has a form this reader does not know (FUTURE, ALL … IN SCHEMA): the engine reports it. */
export function readGrantTarget(c: Cursor, session: Session): GrantTarget | null {
  try {
    if (c.accept('ROLE')) return { privileges: ['USAGE'], kind: 'ROLE', name: c.ident() };
    const privileges: string[] = [];
    while (!c.atEnd() && !isWord(c.peek(), 'ON')) {
      const words: string[] = [];
      while (!c.atEnd() && !isOp(c.peek(), ',') && !isWord(c.peek(), 'ON')) words.push(c.ident());
      privileges.push(words.join(' '));
      c.acceptOp(',');
    }
    c.expect('ON');
    if (isWord(c.peek(), 'FUTURE', 'ALL')) return null;
    const kind = OBJECT_KINDS.filter((k) => k.split(' ').every((w, n) => isWord(c.peek(n), w))).sort((a, b) => b.length - a.length)[0];
    if (!kind) return null;
    c.i += kind.split(' ').length;
    const on = kind === 'EXTERNAL ACCESS INTEGRATION' ? 'INTEGRATION' : kind;
    if (on === 'ACCOUNT') return { privileges, kind: on, name: '' };
    const parts = c.name();
    if (on === 'SCHEMA') {
      const q = qualifySchema(parts, session.context);
      return { privileges, kind: on, name: `${q.database}.${q.schema}` };
    }
    if (SCHEMA_OBJECTS.has(on)) {
      const q = qualify(parts, session.context);
      return { privileges, kind: on, name: `${q.database}.${q.schema}.${q.name}` };
    }
    return { privileges, kind: on, name: parts.join('.') };
  } catch {
    return null;
  }
}

/**
 * What a task's WHEN clause may contain, as documented for CREATE TASK (parameter `WHEN boolean_expr`,
 * https://docs.snowflake.com/en/sql-reference/sql/create-task): SYSTEM$STREAM_HAS_DATA and
 * SYSTEM$GET_PREDECESSOR_RETURN_VALUE, Boolean operators (AND, OR, NOT), casts between numeric, string and
 * Boolean types, and comparison operators — because "Validating the conditions of the WHEN expression does
 * not require compute resources. The validation is instead processed in the cloud services layer" (the same
 * page: PARSE_JSON "isn't supported as it requires warehouse based compute resources"). So no subquery, no
 * table, no other function. The docs do not say whether CREATE TASK or the run refuses anything else, nor
 * the error text: the stand-in picks the stricter, CREATE TASK fails (text and code UNCONFIRMED).
 */
import { SnowflakeSqlError } from '../errors.js';
import { tokenize, type Token } from '../lexer.js';

const FUNCTIONS = new Set(['SYSTEM$STREAM_HAS_DATA', 'SYSTEM$GET_PREDECESSOR_RETURN_VALUE', 'SYSTEM$PREDECESSORS_STATE', 'SYSTEM$TASK_COMPLETION_STATE']);
const WORDS = new Set(['AND', 'OR', 'NOT', 'TRUE', 'FALSE', 'NULL', 'IS', 'CAST', 'AS', 'TRY_CAST']);
const TYPES = new Set(['BOOLEAN', 'NUMBER', 'NUMERIC', 'INT', 'INTEGER', 'FLOAT', 'DOUBLE', 'DECIMAL', 'VARCHAR', 'STRING', 'TEXT', 'CHAR']);
const OPS = new Set(['(', ')', ',', '=', '!=', '<>', '<', '>', '<=', '>=', '::']);

function refuse(token: Token | undefined, condition: string): SnowflakeSqlError {
  const what = token ? `'${token.raw}'` : 'the expression';
  return new SnowflakeSqlError('002031', '42601', `SQL compilation error:\nInvalid WHEN condition: ${what} is not supported in a task's WHEN clause (only SYSTEM$STREAM_HAS_DATA, SYSTEM$GET_PREDECESSOR_RETURN_VALUE, Boolean and comparison operators and casts): ${condition}`);
}

/** Throws when the condition uses anything the documented WHEN subset does not allow. */
export function checkTaskCondition(condition: string): void {
  const tokens = tokenize(condition);
  for (const [i, token] of tokens.entries()) {
    const previous = tokens[i - 1];
    if (token.type === 'string' || token.type === 'number') continue;
    if (token.type === 'op' && OPS.has(token.value)) continue;
    if (token.type === 'word') {
      if (FUNCTIONS.has(token.value)) {
        if (tokens[i + 1]?.value !== '(') throw refuse(token, condition);
        continue;
      }
      if (WORDS.has(token.value)) continue;
      const castTarget = previous && ((previous.type === 'op' && previous.value === '::') || (previous.type === 'word' && previous.value === 'AS'));
      if (castTarget && TYPES.has(token.value)) continue;
    }
    throw refuse(token, condition);
  }
}

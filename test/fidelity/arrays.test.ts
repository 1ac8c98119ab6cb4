/** ARRAY functions as Snowflake documents them, seen through both drivers (cells fetched as strings). */
import { probeSuite } from './probe-runner.js';

const json = (cell: string | null | undefined) => (cell === null || cell === undefined ? cell : JSON.stringify(JSON.parse(cell)));
const expectCells = (expected: Record<string, string | null>) => (result: { rows: Array<Record<string, string | null>> }) => {
  for (const [column, want] of Object.entries(expected)) {
    const got = json(result.rows[0]![column]);
    if (got !== want) throw new Error(`${column}: ${got} (expected ${want})`);
  }
};

probeSuite('ARRAY functions', [
  {
    title: 'ARRAY_CAT appends the second array to the first; NULL when either is NULL (https://docs.snowflake.com/en/sql-reference/functions/array_cat)',
    sql: "SELECT ARRAY_CAT(ARRAY_CONSTRUCT('a', 'b'), ARRAY_CONSTRUCT('b', 'c')) AS A, ARRAY_CAT(ARRAY_CONSTRUCT('a'), NULL) AS N",
    check: expectCells({ A: '["a","b","b","c"]', N: null }),
  },
  {
    title: 'ARRAY_DISTINCT removes duplicate elements (order unspecified: compared sorted) (https://docs.snowflake.com/en/sql-reference/functions/array_distinct)',
    sql: "SELECT ARRAY_SIZE(ARRAY_DISTINCT(ARRAY_CONSTRUCT('b', 'a', 'b', 'c', 'a'))) AS N, ARRAY_DISTINCT(ARRAY_CONSTRUCT()) AS E",
    check: expectCells({ N: '3', E: '[]' }),
  },
  {
    title: 'ARRAY_EXCEPT has multi-set semantics: 3 copies minus 1 leaves 2; nothing left is an empty ARRAY; NULL when an argument is NULL (https://docs.snowflake.com/en/sql-reference/functions/array_except)',
    sql: "SELECT ARRAY_EXCEPT(ARRAY_CONSTRUCT('a', 'b', 'b', 'b', 'c'), ARRAY_CONSTRUCT('b', 'c', 'd')) AS A, ARRAY_EXCEPT(ARRAY_CONSTRUCT('a'), ARRAY_CONSTRUCT('a')) AS E, ARRAY_EXCEPT(ARRAY_CONSTRUCT('a'), NULL) AS N",
    check: expectCells({ A: '["a","b","b"]', E: '[]', N: null }),
  },
  {
    title: 'IS_ARRAY is TRUE only for a VARIANT holding an ARRAY (https://docs.snowflake.com/en/sql-reference/functions/is_array)',
    sql: "SELECT IS_ARRAY(PARSE_JSON('[1]')) AS A, IS_ARRAY(PARSE_JSON('{\"unset\":1}')) AS O, IS_ARRAY(PARSE_JSON('\"s\"')) AS S",
    rows: [{ A: 'TRUE', O: 'FALSE', S: 'FALSE' }],
  },
  {
    title: 'the resync request merge: the recorded unset list (a VARIANT path) with the new one, duplicates removed, columns back in the mapping taken out, rebuilt as JSON text (https://docs.snowflake.com/en/sql-reference/functions/to_json, https://docs.snowflake.com/en/sql-reference/functions/object_construct)',
    sql: "SELECT TO_JSON(OBJECT_CONSTRUCT('id', R:id, 'unset', ARRAY_EXCEPT(ARRAY_DISTINCT(ARRAY_CAT(IFF(IS_ARRAY(O:unset), O:unset, ARRAY_CONSTRUCT()), R:unset)), PARSE_JSON(?)))) AS T FROM (SELECT PARSE_JSON('{\"id\":\"n\",\"unset\":[\"b\"]}') AS R, TRY_PARSE_JSON('{\"id\":\"o\",\"unset\":[\"a\",\"b\",\"tags\"]}') AS O)",
    binds: ['["tags"]'],
    check: expectCells({ T: '{"id":"n","unset":["a","b"]}' }),
  },
]);

/**
 * Snowflake's ARRAY functions over VARIANT arrays (the stand-in holds ARRAY / VARIANT values as DuckDB JSON),
 * as DuckDB temporary macros (SESSION_MACROS in functions.ts). Each follows its page:
 *  - ARRAY_CAT (https://docs.snowflake.com/en/sql-reference/functions/array_cat): the elements of the first
 *    array, then those of the second; NULL when either is NULL.
 *  - ARRAY_DISTINCT (https://docs.snowflake.com/en/sql-reference/functions/array_distinct): the array with
 *    duplicate elements removed, NULL-safe (NULL elements are one value); NULL for NULL. The docs leave the
 *    order unspecified: the stand-in keeps the first occurrence of each, in order.
 *  - ARRAY_EXCEPT (https://docs.snowflake.com/en/sql-reference/functions/array_except): the elements of the
 *    source array not in the other, with multi-set ("bag") semantics: N copies in the source and M in the
 *    other leave max(N - M, 0) copies; NULL-safe (NULL elements compare equal); NULL when either argument is
 *    NULL; an empty ARRAY when nothing remains.
 *  - IS_ARRAY (https://docs.snowflake.com/en/sql-reference/functions/is_array): TRUE when the VARIANT holds an
 *    ARRAY; NULL for NULL.
 * A VARIANT that holds something else than an ARRAY where an ARRAY is expected: the docs are silent on the
 * error; the stand-in chooses the stricter rule and refuses it (code chosen by the stand-in).
 */
const LIST = 'SF_ARRAY_LIST';
const list = (x: string) => `${LIST}(${x})`;
/** Each element with its 1-based position, so that a filter can look at what came before it. */
const indexed = (x: string) => `list_zip(${list(x)}, range(1, len(${list(x)}) + 1))`;

export const ARRAY_MACROS = [
  `CREATE OR REPLACE TEMP MACRO ${LIST}(j) AS CASE WHEN j IS NULL THEN NULL WHEN json_type(CAST(j AS JSON)) = 'ARRAY' THEN CAST(CAST(j AS JSON) AS JSON[]) ELSE error('SF:100071:22000:Failed to cast variant value ' || CAST(j AS VARCHAR) || ' to ARRAY') END`,
  `CREATE OR REPLACE TEMP MACRO ARRAY_CAT(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE CAST(to_json(list_concat(${list('a')}, ${list('b')})) AS JSON) END`,
  `CREATE OR REPLACE TEMP MACRO ARRAY_DISTINCT(a) AS CASE WHEN a IS NULL THEN NULL ELSE CAST(to_json(list_transform(list_filter(${indexed('a')}, p -> list_position(${list('a')}, p[1]) = p[2]), p -> p[1])) AS JSON) END`,
  `CREATE OR REPLACE TEMP MACRO ARRAY_EXCEPT(a, e) AS CASE WHEN a IS NULL OR e IS NULL THEN NULL ELSE CAST(to_json(list_transform(list_filter(${indexed('a')}, p -> len(list_filter(${list('a')}[1:p[2]], y -> y IS NOT DISTINCT FROM p[1])) > len(list_filter(${list('e')}, y -> y IS NOT DISTINCT FROM p[1]))), p -> p[1])) AS JSON) END`,
  `CREATE OR REPLACE TEMP MACRO IS_ARRAY(v) AS json_type(CAST(v AS JSON)) = 'ARRAY'`,
];

/**
 * Columns of the worker's runs and rejected tables (worker/sync/state-tables.ts creates them IF NOT EXISTS on its
 * first run). Shared with init, which creates the runs table ahead of the first run when the sync's alerts read it
 * (src/plan/alert-steps.ts), so both create exactly the same table. SYNC_NAME: the sync of a project of several
 * (issue 16); older tables get it from the worker (syncNameColumnStatements).
 */
export const RUNS_DDL = `(
  RUN_ID VARCHAR NOT NULL, SOURCE_STREAM VARCHAR, STARTED_AT TIMESTAMP_LTZ, ENDED_AT TIMESTAMP_LTZ,
  STATUS VARCHAR, ENDPOINT VARCHAR, ROWS_CAPTURED NUMBER(38,0), PROFILES_SENT NUMBER(38,0),
  ROWS_REJECTED NUMBER(38,0), ATTRIBUTES_REJECTED NUMBER(38,0), REQUESTS NUMBER(38,0), RETRIES NUMBER(38,0),
  ERROR_MESSAGE VARCHAR, SYNC_NAME VARCHAR)`;

export const REJECTED_DDL = `(
  RUN_ID VARCHAR, SOURCE_STREAM VARCHAR, REJECTED_AT TIMESTAMP_LTZ, CUSTOM_ID VARCHAR, ATTRIBUTE VARCHAR,
  VALUE_EXCERPT VARCHAR, REASON VARCHAR, MESSAGE VARCHAR, ORIGIN VARCHAR, SYNC_NAME VARCHAR)`;

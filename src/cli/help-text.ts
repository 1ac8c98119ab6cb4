/**
 * The text `batch-snowflake --help` ends with: where connection settings come from, examples, and the exit
 * codes scripts can act on. Plain strings only (the --help path loads nothing else). The codes match
 * EXIT_CODES (src/core/errors.ts) and OPERATE_EXIT_CODES (src/operate/verdict.ts); a test keeps them in step.
 */
export const HELP_AFTER = `
Connection settings are read like the Snowflake CLI does: flags, SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>,
~/.snowflake/connections.toml (or config.toml), then SNOWFLAKE_<KEY>. Passwords come from there or a prompt.

Examples:
  batch-snowflake init -c my_connection                 guided setup (asks what flags do not answer)
  batch-snowflake init --dry-run -c my_connection       print the SQL and docker commands, change nothing
  BATCH_REST_API_KEY=… batch-snowflake init --no-interactive --yes \\
      --view DB.PUBLIC.CUSTOMERS_V --id-column CUSTOMER_ID --project-key KEY --target DB.BATCH_SYNC
  batch-snowflake status                                healthy / degraded / failing, and what to run next
  batch-snowflake run                                   run the sync now and wait for its result
  batch-snowflake logs --lines 50                       the last run's container logs
  batch-snowflake uninstall --dry-run                   what uninstall would drop

Exit codes:
  0    ok (status: healthy)
  1    internal error (a bug: please report it)
  2    usage: a flag or an answer is missing or invalid
  3    connection to Snowflake failed
  4    permission: a privilege is missing (the message gives the GRANT)
  5    SQL error
  6    docker error
  7    Batch API error
  10   status: degraded / run: partial (some values rejected)
  11   status: failing / run: failed
  12   run: still running at --timeout
  13   status: not installed (nothing set up, or uninstalled)
  130  cancelled (Ctrl-C)
`;

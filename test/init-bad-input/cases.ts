/**
 * Bad input for `init`, one row each: what is changed from a complete non-interactive run, the exit code
 * (shared/errors.ts EXIT_CODES), what the error must say (message) and the next step it must offer
 * (suggestion). `account` picks the stand-in the case runs against.
 */
import { EXIT_CODES } from '../../shared/errors.js';

export type AccountKind = 'full' | 'restricted' | 'admin-only' | 'no-spcs';

export interface BadInputCase {
  name: string;
  /** Replaces flags of the complete run (value null removes the flag); `extra` is appended. */
  flags?: Record<string, string | null>;
  extra?: string[];
  env?: Record<string, string | undefined>;
  /** Content of batch-snowflake.json before the run (it must be byte-identical after). Default: absent. */
  config?: string;
  /** Files written into the working folder first. */
  files?: Record<string, string>;
  account?: AccountKind;
  /**
   * `foreign`: the account's repository URLs name the registry of another (stand-in) account, whose gateway
   * (registry-gateway.ts) answers 401 to a session token it did not issue. `unreachable`: they name a closed port.
   */
  registry?: 'foreign' | 'unreachable';
  /** `installed`: a complete run (the base flags) succeeds first; its batch-snowflake.json must stay byte-identical. */
  setup?: 'installed';
  /** The access URL is replaced by a closed port. */
  unreachable?: boolean;
  code: number;
  message: RegExp;
  suggestion: RegExp;
  /** Text that must not be echoed back (e.g. a secret given as a flag value). */
  notEchoed?: string;
}

const INJECTION = 'x"; DROP TABLE y; --';
const { usage, connection, permission, sql, docker } = EXIT_CODES;
const renameOrQuote = /identifier|name|quote|DB\.SCHEMA|--view|--target|--compute-pool|--image-repository|help/i;

export const CASES: BadInputCase[] = [
  // Identifiers: quotes, spaces, unicode, injection, wrong number of parts.
  { name: 'view: SQL injection', flags: { '--view': INJECTION }, code: usage, message: /view/i, suggestion: renameOrQuote },
  { name: 'view: two parts only', flags: { '--view': 'PUBLIC.CUSTOMER_PROFILES' }, code: usage, message: /view/i, suggestion: /DATABASE\.SCHEMA\.(NAME|VIEW)|DB\.SCHEMA\.VIEW/ },
  { name: 'view: four parts', flags: { '--view': 'A.B.C.D' }, code: usage, message: /view/i, suggestion: /DATABASE\.SCHEMA\.(NAME|VIEW)|DB\.SCHEMA\.VIEW/ },
  { name: 'view: unquoted space', flags: { '--view': 'DEMO_DB.PUBLIC.CUSTOMER PROFILES' }, code: usage, message: /view/i, suggestion: renameOrQuote },
  { name: 'view: unbalanced quote', flags: { '--view': 'DEMO_DB.PUBLIC."CUSTOMER_PROFILES' }, code: usage, message: /view|quote/i, suggestion: renameOrQuote },
  { name: 'view: does not exist', flags: { '--view': 'DEMO_DB.PUBLIC.NO_SUCH_VIEW' }, code: sql, message: /NO_SUCH_VIEW/, suggestion: /--view|SHOW VIEWS|GRANT|exist/i },
  { name: 'view: unicode name that does not exist', flags: { '--view': 'DEMO_DB.PUBLIC."Vue_été_ü"' }, code: sql, message: /Vue_été_ü/, suggestion: /--view|SHOW VIEWS|GRANT|exist/i },
  { name: 'view: quoted name with spaces that does not exist', flags: { '--view': 'DEMO_DB.PUBLIC."my view"' }, code: sql, message: /my view/, suggestion: /--view|SHOW VIEWS|GRANT|exist/i },
  { name: 'target: SQL injection', flags: { '--target': INJECTION }, code: usage, message: /target/i, suggestion: renameOrQuote },
  { name: 'target: one part', flags: { '--target': 'DEMO_DB' }, code: usage, message: /target/i, suggestion: /(DB|DATABASE)\.SCHEMA(?!\.)/ },
  { name: 'id column: SQL injection', flags: { '--id-column': INJECTION }, code: usage, message: /DROP TABLE y|column/i, suggestion: /--id-column|CUSTOMER_ID/ },
  { name: 'id column: not in the view', flags: { '--id-column': 'NO_SUCH_COLUMN' }, code: usage, message: /NO_SUCH_COLUMN/, suggestion: /--id-column|CUSTOMER_ID/ },
  { name: 'id column: missing (no TTY)', flags: { '--id-column': null }, code: usage, message: /--id-column/, suggestion: /--id-column/ },
  { name: 'date columns: not in the view', flags: { '--date-columns': 'SIGNUP_DATE,NOT_A_DATE' }, code: usage, message: /NOT_A_DATE/, suggestion: /--date-columns|SIGNUP_DATE/ },
  { name: 'url columns: injection', flags: { '--url-columns': 'PROFILE_URL") --' }, code: usage, message: /PROFILE_URL"\) --|column/i, suggestion: /--url-columns|PROFILE_URL/ },
  { name: 'compute pool: injection', flags: { '--compute-pool': 'POOL; DROP COMPUTE POOL X' }, code: usage, message: /compute pool/i, suggestion: renameOrQuote },
  { name: 'image repository: three parts with an empty one', flags: { '--image-repository': 'DEMO_DB..REPO' }, code: usage, message: /image repository/i, suggestion: renameOrQuote },
  // Other flags.
  { name: 'schedule: prose', flags: { '--schedule': 'every hour' }, code: usage, message: /schedule/i, suggestion: /60 MINUTE|CRON/ },
  { name: 'schedule: injection', flags: { '--schedule': '60 MINUTE; DROP TASK T' }, code: usage, message: /schedule/i, suggestion: /60 MINUTE|CRON/ },
  { name: 'credentials: unknown choice', flags: { '--credentials': 'vault' }, code: usage, message: /vault|credentials/i, suggestion: /--help/ },
  { name: 'view and view-sql together', extra: ['--view-sql', 'q.sql', '--view-name', 'V'], files: { 'q.sql': 'SELECT 1 AS ID' }, code: usage, message: /--view-sql|either/i, suggestion: /--help/ },
  { name: 'view-sql: file missing', flags: { '--view': null }, extra: ['--view-sql', 'missing.sql', '--view-name', 'V'], code: usage, message: /missing\.sql/, suggestion: /SELECT/ },
  { name: 'view-sql: not a SELECT', flags: { '--view': null }, extra: ['--view-sql', 'q.sql', '--view-name', 'V'], files: { 'q.sql': 'DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS' }, code: usage, message: /SELECT/i, suggestion: /SELECT/i },
  // Secrets on the command line are refused, and not echoed.
  { name: 'REST key as a flag value', extra: ['--rest-api-key', 'FLAGKEY-0123456789'], code: usage, message: /--rest-api-key/, suggestion: /BATCH_REST_API_KEY/, notEchoed: 'FLAGKEY-0123456789' },
  { name: 'password as a flag value', extra: ['--password', 'FLAGPASS-0123456789'], code: usage, message: /--password/, suggestion: /SNOWFLAKE_PASSWORD/, notEchoed: 'FLAGPASS-0123456789' },
  { name: 'REST key with a line break inside', env: { BATCH_REST_API_KEY: 'abc\ndef' }, code: usage, message: /REST API key/, suggestion: /key/i },
  // No TTY: every missing answer listed as a flag.
  { name: 'no TTY, nothing given', flags: { '--view': null, '--id-column': null, '--project-key': null, '--yes': null }, env: { BATCH_REST_API_KEY: undefined }, code: usage, message: /--view[\s\S]*--id-column[\s\S]*--project-key[\s\S]*--yes/, suggestion: /--view/ },
  // Config file.
  { name: 'config file is not JSON', config: '{ "version": 1, "answers": ', code: usage, message: /batch-snowflake\.json/, suggestion: /batch-snowflake\.json|--config|fix|remove/i },
  { name: 'config file of an unknown version', config: '{"version":99,"answers":{}}\n', code: usage, message: /batch-snowflake\.json|version/i, suggestion: /batch-snowflake\.json|--config|fix|remove|upgrade|version/i },
  // Connection.
  { name: 'wrong password', env: { SNOWFLAKE_PASSWORD: 'not-the-password' }, code: connection, message: /password|authenticat|log ?in/i, suggestion: /SNOWFLAKE_PASSWORD|connections\.toml|password/i },
  { name: 'unreachable account (fails fast)', unreachable: true, code: connection, message: /Snowflake|reach|answer|refused/i, suggestion: /--account|--access-url|account|network|connections\.toml/i },
  { name: 'no account configured', env: { SNOWFLAKE_ACCOUNT: undefined }, flags: { '--access-url': null }, code: usage, message: /account/i, suggestion: /--account|SNOWFLAKE_ACCOUNT|connections\.toml/ },
  { name: 'unknown named connection', extra: ['-c', 'nope'], code: usage, message: /nope/, suggestion: /connections\.toml|-c|--connection/ },
  // Privileges and SPCS.
  { name: 'restricted role: missing privileges', account: 'restricted', code: permission, message: /privilege/i, suggestion: /GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SYNC_ROLE/ },
  { name: 'admin-only: ACCOUNTADMIN cannot own the task', account: 'admin-only', code: permission, message: /ACCOUNTADMIN/, suggestion: /--role|role/i },
  { name: '--role ACCOUNTADMIN refused', extra: ['--role', 'ACCOUNTADMIN'], code: permission, message: /ACCOUNTADMIN/, suggestion: /--role|role/i },
  { name: 'no SPCS in the account', account: 'no-spcs', code: sql, message: /Snowpark Container Services/i, suggestion: /admin|account|region|enable/i },
  // Docker (no --skip-image).
  { name: 'docker missing (not on PATH)', flags: { '--skip-image': null, '--image-tag': null }, env: { PATH: '/nonexistent-bin' }, code: docker, message: /docker/i, suggestion: /install|--skip-image/i },
  // A rerun that builds a new image tag on an installed account: the login comes before the build and fails.
  {
    name: 'registry 401 (session token refused: docker login)', registry: 'foreign', setup: 'installed', flags: { '--skip-image': null, '--image-tag': '0.2.0' },
    code: docker, message: /docker login to the Snowflake registry 127\.0\.0\.1:\d+ failed: docker login failed for 127\.0\.0\.1:\d+: the registry refused this connection's session token[\s\S]*(401|unauthorized)[\s\S]*Nothing was changed/i, suggestion: /repository_url[\s\S]*--skip-image/i,
  },
  {
    name: 'registry host unreachable (docker login)', registry: 'unreachable', setup: 'installed', flags: { '--skip-image': null, '--image-tag': '0.2.0' },
    code: docker, message: /docker login to the Snowflake registry 127\.0\.0\.1:\d+ failed: docker login could not reach 127\.0\.0\.1:\d+[\s\S]*Nothing was changed/i, suggestion: /registry host|network|proxy/i,
  },
  { name: 'docker stopped (dead socket)', flags: { '--skip-image': null, '--image-tag': null }, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, code: docker, message: /docker/i, suggestion: /start|--skip-image/i },
];

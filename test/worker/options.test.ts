/** The worker's arguments: drop-in for Batch's job (the seed's exact task arguments), defaults, every error. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../shared/errors.js';
import { describeOptions, parseWorkerOptions, toPayloadMapping, wantsHelp, WORKER_USAGE } from '../../worker/options.js';

const home = mkdtempSync(path.join(tmpdir(), 'worker-options-'));
/** Never the real /snowflake/session/token: SPCS detection must only see what each test sets up. */
const baseEnv = { BATCH_SNOWFLAKE_TOKEN_FILE: path.join(home, 'no-token'), SNOWFLAKE_HOME: path.join(home, 'sf') };
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseWorkerOptions(argv, { env: { ...baseEnv, ...env }, home });
const REQUIRED = ['--project-key', 'project_abc', '--source-stream', 'DB.SCH.STREAM', '--id-column', 'ID', '--api-credentials-table', 'DB.SCH.CREDS'];

function errorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

/** The `args:` list of the task in Batch's own setup guide, read from the guide itself. */
function seedArguments(): string[] {
  const guide = readFileSync('/work/shared/seed/batch-snowflake-guide.txt', 'utf8');
  const block = guide.slice(guide.indexOf('args:') + 'args:'.length, guide.indexOf('env:', guide.indexOf('args:')));
  return [...block.matchAll(/^- "(.*)"$/gm)].map((m) => m[1] as string);
}

describe("Batch's job arguments", () => {
  it("parses the seed guide's task arguments exactly", () => {
    const args = seedArguments();
    expect(args).toHaveLength(12);
    const options = parse(args, { SNOWFLAKE_ROLE: 'MY_ROLE' });
    expect(options).toMatchObject({
      projectKey: 'MY_BATCH_PROJECT_KEY',
      sourceStream: { parts: ['MY_DB', 'MY_SCHEMA', 'MY_STREAM'], sql: 'MY_DB.MY_SCHEMA.MY_STREAM', name: 'MY_STREAM' },
      idColumn: 'MY_ID_COLUMN',
      dateColumns: ['MY_DATE_COLUMNS'],
      urlColumns: ['MY_URL_COLUMNS'],
      restApiKey: { kind: 'table', table: { sql: 'MY_DB.MY_SCHEMA.BATCH_API_CREDENTIALS' } },
      stateSchema: { sql: 'MY_DB.MY_SCHEMA' },
      nullPolicy: 'skip',
      deletePolicy: 'ignore',
      endpoint: 'auto',
      dryRun: false,
      batchApiUrl: 'https://api.batch.com',
    });
    expect(options.snowflake.kind).toBe('env');
  });

  it('splits column lists: trimmed, empty allowed, quoted names unquoted', () => {
    expect(parse([...REQUIRED, '--date-columns', '', '--url-columns', ' a , ,B ']).dateColumns).toEqual([]);
    expect(parse([...REQUIRED, '--url-columns', ' a , ,B ']).urlColumns).toEqual(['a', 'B']);
    expect(parse([...REQUIRED, '--date-columns', '"Birth ""Day""",SIGNUP']).dateColumns).toEqual(['Birth "Day"', 'SIGNUP']);
    expect(parse(REQUIRED).dateColumns).toEqual([]);
  });

  it('accepts --name=value and quoted object names', () => {
    const options = parse(['--project-key=p', '--source-stream="My Db".sch."Sync Stream"', '--id-column=ID', '--api-credentials-table=CREDS']);
    expect(options.sourceStream).toEqual({ parts: ['My Db', 'SCH', 'Sync Stream'], sql: '"My Db".SCH."Sync Stream"', name: 'Sync Stream' });
    expect(options.stateSchema?.sql).toBe('"My Db".SCH');
  });
});

describe('our options', () => {
  it('has documented defaults', () => {
    const options = parse(REQUIRED);
    expect(options).toMatchObject({ concurrency: 4, rate: 300, burst: 1000, massUpdateRate: 10000, massUpdateThreshold: 10000 });
    expect(toPayloadMapping(options)).toEqual({ idColumn: 'ID', dateColumns: [], urlColumns: [], nullPolicy: 'skip' });
  });

  it('parses every option', () => {
    const options = parse([
      ...REQUIRED,
      '--null-policy', 'delete', '--delete-policy', 'unset', '--endpoint', 'mass-update', '--mass-update-threshold', '0',
      '--mass-update-rate', '5000', '--concurrency', '8', '--rate', '150', '--burst', '400', '--dry-run',
      '--state-schema', 'OTHER_DB.STATE', '--connection', 'dev',
    ]);
    expect(options).toMatchObject({
      nullPolicy: 'delete', deletePolicy: 'unset', endpoint: 'mass-update', massUpdateThreshold: 0, massUpdateRate: 5000,
      concurrency: 8, rate: 150, burst: 400, dryRun: true, stateSchema: { parts: ['OTHER_DB', 'STATE'] },
    });
    expect(options.snowflake.kind).toBe('named');
    expect(toPayloadMapping(options).nullPolicy).toBe('delete');
  });

  it('a lower --rate without --burst bursts one second of that rate', () => {
    expect(parse([...REQUIRED, '--rate', '50']).burst).toBe(50);
  });

  it('a one-part stream name keeps the state tables in the current schema', () => {
    expect(parse(['--project-key', 'p', '--source-stream', 's', '--id-column', 'ID', '--dry-run']).stateSchema).toBeNull();
  });

  it('BATCH_API_URL targets the sandbox, without a trailing slash', () => {
    expect(parse(REQUIRED, { BATCH_API_URL: 'http://127.0.0.1:8123/' }).batchApiUrl).toBe('http://127.0.0.1:8123');
  });

  it('recognises --help', () => {
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(REQUIRED)).toBe(false);
    expect(WORKER_USAGE).toContain('--api-credentials-table');
  });
});

describe('the REST API key', () => {
  const KEY = 'rest_key_5c1f0e9d8b7a';
  const noTable = REQUIRED.slice(0, 6);

  it('comes from BATCH_REST_API_KEY (the SPCS secret) and never shows', () => {
    const options = parse(noTable, { BATCH_REST_API_KEY: KEY });
    expect(options.restApiKey.kind).toBe('env');
    expect(options.restApiKey.kind === 'env' && options.restApiKey.key.reveal()).toBe(KEY);
    for (const rendering of [JSON.stringify(options), inspect(options, { depth: 10 }), JSON.stringify(describeOptions(options)), `${String(options.restApiKey.kind === 'env' && options.restApiKey.key)}`]) {
      expect(rendering).not.toContain(KEY);
    }
    expect(describeOptions(options).restApiKey).toBe('from env BATCH_REST_API_KEY');
  });

  it('--api-credentials-table wins over the env key (explicit argument first)', () => {
    expect(parse(REQUIRED, { BATCH_REST_API_KEY: KEY }).restApiKey.kind).toBe('table');
  });

  it('is not needed for a dry run', () => {
    expect(parse([...noTable, '--dry-run']).restApiKey).toEqual({ kind: 'none' });
  });

  it('missing: says both ways to provide it', () => {
    const error = errorOf(() => parse(noTable));
    expect(error.code).toBe('REST_API_KEY_MISSING');
    expect(error.kind).toBe('usage');
    expect(error.suggestion).toMatch(/BATCH_REST_API_KEY.*--api-credentials-table/s);
  });
});

describe('errors name the argument and the fix', () => {
  const without = (flag: string) => {
    const args = [...REQUIRED];
    args.splice(args.indexOf(flag), 2);
    return args;
  };
  it.each([
    ['missing --project-key', without('--project-key'), 'MISSING_ARGUMENT', /Missing --project-key/],
    ['missing --source-stream', without('--source-stream'), 'MISSING_ARGUMENT', /Missing --source-stream/],
    ['missing --id-column', without('--id-column'), 'MISSING_ARGUMENT', /Missing --id-column/],
    ['blank --id-column', [...without('--id-column'), '--id-column', '  '], 'MISSING_ARGUMENT', /Missing --id-column/],
    ['project key with spaces', [...without('--project-key'), '--project-key', 'a b'], 'INVALID_ARGUMENT', /--project-key contains spaces/],
    ['SQL in --source-stream', [...without('--source-stream'), '--source-stream', 'DB.S.X; DROP TABLE T'], 'INVALID_IDENTIFIER', /--source-stream value/],
    ['four-part stream', [...without('--source-stream'), '--source-stream', 'A.B.C.D'], 'INVALID_IDENTIFIER', /DATABASE\.SCHEMA\.NAME/],
    ['bad credentials table', [...without('--api-credentials-table'), '--api-credentials-table', 'x y'], 'INVALID_IDENTIFIER', /--api-credentials-table value/],
    ['three-part --state-schema', [...REQUIRED, '--state-schema', 'A.B.C'], 'INVALID_IDENTIFIER', /--state-schema value/],
    ['--null-policy', [...REQUIRED, '--null-policy', 'drop'], 'INVALID_ARGUMENT', /--null-policy is "drop"; expected one of: skip, delete/],
    ['--delete-policy', [...REQUIRED, '--delete-policy', 'purge'], 'INVALID_ARGUMENT', /--delete-policy is "purge"; expected one of: ignore, unset/],
    ['--endpoint', [...REQUIRED, '--endpoint', 'bulk'], 'INVALID_ARGUMENT', /--endpoint is "bulk"; expected one of: auto, update, mass-update/],
    ['--concurrency 0', [...REQUIRED, '--concurrency', '0'], 'INVALID_ARGUMENT', /--concurrency must be at least 1 \(got "0"\)/],
    ['--concurrency 1.5', [...REQUIRED, '--concurrency', '1.5'], 'INVALID_ARGUMENT', /--concurrency must be a whole number/],
    ['--concurrency abc', [...REQUIRED, '--concurrency', 'abc'], 'INVALID_ARGUMENT', /--concurrency must be a number \(got "abc"\)/],
    ['--concurrency 65', [...REQUIRED, '--concurrency', '65'], 'INVALID_ARGUMENT', /--concurrency must be at most 64/],
    ['--rate=-1', [...REQUIRED, '--rate=-1'], 'INVALID_ARGUMENT', /--rate must be greater than 0/],
    ['--rate -1 (looks like an option)', [...REQUIRED, '--rate', '-1'], 'INVALID_ARGUMENTS', /'--rate' argument is ambiguous/],
    ['--burst 0', [...REQUIRED, '--burst', '0'], 'INVALID_ARGUMENT', /--burst must be at least 1/],
    ['--mass-update-threshold=-5', [...REQUIRED, '--mass-update-threshold=-5'], 'INVALID_ARGUMENT', /--mass-update-threshold must be at least 0/],
    ['--mass-update-rate 0', [...REQUIRED, '--mass-update-rate', '0'], 'INVALID_ARGUMENT', /--mass-update-rate must be greater than 0/],
    ['unknown option', [...REQUIRED, '--source-table', 'T'], 'INVALID_ARGUMENTS', /Unknown option '--source-table'/],
    ['option without its value', [...REQUIRED, '--id-column'], 'INVALID_ARGUMENTS', /--id-column/],
    ['value given to a flag', [...REQUIRED, '--dry-run=yes'], 'INVALID_ARGUMENTS', /--dry-run/],
  ])('%s', (_name, args, code, message) => {
    const error = errorOf(() => parse(args));
    expect(error.code).toBe(code);
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(message);
    expect(error.suggestion ?? '').not.toBe('');
  });

  it('a stray value is not echoed (it may be a secret)', () => {
    const error = errorOf(() => parse([...REQUIRED, 'sk_live_secret_value']));
    expect(error.code).toBe('INVALID_ARGUMENTS');
    expect(`${error.message} ${error.suggestion}`).not.toContain('sk_live_secret_value');
    expect(error.message).toMatch(/every value must follow its --option/);
  });

  it.each([['ftp://x'], ['not a url'], ['http://127.0.0.1:1/?x=1'], ['https://user:pw@api.example']])('BATCH_API_URL %s', (url) => {
    const error = errorOf(() => parse(REQUIRED, { BATCH_API_URL: url }));
    expect(error.code).toBe('BATCH_API_URL_INVALID');
    expect(error.message).toMatch(/BATCH_API_URL/);
    expect(error.message).not.toContain('pw@');
  });
});

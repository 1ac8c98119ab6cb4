/**
 * Account profiles: who has which privileges in the stand-in's account, so the wizard's preflight can be tested
 * against accounts of different shapes. Every profile starts from Snowflake's system roles (reference §6):
 * ACCOUNTADMIN holds every account privilege, SECURITYADMIN MANAGE GRANTS, USERADMIN CREATE ROLE/USER, SYSADMIN
 * CREATE DATABASE/WAREHOUSE and owns the seeded database and warehouse. Then the profile's `setup` SQL runs as
 * ACCOUNTADMIN and the seeded user gets `userRoles` with `defaultRole`.
 *
 * - full: the default role SYSADMIN also has CREATE COMPUTE POOL, CREATE INTEGRATION, EXECUTE TASK, EXECUTE
 *   MANAGED TASK, BIND SERVICE ENDPOINT, EXECUTE ALERT: everything the wizard needs (alerts included).
 * - restricted: the user only has SYNC_ROLE, which inherits DATA_READER (USAGE on DEMO_DB and DEMO_DB.PUBLIC,
 *   SELECT on the demo table and view) and holds USAGE on the warehouse and CREATE STREAM/TABLE/VIEW/TASK/SECRET/
 *   NETWORK RULE/IMAGE REPOSITORY/SERVICE on DEMO_DB.PUBLIC; it lacks CREATE COMPUTE POOL, CREATE INTEGRATION,
 *   EXECUTE TASK and EXECUTE MANAGED TASK on the account and does not own the view (cannot enable change tracking).
 * - admin-only: only ACCOUNTADMIN (the user's default role) has the account privileges; SYSADMIN keeps its
 *   defaults. ACCOUNTADMIN cannot own services (§6.3), so nothing can run the job as is.
 */
import { z } from 'zod';
import { SEED_DEFAULTS } from './engine/index.js';

export interface AccountProfile {
  name: string;
  description: string;
  /** Default role of the seeded user. */
  defaultRole: string;
  /** Roles granted to the seeded user (PUBLIC is implicit). */
  userRoles: string[];
  /** SQL run as ACCOUNTADMIN after the seed (CREATE ROLE, GRANT …), in order. */
  setup: string[];
}

export const PROFILE_NAMES = ['full', 'restricted', 'admin-only'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Account privileges ACCOUNTADMIN holds (granted by SYSTEM, shown by SHOW GRANTS TO ROLE ACCOUNTADMIN). */
export const ACCOUNT_PRIVILEGES = [
  'CREATE DATABASE', 'CREATE WAREHOUSE', 'CREATE ROLE', 'CREATE USER', 'MANAGE GRANTS', 'CREATE COMPUTE POOL', 'CREATE INTEGRATION',
  'CREATE EXTERNAL ACCESS INTEGRATION', 'EXECUTE TASK', 'EXECUTE MANAGED TASK', 'BIND SERVICE ENDPOINT', 'MONITOR EXECUTION',
  'EXECUTE ALERT', 'EXECUTE MANAGED ALERT',
];

export const SYSTEM_GRANTS: Array<[role: string, privileges: string[]]> = [
  ['ACCOUNTADMIN', ACCOUNT_PRIVILEGES],
  ['SECURITYADMIN', ['MANAGE GRANTS']],
  ['USERADMIN', ['CREATE ROLE', 'CREATE USER']],
  ['SYSADMIN', ['CREATE DATABASE', 'CREATE WAREHOUSE']],
];

const { database: DB, schema: SCHEMA, warehouse: WH } = SEED_DEFAULTS;

/** The restricted profile's grants on the demo table and view exist only with the `demo` seed. */
export function builtinProfile(name: ProfileName, seed: 'demo' | 'empty' = 'demo'): AccountProfile {
  switch (name) {
    case 'full':
      return {
        name, description: 'everything the wizard needs is granted to the default role SYSADMIN',
        defaultRole: 'SYSADMIN', userRoles: ['ACCOUNTADMIN', 'SYSADMIN'],
        setup: ['GRANT CREATE COMPUTE POOL, CREATE INTEGRATION, EXECUTE TASK, EXECUTE MANAGED TASK, BIND SERVICE ENDPOINT, EXECUTE ALERT ON ACCOUNT TO ROLE SYSADMIN'],
      };
    case 'restricted':
      return {
        name, description: 'SYNC_ROLE can read the demo view and create schema objects, but lacks CREATE COMPUTE POOL, CREATE INTEGRATION, EXECUTE TASK and EXECUTE MANAGED TASK',
        defaultRole: 'SYNC_ROLE', userRoles: ['SYNC_ROLE'],
        setup: [
          'CREATE ROLE DATA_READER', 'CREATE ROLE SYNC_ROLE', 'GRANT ROLE DATA_READER TO ROLE SYNC_ROLE', 'GRANT ROLE SYNC_ROLE TO ROLE SYSADMIN',
          `GRANT USAGE ON DATABASE ${DB} TO ROLE DATA_READER`, `GRANT USAGE ON SCHEMA ${DB}.${SCHEMA} TO ROLE DATA_READER`,
          ...(seed === 'demo' ? [`GRANT SELECT ON TABLE ${DB}.${SCHEMA}.CUSTOMERS TO ROLE DATA_READER`, `GRANT SELECT ON VIEW ${DB}.${SCHEMA}.CUSTOMER_PROFILES TO ROLE DATA_READER`] : []),
          `GRANT USAGE ON WAREHOUSE ${WH} TO ROLE SYNC_ROLE`,
          `GRANT CREATE STREAM, CREATE TABLE, CREATE VIEW, CREATE TASK, CREATE SECRET, CREATE NETWORK RULE, CREATE IMAGE REPOSITORY, CREATE SERVICE ON SCHEMA ${DB}.${SCHEMA} TO ROLE SYNC_ROLE`,
        ],
      };
    case 'admin-only':
      return { name, description: 'only ACCOUNTADMIN (the default role) has the account privileges', defaultRole: 'ACCOUNTADMIN', userRoles: ['ACCOUNTADMIN', 'SYSADMIN'], setup: [] };
  }
}

const profileSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  defaultRole: z.string().min(1),
  userRoles: z.array(z.string().min(1)).min(1),
  setup: z.array(z.string()).default([]),
});

/** A custom profile (e.g. the JSON of `--profile-file`); throws a readable error naming the bad field. */
export function parseProfile(value: unknown): AccountProfile {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid account profile: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const profile = { ...parsed.data, defaultRole: parsed.data.defaultRole.toUpperCase(), userRoles: parsed.data.userRoles.map((r) => r.toUpperCase()) };
  if (!profile.userRoles.includes(profile.defaultRole)) throw new Error(`invalid account profile: defaultRole ${profile.defaultRole} is not in userRoles`);
  return profile;
}

export function resolveProfile(profile: ProfileName | AccountProfile, seed: 'demo' | 'empty'): AccountProfile {
  if (typeof profile !== 'string') return parseProfile(profile);
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw new Error(`unknown account profile '${profile}' (expected ${PROFILE_NAMES.join(', ')})`);
  return builtinProfile(profile, seed);
}

/**
 * Login failures as Snowflake's GS answers them: HTTP 200, success:false, a 39xxxx code
 * (driver: lib/constants/gs_errors.ts; reference §3.1–3.2).
 */
import { randomUUID } from 'node:crypto';

export class LoginError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Server-side detail (what SYSTEM$GET_LOGIN_FAILURE_DETAILS would show); never sent to the client. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** Snowflake appends an incident UUID in brackets to token errors ("JWT token is invalid. [uuid]"). */
const withIncident = (message: string): string => `${message} [${randomUUID()}]`;

export const loginErrors = {
  badPassword: () => new LoginError('390100', 'Incorrect username or password was specified.'),
  invalidJwt: (detail: string) => new LoginError('390144', withIncident('JWT token is invalid.'), detail),
  invalidOAuth: () => new LoginError('390303', withIncident('Invalid OAuth access token.')),
  expiredOAuth: () => new LoginError('390318', withIncident('OAuth access token expired.')),
  /** Documented wording of the OAuth role-scope mismatch (Snowflake OAuth troubleshooting). */
  oauthRoleNotInScope: (role: string) =>
    new LoginError(
      '390186',
      `The role requested in the connection or the default role if none was requested in the connection ('${role}') is not listed in the Access Token or was filtered. Please specify another role, or contact your OAuth Authorization server administrator.`,
    ),
  /**
   * Snowflake does not document the MFA failure texts; 394507 is the code other clients treat as
   * "passcode rejected", 394508 the one for a denied/unanswered push. Messages are ours.
   */
  badPasscode: () => new LoginError('394507', 'Failed to authenticate: the MFA passcode is invalid.'),
  pushDenied: () => new LoginError('394508', 'Failed to authenticate: MFA push was not approved.'),
  /** Same code as a denied push (UNCONFIRMED: Duo reports an unanswered push as a denial after its timeout). */
  pushTimeout: () => new LoginError('394508', 'Failed to authenticate: MFA push timed out without an answer.'),
  /**
   * A password-only sign-in where the authentication policy requires MFA or blocks single-factor passwords
   * (https://docs.snowflake.com/en/user-guide/security-mfa-rollout). UNCONFIRMED: Snowflake's docs give neither
   * the code nor the text; the wording is the one clients report ("Multi-factor authentication is required for
   * this account. Log in to Snowsight to enroll.", e.g. PostHog/posthog#66419); the code is the stand-in's choice.
   */
  singleFactorBlocked: () => new LoginError('394304', 'Multi-factor authentication is required for this account. Log in to Snowsight to enroll.'),
  /** UNCONFIRMED code and text: the docs say an expired PAT cannot be used, not what the login answers. */
  expiredPat: () => new LoginError('394400', withIncident('Programmatic access token is expired.')),
  /** EXTERNALBROWSER: SAML token unknown, already used, or bound to another proof key. */
  invalidSamlToken: () => new LoginError('390120', withIncident('Invalid SAML response.')),
  browserUserMismatch: () =>
    new LoginError('390191', 'The user you were trying to authenticate as differs from the user currently logged in at the IDP.'),
  /** The stand-in's own wording (real accounts answer per their security integrations); a login failure either way. */
  unsupportedAuthenticator: (name: string) =>
    new LoginError('390100', `Authenticator '${name}' is not supported by this Snowflake stand-in.`),
  userDisabled: () => new LoginError('390101', 'User access disabled. Contact your local system administrator.'),
};

/** Session-level errors on authenticated endpoints. */
export const sessionErrors = {
  /** Unknown token: HTTP 401 with this body (the driver maps it to ERR_SF_RESPONSE_INVALID_TOKEN). */
  invalidToken: { success: false, code: '390104', message: 'Authentication token is invalid.', data: null, headers: null },
  /** Expired session token: HTTP 200, success:false; the driver renews with the master token and retries. */
  expiredToken: { success: false, code: '390112', message: 'Session token has expired.', data: { errorCode: '390112' }, headers: null },
  expiredMasterToken: { success: false, code: '390114', message: 'Authentication token has expired.  The user must authenticate again.', data: null, headers: null },
};

import { describe, expect, it } from 'vitest';
import { isUserError } from '../../shared/errors.js';
import { imageRef, parseRepositoryUrl, registryHost, specImagePath } from '../../src/adapters/docker/image-ref.js';

// Shape of repository_url from SHOW IMAGE REPOSITORIES (snowflake-spcs.md §2.4), with a made-up host.
const REPO_URL = 'MyOrg-MyAcct.registry.example.test/TUTORIAL_DB/data_schema/tutorial_repository';

describe('image references', () => {
  it('lowercases the host (docker keys credentials by the host as typed) and the path', () => {
    expect(registryHost(REPO_URL)).toBe('myorg-myacct.registry.example.test');
    expect(parseRepositoryUrl(`https://${REPO_URL}/`)).toEqual({
      host: 'myorg-myacct.registry.example.test',
      path: 'tutorial_db/data_schema/tutorial_repository',
    });
    expect(registryHost('127.0.0.1:5000/db/s/r')).toBe('127.0.0.1:5000');
  });

  it('builds the push reference and the service-spec image path', () => {
    expect(imageRef(REPO_URL, 'v2026.11.26-1')).toBe(
      'myorg-myacct.registry.example.test/tutorial_db/data_schema/tutorial_repository/batch-snowflake-worker:v2026.11.26-1',
    );
    expect(imageRef(REPO_URL, 'latest', 'my-job')).toMatch(/\/tutorial_repository\/my-job:latest$/);
    expect(specImagePath(REPO_URL, 'v1')).toBe('/tutorial_db/data_schema/tutorial_repository/batch-snowflake-worker:v1');
  });

  it.each([
    ['', 'BAD_REPOSITORY_URL'],
    ['host-only.example.test', 'BAD_REPOSITORY_URL'],
    ['host.example.test/db/"quoted"/repo', 'BAD_REPOSITORY_URL'],
    ['host.example.test/db/sch ema/repo', 'BAD_REPOSITORY_URL'],
  ])('rejects repository URL %j', (url, code) => {
    try {
      registryHost(url);
      expect.unreachable();
    } catch (error) {
      expect(isUserError(error) && error.code).toBe(code);
      expect(isUserError(error) && error.suggestion).toMatch(/SHOW IMAGE REPOSITORIES/);
    }
  });

  it.each([['-lead'], ['.dot'], ['has space'], ['x'.repeat(129)], ['a:b'], ['']])('rejects tag %j', (tag) => {
    expect(() => imageRef(REPO_URL, tag)).toThrow(/not a valid image tag/);
  });

  it('rejects an image name docker would refuse', () => {
    expect(() => imageRef(REPO_URL, 'v1', 'Upper')).toThrow(/not a valid image name/);
  });
});

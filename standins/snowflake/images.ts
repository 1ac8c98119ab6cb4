/**
 * `SHOW IMAGES IN IMAGE REPOSITORY <db>.<schema>.<repo>` read from the registry behind the account's registry
 * host (https://docs.snowflake.com/en/sql-reference/sql/show-images: columns created_on, image_name, tags,
 * digest, image_path; tags is a JSON array text). Needs READ on the repository, as the docs say; the stand-in
 * checks it through the privilege model when a profile is enforced.
 */
import type { EngineResult } from './engine-types.js';
import { Cursor } from './engine/cursor.js';
import { kindDoesNotExist } from './engine/errors.js';
import type { Token } from './engine/lexer.js';
import { qualify } from './engine/names.js';
import type { Session } from './engine/session.js';
import { showResult } from './engine/show-format.js';
import type { RegistryConfig } from './jobs/container-runner.js';

const COLUMNS = ['created_on', 'image_name', 'tags', 'digest', 'image_path'];

async function registryGet(registry: RegistryConfig, path: string, accept?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (registry.username && registry.password) headers.authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  if (accept) headers.accept = accept;
  return fetch(`http://${registry.host}${path}`, { headers });
}

export async function showImages(session: Session, sql: string, tokens: Token[], registry: RegistryConfig): Promise<EngineResult | undefined> {
  const c = new Cursor(sql, tokens);
  if (!c.accept('SHOW', 'IMAGES', 'IN', 'IMAGE', 'REPOSITORY')) return undefined;
  const parts = c.name();
  if (!c.atEnd()) throw c.error();
  const q = qualify(parts, session.context);
  const repo = session.core.catalog.object(q.database, q.schema, q.name);
  if (!repo || repo.kind !== 'IMAGE REPOSITORY') throw kindDoesNotExist('IMAGE REPOSITORY', parts.join('.'));
  session.core.authz.check(session.context.role, 'READ', 'IMAGE REPOSITORY', `${q.database}.${q.schema}.${q.name}`);
  const prefix = `${q.database}/${q.schema}/${q.name}/`.toLowerCase();
  const catalog = (await (await registryGet(registry, '/v2/_catalog?n=1000')).json()) as { repositories?: string[] };
  const rows = [];
  for (const repository of (catalog.repositories ?? []).filter((r) => r.startsWith(prefix))) {
    const { tags } = (await (await registryGet(registry, `/v2/${repository}/tags/list`)).json()) as { tags?: string[] | null };
    for (const tag of tags ?? []) {
      const manifest = await registryGet(registry, `/v2/${repository}/manifests/${tag}`, 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json');
      rows.push({ created_on: new Date(), image_name: repository.slice(prefix.length), tags: JSON.stringify([tag]), digest: manifest.headers.get('docker-content-digest'), image_path: `${repository}:${tag}` });
    }
  }
  return showResult(COLUMNS, rows, {}, 'image_name');
}

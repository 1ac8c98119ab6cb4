/**
 * snowflake-sdk requires, when it is loaded, the cloud SDKs of features batch-snowflake never uses: PUT/GET file
 * transfer to Azure (lib/file_transfer_agent/azure_util.js: @azure/storage-blob) and workload-identity sign-in
 * (lib/authentication/auth_workload_identity/attestation_{aws,azure,gcp}.js: @aws-sdk/*, @azure/identity with
 * @azure/msal-node, google-auth-library), and the winston logger a silenced driver never writes to. Measured (issue 21): about 40 % of the driver's require time, the largest
 * share of the worker's start. Each of these requires, made by the driver's own files only, gets a stand-in object
 * that loads the real module on first use, so nothing changes for a caller that does use one of those features.
 */
import { createRequire } from 'node:module';

const LAZY = new Set([
  '@azure/storage-blob', '@azure/identity', 'google-auth-library',
  '@aws-sdk/client-sts', '@aws-sdk/credential-provider-node', '@aws-sdk/ec2-metadata-service',
  // lib/logger/node.js creates its winston logger "for the first log operation"; with logLevel OFF (client.ts) none.
  'winston',
]);
const FROM_DRIVER = /[\\/]snowflake-sdk[\\/]dist[\\/]lib[\\/]/;

/** A module namespace that requires the real one on its first property access. */
function lazyModule(load: () => object): object {
  let real: object | undefined;
  const module = () => (real ??= load());
  return new Proxy({}, {
    get: (_target, key) => Reflect.get(module(), key),
    has: (_target, key) => Reflect.has(module(), key),
    ownKeys: () => Reflect.ownKeys(module()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

let installed = false;

/** Installs the lazy requires (once per process), before the driver is imported. */
export function deferUnusedDriverDependencies(): void {
  if (installed) return;
  installed = true;
  const Module = createRequire(import.meta.url)('node:module') as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };
  const load = Module._load;
  Module._load = function lazyLoad(request, parent, isMain) {
    if (LAZY.has(request) && parent?.filename && FROM_DRIVER.test(parent.filename)) {
      return lazyModule(() => load.call(Module, request, parent, isMain) as object);
    }
    return load.call(Module, request, parent, isMain);
  };
}

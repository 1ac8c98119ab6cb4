/**
 * The architecture as rules (`npm run lint:deps`, part of `npm test`): no import cycles in the product, and
 * no layer imports a layer above it. Layers of the CLI, top to bottom:
 *   cli → commands → wizard → operate → apply → introspect → plan → config → runtime → adapters → shared
 * worker/ is the second entry point: it may import only shared/. shared/ imports neither. Nothing in the
 * product imports the stand-ins (standins/) or the tests.
 * One door from the CLI into the worker: `batch-snowflake sync` (src/commands/sync.ts) and `run --limit/--ids`
 * (src/commands/first-send.ts) run the worker's own run function (worker/run-worker.ts) so that a run from
 * here is the image's code, not a second copy. No other CLI module imports worker/, and those two import
 * nothing else of it. What both sides merely share
 * (payload, Snowflake client, the control table) lives in shared/.
 */
const { existsSync } = require('node:fs');

const LAYERS = ['src/cli', 'src/commands', 'src/wizard', 'src/operate', 'src/apply', 'src/introspect', 'src/plan', 'src/config', 'src/runtime', 'src/adapters', 'shared'];
const escape = (path) => path.replace(/\//g, '\\/');

const layerRules = LAYERS.slice(1).map((layer, index) => {
  const above = LAYERS.slice(0, index + 1);
  return {
    name: `layer-${layer.replace(/^src\//, '')}`,
    comment: `${layer}/ sits below ${above.join(', ')}: it may not import them`,
    severity: 'error',
    from: { path: `^${escape(layer)}/` },
    to: { path: `^(${above.map(escape).join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle hides which module depends on which',
      severity: 'error',
      from: { path: '^(src|shared|worker)/' },
      to: { circular: true },
    },
    {
      name: 'product-not-on-standins-or-tests',
      comment: 'the CLI, the worker and shared code never import the stand-ins or the tests',
      severity: 'error',
      from: { path: '^(src|worker|shared)/' },
      to: { path: '^(standins|test)/' },
    },
    {
      name: 'worker-only-on-shared',
      comment: 'the worker image ships dist/worker and dist/shared only: it may not import the CLI (src/)',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^src/' },
    },
    {
      name: 'cli-not-on-worker',
      comment: 'the CLI reaches the worker only through src/commands/sync.ts and first-send.ts (one worker run); shared code goes in shared/. Type-only imports (the runs table row shape) compile away and stay allowed',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/commands/(sync|first-send)\\.ts$' },
      to: { path: '^worker/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-sync-on-worker-entry-only',
      comment: 'sync.ts and first-send.ts import the worker through its run function only (worker/run-worker.ts), never its internals',
      severity: 'error',
      from: { path: '^src/commands/(sync|first-send)\\.ts$' },
      to: { path: '^worker/', pathNot: '^worker/run-worker\\.ts$' },
    },
    {
      name: 'shared-imports-neither',
      comment: 'shared/ is used by the CLI and the worker: it imports neither',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(src|worker)/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    // The test of these rules runs them on a small tree of its own, without a tsconfig.
    ...(existsSync('tsconfig.test.json') ? { tsConfig: { fileName: 'tsconfig.test.json' } } : {}),
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};

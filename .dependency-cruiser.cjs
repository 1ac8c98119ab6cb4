/**
 * The architecture as rules (`npm run lint:deps`, also run by `npm test`): no import cycles, and no layer
 * imports one above it. Layers, top to bottom:
 *   src/cli → src/commands → src/wizard, src/operate → src/apply → src/introspect → src/plan, src/config
 *   → src/adapters (docker, proc, ui) → shared/ (payload, snowflake, sql, errors)
 * worker/ is a second entry point beside src/: it may import only shared/. Nothing in the product imports
 * the stand-ins (standins/) or the tests.
 */
const layer = (name, path, mayNotImport) => ({
  name: `layer-${name}`,
  comment: `${name} may not import ${mayNotImport.join(', ')} (a lower layer never imports a higher one)`,
  severity: 'error',
  from: { path },
  to: { path: `^(${mayNotImport.map((p) => p.replace(/\//g, '\\/')).join('|')})` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'import cycles hide which module depends on which', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'product-not-on-standins-or-tests',
      comment: 'the CLI, the worker and shared code never import the stand-ins or the tests',
      severity: 'error',
      from: { path: '^(src|worker|shared)/' },
      to: { path: '^(standins|test)/' },
    },
    layer('shared', '^shared/', ['src/', 'worker/']),
    layer('worker', '^worker/', ['src/']),
    layer('cli-only', '^(src/(commands|wizard|operate|apply|introspect|plan|config|adapters)|shared|worker)/', ['src/cli/']),
    layer('commands', '^(src/(wizard|operate|apply|introspect|plan|config|adapters)|shared|worker)/', ['src/commands/']),
    layer('wizard', '^src/(operate|apply|introspect|plan|config|adapters)/', ['src/wizard/']),
    layer('operate', '^src/(wizard|apply|introspect|plan|config|adapters)/', ['src/operate/']),
    layer('apply', '^src/(introspect|plan|config|adapters)/', ['src/apply/']),
    layer('introspect', '^src/(plan|config|adapters)/', ['src/introspect/']),
    layer('plan', '^src/(config|adapters)/', ['src/plan/']),
    layer('config', '^src/(plan|adapters)/', ['src/config/']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};

const max = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const at = { };
const t = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(max)) if (m[k] > max[k]) { max[k] = m[k]; }
  if (m.rss >= max.rss) at.rssPeak = { ...m };
}, 50);
t.unref();
process.on('exit', () => {
  const mb = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v / 1048576)]));
  process.stderr.write(`MEMSAMPLE ${JSON.stringify({ max: mb(max), atRssPeak: mb(at.rssPeak ?? {}) , maxRSSru: Math.round(process.resourceUsage().maxRSS/1024)})}\n`);
});

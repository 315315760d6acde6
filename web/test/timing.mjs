// How long the explorer's page takes in headless Chromium (a measurement, not a test).
//
//   node web/test/timing.mjs URL [NODE_ID...]
//
// Prints the time from navigation until the page is interactive (its status and inventory
// summary loaded, the search box wired), then, for each NODE_ID, the time from opening
// the permalink ?node=NODE_ID until the affected count, the table and the graph are drawn.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, ...nodes] = process.argv.slice(2);
if (!url) {
  console.error('usage: node timing.mjs URL [NODE_ID...]');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'ripplemap-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  for (let run = 1; run <= 3; run++) {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120000 });
    const ms = Date.now() - t0;
    const ready = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return n ? Math.round(n.domContentLoadedEventEnd) : null;
    });
    console.log('interactive (run ' + run + '): ' + ms + ' ms (DOMContentLoaded at ' + ready + ' ms)');
  }
  for (const id of nodes) {
    const t0 = Date.now();
    await page.goto(new URL('/?node=' + encodeURIComponent(id), url).toString());
    await page.waitForSelector('#count-affected', { timeout: 120000 });
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 120000 });
    await page.waitForSelector('#graph svg');
    const ms = Date.now() - t0;
    const count = await page.$eval('#count-affected', (e) => e.dataset.count);
    const rows = await page.$$eval('#affected-body tr', (r) => r.length);
    const drawn = await page.$$eval('#graph svg g.node, #graph svg g.more', (g) => g.length);
    const elements = await page.$$eval('#graph svg *', (g) => g.length);
    const d = await page.evaluate(() => ({ ...document.body.dataset }));
    console.log('fail ' + id + ': ' + ms + ' ms from navigation to ' + count + ' affected shown ('
      + 'fetch and parse ' + d.fetchMs + ' ms, render ' + d.renderMs + ' ms of which table '
      + d.tableMs + ' ms and graph ' + d.graphMs + ' ms; ' + rows + ' table rows, ' + drawn
      + ' node and count boxes, ' + elements + ' SVG elements)');
    const name = 'explorer-50k-' + id.replace(/[^a-z0-9-]/gi, '_');
    await page.screenshot({ path: join(process.env.RIPPLEMAP_SHOTS || 'out', name + '.png') });
    await page.locator('#graph').screenshot({ path: join(process.env.RIPPLEMAP_SHOTS || 'out', name + '-graph.png') });
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

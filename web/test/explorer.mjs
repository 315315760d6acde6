// Drives the ripplemap explorer in Debian's headless Chromium with playwright-core.
//
//   node web/test/explorer.mjs URL [HOSTILE_URL] [EXPECT_JSON] [RELOAD_URL RELOAD_FILE]
//
// URL serves inventories/korea-egov.toml; HOSTILE_URL (optional, "-" to skip) serves
// tests/fixtures/render/hostile.toml; RELOAD_URL serves the TOML file RELOAD_FILE, which
// this script breaks and mends to see the reload banner. EXPECT_JSON gives the CLI's counts:
//   {"forever": N, "hours0": N, "hours24": N, "change": N}
// (tests/explorer.rs computes them with `ripplemap impact|change --format json`).
// Screenshots go to $RIPPLEMAP_SHOTS (default out/) as explorer-*.png. Exit code 0 when
// every check passed; the last line says "N passed, 0 failed".
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, hostileUrl = '-', expectJson = '{}', reloadUrl, reloadFile] = process.argv.slice(2);
if (!url) {
  console.error('usage: node explorer.mjs URL [HOSTILE_URL] [EXPECT_JSON]');
  process.exit(2);
}
const expect = JSON.parse(expectJson);
const shots = process.env.RIPPLEMAP_SHOTS || 'out';
mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const timing = process.env.RIPPLEMAP_TIMING === '1';

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log('ok   ' + what);
  } else {
    failed += 1;
    console.log('FAIL ' + what);
  }
}

const problems = [];
function watch(page, label, allow4xx = false) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !(allow4xx && /status of 4\d\d/.test(m.text()))) problems.push(label + ' console error: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push(label + ' page error: ' + e.message));
  page.on('requestfailed', (r) => problems.push(label + ' request failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
  page.on('response', (r) => {
    if (r.status() >= (allow4xx ? 500 : 400)) problems.push(label + ' HTTP ' + r.status() + ': ' + r.url());
  });
  page.on('dialog', (d) => {
    problems.push(label + ' dialog opened: ' + d.message());
    d.dismiss().catch(() => {});
  });
}

const count = (page) => page.$eval('#count-affected', (e) => Number(e.dataset.count)).catch(() => NaN);

async function waitCount(page, n, what) {
  try {
    await page.waitForFunction(
      (want) => {
        const e = document.getElementById('count-affected');
        return e && Number(e.dataset.count) === want && !document.body.classList.contains('busy');
      },
      n,
      { timeout: 15000 },
    );
    check(true, what + ': ' + n);
  } catch (e) {
    check(false, what + ': expected ' + n + ', shown ' + (await count(page)));
  }
}

const profile = mkdtempSync(join(tmpdir(), 'ripplemap-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  acceptDownloads: true,
  locale: 'en-US',
  viewport: { width: 1600, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] || (await context.newPage());
  watch(page, 'main');

  // 1. The page opens and becomes interactive.
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  const interactive = Date.now() - t0;
  check(true, 'page interactive after ' + interactive + ' ms');
  if (timing) console.log('TIMING interactive_ms=' + interactive);
  const csp = (await page.request.get(url)).headers()['content-security-policy'] || '';
  check(csp.includes("script-src 'self'") && !csp.includes('unsafe'), 'strict Content-Security-Policy');

  // 2. Search 정부: 정부24 is suggested; arrows and Esc work.
  const search = page.locator('#search');
  await search.click();
  await search.pressSequentially('정부', { delay: 30 });
  await page.waitForSelector('#suggestions li.option', { timeout: 10000 });
  const names = await page.$$eval('#suggestions li.option .opt-name', (els) => els.map((e) => e.textContent));
  check(names.includes('정부24'), 'typing 정부 suggests 정부24 (' + names.join(', ') + ')');
  await search.press('ArrowDown');
  const active = await page.$eval('#search', (e) => e.getAttribute('aria-activedescendant'));
  check(active === 'opt-1', 'ArrowDown moves the active suggestion');
  await page.screenshot({ path: join(shots, 'explorer-search.png') });
  await search.press('Escape');
  check(await page.$eval('#suggestions', (e) => e.hidden), 'Esc closes the suggestions');
  await search.fill('');

  // 3. Fail gpki with the keyboard.
  await search.pressSequentially('gpki', { delay: 20 });
  await page.waitForSelector('#suggestions li.option[data-id="gpki"]', { timeout: 10000 });
  const first = await page.$eval('#suggestions li.option', (e) => e.dataset.id);
  check(first === 'gpki', 'exact match ranked first');
  await search.press('Enter');
  await page.waitForSelector('#chips li[data-id="gpki"]');
  check(true, 'gpki chip shown');

  // 4. The affected count is the CLI's (outage for ever).
  if (expect.forever !== undefined) await waitCount(page, expect.forever, 'affected count for ever equals the CLI');
  const rowsShown = await page.$$eval('#affected-body tr', (r) => r.length);
  check(rowsShown === expect.forever, 'table lists every affected node (' + rowsShown + ')');
  const drawn = await page.$$eval('#graph svg g.node', (g) => g.length);
  check(drawn > 0 && drawn <= 150, 'graph draws ' + drawn + ' nodes');
  await page.screenshot({ path: join(shots, 'explorer-impact.png'), fullPage: true });

  // Sorting and filtering.
  await page.click('th button[data-key="grade"]');
  const grades = await page.$$eval('#affected-body tr td:nth-child(4)', (c) => c.map((x) => x.textContent));
  const numeric = grades.map((g) => (g === '–' ? 99 : Number(g)));
  check(numeric.every((g, i) => i === 0 || numeric[i - 1] <= g), 'sorted by grade');
  // The server filters (the page asks with state=degraded): wait for its answer.
  await page.selectOption('#filter-state', 'degraded');
  const onlyDegraded = () => {
    const s = [...document.querySelectorAll('#affected-body tr .state')];
    return s.length > 0 && s.every((x) => x.className.includes('degraded'));
  };
  await page.waitForFunction(onlyDegraded, null, { timeout: 10000 }).catch(() => {});
  const states = await page.$$eval('#affected-body tr .state', (s) => [...new Set(s.map((x) => x.className))]);
  check(states.length === 1 && states[0].includes('degraded'), 'filtered to degraded');
  const counted = await page.$eval('#table-count', (e) => e.textContent);
  check(/\(/.test(counted), 'the count says the rows are filtered: ' + counted);
  await page.selectOption('#filter-state', '');
  await page.waitForFunction((n) => document.querySelectorAll('#affected-body tr').length === n,
    expect.forever, { timeout: 10000 }).catch(() => {});
  await page.click('th button[data-key="hour"]');

  // 5. The slider: Home = 0 h, then 24 steps right = 24 h; the count follows the CLI.
  await page.focus('#hours');
  await page.keyboard.press('Home');
  if (expect.hours0 !== undefined) await waitCount(page, expect.hours0, 'affected count at 0 h equals the CLI');
  for (let i = 0; i < 24; i++) await page.keyboard.press('ArrowRight');
  if (expect.hours24 !== undefined) await waitCount(page, expect.hours24, 'affected count at 24 h equals the CLI');
  const permalink = page.url();
  check(/node=gpki/.test(permalink) && /hours=24/.test(permalink), 'the URL holds the scenario: ' + permalink);
  await page.screenshot({ path: join(shots, 'explorer-hours.png'), fullPage: true });

  // Neighbourhood: click gov24 in the graph.
  await page.click('#graph g.node[data-id="gov24"]');
  await page.waitForSelector('#node-panel:not([hidden]) #node-providers li');
  const title = await page.textContent('#node-title');
  check(title.includes('정부24'), 'clicking a node opens its neighbourhood: ' + title);
  const hot = await page.$$eval('#graph path[stroke="#b71c1c"]', (p) => p.length);
  check(hot >= 1, 'its witness path is highlighted (' + hot + ' edges)');
  await page.screenshot({ path: join(shots, 'explorer-node.png') });
  await page.click('#node-close');

  // Exports: JSON (the API document), SVG, Markdown.
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const jsonText = readFileSync(await json.path(), 'utf8');
  const doc = JSON.parse(jsonText);
  check(doc.summary.down + doc.summary.degraded === expect.hours24, 'JSON export is the impact document');
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgText = readFileSync(await svgDl.path(), 'utf8');
  check(svgText.startsWith('<?xml') && svgText.includes('<svg') && svgText.includes('gov24'), 'SVG export');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#export-md')]);
  const mdText = readFileSync(await md.path(), 'utf8');
  check(mdText.startsWith('# Interconnection impact assessment: `gpki`') && mdText.includes('24 h'),
    'Markdown assessment export (window 24 h)');

  // 6. Change mode: who must retest.
  await page.click('#mode-change');
  if (expect.change !== undefined) await waitCount(page, expect.change, 'change mode count equals the CLI');
  check(/mode=change/.test(page.url()), 'the URL holds the mode');
  check(await page.$eval('#hours-box', (e) => e.hidden), 'no outage length in change mode');
  await page.screenshot({ path: join(shots, 'explorer-change.png'), fullPage: true });

  // Korean.
  await page.click('#lang-toggle');
  const ko = await page.textContent('#mode-impact');
  check(ko === '장애', 'Korean labels after the toggle');
  await page.screenshot({ path: join(shots, 'explorer-ko.png'), fullPage: true });

  // 7. The permalink reopens the same scenario in a fresh page.
  const again = await context.newPage();
  watch(again, 'permalink');
  await again.goto(permalink);
  await again.waitForSelector('body[data-ready="true"]');
  if (expect.hours24 !== undefined) await waitCount(again, expect.hours24, 'permalink restores the 24 h scenario');
  check(await again.$eval('#hours', (e) => e.value) === '24', 'permalink restores the slider');
  check((await again.$$eval('#chips li[data-id="gpki"]', (l) => l.length)) === 1, 'permalink restores the chip');
  await again.screenshot({ path: join(shots, 'explorer-permalink.png'), fullPage: true });

  // An unknown id in a link: the error names it and offers the closest ids.
  const bad = await context.newPage();
  watch(bad, 'bad', true);
  await bad.goto(new URL('/?node=gpkk', url).toString());
  await bad.waitForSelector('#error:not([hidden]) button.suggestion');
  check((await bad.textContent('#error')).includes('gpki'), 'unknown id: the closest id is offered');
  await bad.click('#error button.suggestion');
  if (expect.forever !== undefined) await waitCount(bad, expect.forever, 'the suggestion fixes the scenario');
  await bad.close();

  // Hostile names stay text.
  if (hostileUrl !== '-') {
    const h = await context.newPage();
    watch(h, 'hostile');
    await h.goto(new URL('/?node=auth&lang=en', hostileUrl).toString());
    await h.waitForSelector('body[data-ready="true"]');
    await h.waitForSelector('#affected-body tr[data-id="portal"]');
    const scripts = await h.$$eval('script', (s) => s.length);
    check(scripts === 1, 'no script injected (' + scripts + ' script element)');
    const cell = await h.$eval('#affected-body tr[data-id="portal"] td:nth-child(5)', (c) => c.textContent);
    check(cell === 'A&B <Ministry>', 'a hostile agency is shown as text: ' + cell);
    const b = await h.$$eval('#affected-body b, #graph b', (x) => x.length);
    check(b === 0, 'no markup from names');
    await h.click('#graph g.node[data-id="auth"]');
    await h.waitForSelector('#node-panel:not([hidden]) #node-consumers li');
    const panel = await h.textContent('#node-title');
    check(panel.includes('<b>bold</b>'), 'the neighbourhood title keeps the name as text');
    await h.screenshot({ path: join(shots, 'explorer-hostile.png'), fullPage: true });
    await h.close();
  }

  // A reload that fails: the banner shows the diagnostics, the last good version stays.
  if (reloadUrl && reloadFile) {
    const p = await context.newPage();
    watch(p, 'reload');
    await p.goto(new URL('/?lang=en', reloadUrl).toString());
    await p.waitForSelector('body[data-ready="true"]');
    const good = readFileSync(reloadFile, 'utf8');
    writeFileSync(reloadFile, good + '\n[[system]]\nid = "broken"\nkind = "servce"\n');
    await p.waitForSelector('#banner:not([hidden])', { timeout: 20000 });
    const lines = await p.textContent('#banner-lines');
    check(lines.includes('servce') && lines.includes('did you mean `service`?'), 'the banner shows the diagnostics');
    check((await p.textContent('#banner-title')).includes('version 1'), 'the banner names the version still served');
    await p.screenshot({ path: join(shots, 'explorer-banner.png') });
    writeFileSync(reloadFile, good + '\n[[system]]\nid = "added"\nname = "추가된 시스템"\n');
    await p.waitForSelector('#banner', { state: 'hidden', timeout: 20000 });
    await p.waitForFunction(() => document.getElementById('export-note').textContent.includes('version 2'), null, { timeout: 20000 });
    check(true, 'the mended inventory is reloaded (version 2) and the banner goes');
    await p.close();
  }

  check(problems.length === 0, 'no console error, page error, dialog or failed request'
    + (problems.length ? ':\n  ' + problems.join('\n  ') : ''));
} catch (e) {
  check(false, 'unexpected: ' + (e && e.stack ? e.stack : e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);

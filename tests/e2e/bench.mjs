// Figures of the viewer in Debian's chromium, headless, against a running server:
//   node bench.mjs BASE_URL [RUNS] [VIEW]     (VIEW: what follows # in the viewer's URL, e.g.
//   tiles=0 to draw a large portfolio as GeoJSON, tiles=1 to draw the seeds from tiles)
// Prints the time to the county outlines (first paint), to every layer drawn (ready), the
// projects' download and drawing, a pan at zoom 8 and the table's update. Not a test: nothing
// here passes or fails; the figures go in notes and the README.
import { chromium } from 'playwright-core';

const base = process.argv[2];
const runs = Number(process.argv[3] || 3);
const view = process.argv[4] ? '#' + process.argv[4] : '';
if (!base) {
  console.error('usage: node bench.mjs BASE_URL [RUNS]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const t0 = Date.now();
    await page.goto(base + '/' + view);
    await page.waitForFunction(() => document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg'), null, { timeout: 120000, polling: 10 });
    const outlines = Date.now() - t0;
    await page.waitForFunction(() => window.planmap && (window.planmap.ready || window.planmap.errors.length), null, { timeout: 300000 });
    // drawn from tiles, every layer is drawn once the tiles in view are
    await page.waitForFunction(() => window.planmap.mode !== 'tiles' || window.planmap.errors.length || (window.planmap.tiles && window.planmap.tiles.ready), null, { timeout: 300000, polling: 10 });
    const ready = Date.now() - t0;
    const app = await page.evaluate(() => ({ total: window.planmap.total, mode: window.planmap.mode, errors: window.planmap.errors, timings: window.planmap.timings }));
    if (app.errors.length) throw new Error(app.errors.join('; '));
    // a pan at zoom 8 over 塔城: markers and clusters redrawn, or tiles fetched and drawn; the
    // table rebuilt (drawn from tiles, asked of the server)
    await page.evaluate(() => { window.planmap.map.setView([46.75, 82.98], 8, { animate: false }); });
    await page.waitForFunction(() => window.planmap.mode !== 'tiles' || window.planmap.tiles.ready, null, { timeout: 60000, polling: 10 });
    await page.waitForTimeout(300);
    const pan = await page.evaluate(() => new Promise((resolve) => {
      const app = window.planmap;
      const t = performance.now();
      app.map.panBy([200, 100], { animate: false });
      const done = () => {
        const drawn = app.mode !== 'tiles' || app.tiles.ready;
        if (drawn && app.tableShownAt >= t) resolve(Math.round(performance.now() - t)); else setTimeout(done, 2);
      };
      done();
    }));
    const heap = await page.evaluate(() => (performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null));
    rows.push({ outlines, ready, load: app.timings.load_ms, draw: app.timings.draw_ms, pan, heap, total: app.total, mode: app.mode });
    await page.close();
  }
  const m = (k) => median(rows.map((r) => r[k]));
  console.log('projects ' + rows[0].total + ', drawn from ' + (rows[0].mode === 'tiles' ? 'vector tiles' : 'GeoJSON') + ', ' + runs + ' runs, medians:');
  console.log('  county outlines painted  ' + m('outlines') + ' ms');
  console.log('  every layer drawn        ' + m('ready') + ' ms');
  if (rows[0].mode !== 'tiles') {
    console.log('  projects downloaded      ' + m('load') + ' ms');
    console.log('  clusters, lines, table   ' + m('draw') + ' ms');
  }
  console.log('  pan at zoom 8 (redrawn, table too) ' + m('pan') + ' ms');
  console.log('  JS heap                  ' + m('heap') + ' MB');
} finally {
  await browser.close();
}

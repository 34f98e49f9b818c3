// Screenshots of the viewer for docs/: node screenshots.mjs BASE_URL OUT_DIR
// (needs fonts-noto-cjk for the Chinese names).
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node screenshots.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const ready = (p) => p.waitForFunction(() => window.planmap && window.planmap.ready, null, { timeout: 60000 });
try {
  const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await p.goto(base + '/');
  await ready(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: out + '/viewer.png' });

  // 塔城 at zoom 8: county names, numbered markers, the table below
  await p.goto(base + '/#8/46.55/83.6');
  await p.reload();
  await ready(p);
  await p.waitForTimeout(300);
  await p.screenshot({ path: out + '/tacheng.png' });

  // a numbered marker opened, counties shaded by their projects
  await p.goto(base + '/#7/45.0/85.5&shade=projects');
  await p.reload();
  await ready(p);
  await p.waitForTimeout(300);
  const c = await p.evaluate(() => window.planmapClusterPoint());
  if (c) await p.mouse.click(c.x, c.y);
  await p.waitForTimeout(400);
  await p.screenshot({ path: out + '/cluster.png' });

  const t = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await t.goto(base + '/plans/002_ad85a8b65c4c4e5d/text#L682');
  await t.waitForTimeout(300);
  await t.screenshot({ path: out + '/plan-text.png' });
  console.log('screenshots in ' + out);
} finally {
  await browser.close();
}

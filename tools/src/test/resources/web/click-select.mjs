// Drives the web board in Debian's headless Chromium with playwright-core: a real click on the
// SELECT button, then waits (the page refreshes itself every second) until the LCD shows the
// page's title and the journey's ladder is on the page, and saves a screenshot.
// Usage: node click-select.mjs URL SCREENSHOT.png TITLE
import { chromium } from 'playwright-core';

const [url, png, title] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
  await page.goto(url);
  await page.click('#SELECT');
  let html = '';
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    html = await page.content();
    if (html.includes(title) && html.includes('<svg')) break;
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: png, fullPage: true });
  console.log(html.includes(title) && html.includes('<svg') ? 'CLICKED: title and ladder shown' : 'MISSING after the click:\n' + html);
} finally {
  await browser.close();
}

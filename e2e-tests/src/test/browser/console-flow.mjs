// The console's main path in a real browser: a wrong key is refused, the right one accepted; a
// prompt submitted in the form shows live progress from the event stream, its image appears, and
// the gallery shows it with its parameters. Run by ConsoleBrowserTest (Java) with:
//   CONSOLE_URL  the gateway's console page       API_KEY     a valid key
//   CHROMIUM     the browser executable           SCREENSHOT  where to write the final screenshot
import { chromium } from 'playwright-core';

const { CONSOLE_URL, API_KEY, CHROMIUM, SCREENSHOT } = process.env;
const TIMEOUT = 120_000;

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Closed network here: no background connections, no component updates.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(CONSOLE_URL);

  // A wrong key: the gateway's reason is shown, nothing else happens.
  await page.fill('#api-key', 'stp_000000000bad_wrong-key');
  await page.click('#save-key');
  await page.waitForFunction(() => document.querySelector('#key-status').textContent.includes('HTTP 401'));
  console.log(`wrong key: ${await page.textContent('#key-status')}`);

  await page.fill('#api-key', API_KEY);
  await page.click('#save-key');
  await page.waitForFunction(() => document.querySelector('#key-status').textContent === 'key accepted');
  await page.waitForFunction(() => document.querySelectorAll('#model option[value^="stipple-base-16@"]').length > 0);

  // Every progress text the page shows, recorded as it changes.
  await page.evaluate(() => {
    window.seenProgress = [];
    new MutationObserver(() => window.seenProgress.push(
      `${document.querySelector('#progress-stage').textContent} ${document.querySelector('#progress-text').textContent}`))
      .observe(document.querySelector('#progress-text'), { childList: true, characterData: true, subtree: true });
  });
  await page.fill('#prompt', 'a small green triangle in the top left on a black background');
  await page.fill('#seed', '21');
  await page.fill('#steps', '12');
  await page.click('#generate-submit');

  await page.waitForFunction(() => document.querySelector('#generate-job').textContent.trim() !== '');
  const jobId = (await page.textContent('#generate-job')).trim();
  check(/^[0-9a-f-]{36}$/.test(jobId), `a job id is shown, got "${jobId}"`);
  await page.waitForFunction(() => document.querySelector('#job-status').textContent.startsWith('succeeded'), null,
    { timeout: TIMEOUT });
  const progress = await page.evaluate(() => window.seenProgress);
  console.log(`progress seen: ${JSON.stringify(progress)}`);
  check(progress.some((p) => p.startsWith('base ')), 'progress of the base stage was shown');
  check(progress.at(-1) === 'base 12/12', `the last progress is the base stage done, got ${progress.at(-1)}`);

  const result = page.locator('#result img').first();
  await result.waitFor();
  await page.waitForFunction(() => document.querySelector('#result img').naturalWidth > 0);
  check(await result.evaluate((img) => img.naturalWidth) === 16, 'the result image is the 16x16 base render');

  await page.click('nav button[data-tab="gallery"]');
  const figure = page.locator(`#gallery figure[data-job-id="${jobId}"]`);
  await figure.waitFor();
  await page.waitForFunction((id) => document.querySelector(`#gallery figure[data-job-id="${id}"] img`)?.naturalWidth > 0, jobId);
  const caption = await figure.locator('figcaption').textContent();
  console.log(`gallery caption: ${caption}`);
  check(caption.includes('a small green triangle') && caption.includes('seed') && caption.includes('21'),
    'the gallery shows the prompt and the seed');

  await page.click('nav button[data-tab="jobs"]');
  await page.locator(`#jobs tr[data-job-id="${jobId}"]`).waitFor();

  // Going back refreshes the gallery: new <img> elements with new presigned URLs. Wait for the new
  // figures and for every image to have loaded, or the screenshot shows blank boxes (once read as a
  // "plain white" sample) and a broken image would go unnoticed.
  await page.evaluate(() => document.querySelectorAll('#gallery figure').forEach((f) => { f.dataset.stale = 'true'; }));
  await page.click('nav button[data-tab="gallery"]');
  await page.waitForFunction((id) => document.querySelector(`#gallery figure[data-job-id="${id}"]:not([data-stale])`)
    && [...document.querySelectorAll('#gallery img')].every((img) => img.complete), jobId);
  const broken = await page.evaluate(() => [...document.querySelectorAll('#gallery img')]
    .filter((img) => img.naturalWidth === 0).map((img) => img.closest('figure')?.dataset.jobId));
  check(broken.length === 0, `every gallery image loads; not those of jobs ${broken.join(', ')}`);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  check(consoleErrors.length === 0, `no script errors in the page: ${consoleErrors.join('; ')}`);
  console.log(`console flow passed for job ${jobId}`);
} finally {
  await browser.close();
}

import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readToken, startTestApi, type TestApi } from './support/api.js';
import { consoleConfig, hasChromium, launchChromium, seedConsole, seeded } from './support/browser.js';
import { createTestRedis, type TestRedis } from './support/redis.js';

/*
 * The console in a real headless Chromium: an agent logs in, asks the check, reads the answer; the
 * board, an incident and a vendor page; the form by keyboard alone. With UPCAUSE_SCREENSHOTS=1 the
 * pages are also saved under docs/ for the README (normal runs leave docs/ alone).
 */

const screenshots = process.env.UPCAUSE_SCREENSHOTS === '1';
const desktop = { width: 1280, height: 860 };
const phone = { width: 390, height: 844 };

/** Saves the page (at most `maxHeight` pixels of it) as docs/<name>.png, when asked to. */
async function shoot(page: Page, name: string, maxHeight = 2000): Promise<void> {
  if (!screenshots) return;
  mkdirSync('docs', { recursive: true });
  const { width, height } = await page.evaluate<{ width: number; height: number }>(
    '({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })',
  );
  await page.screenshot({
    path: `docs/${name}.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) },
  });
}

/** Logs in through the form, as a person would. */
async function logIn(page: Page, base: string, next = '/'): Promise<void> {
  await page.goto(`${base}${next}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('API token').fill(readToken);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

// A loaded CI machine starts pages slowly; nothing here is timed, so generous limits cost nothing.
describe.skipIf(!hasChromium())('console in headless Chromium', { timeout: 30_000 }, () => {
  let t: TestRedis;
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestRedis('browser');
    await seedConsole(t, Date.now());
    api = await startTestApi(t, consoleConfig(t, { tokens: true }), 'browser');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: desktop, javaScriptEnabled: false });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close();
    await t?.cleanup();
  });

  test('an agent logs in with a token, and the board shows every seeded vendor', async () => {
    const page = await context.newPage();
    await logIn(page, api.url);
    const vendors = await page.locator('table.board tbody th a').allTextContents();
    expect(vendors).toEqual(['100ms', 'Stripe', 'Twilio', 'Cloudflare']);
    await expect(page.locator('table.board tbody tr').first().textContent()).resolves.toContain(
      seeded.vendorIncidentTitle,
    );
    const stripe = page.locator('table.board tbody tr', { hasText: 'Stripe' });
    await expect(stripe.textContent()).resolves.toContain('Never read');
    expect(await page.locator('svg.spark').count()).toBe(4);
    await shoot(page, 'console-board');
    await page.close();
  });

  test('the agent fills the check form and reads the verdict and the evidence', async () => {
    const page = await context.newPage();
    await page.goto(`${api.url}/check`);
    if (new URL(page.url()).pathname === '/login') await logIn(page, api.url, '/check');
    await page.getByLabel('Vendor').selectOption('100ms');
    await page.getByLabel('Region').fill('Europe');
    await page.getByLabel('Our service').fill('backstage');
    await page.getByLabel('Customer').fill('acme');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForURL((url) => url.pathname === '/check' && url.searchParams.get('vendor') === '100ms');
    // The answer is linkable: every field is in the address.
    const asked = new URL(page.url()).searchParams;
    expect(asked.get('region')).toBe('Europe');
    expect(asked.get('customer')).toBe('acme');
    const answer = page.locator('section.answer');
    await expect(answer.isVisible()).resolves.toBe(true);
    const summary = (await page.locator('#answer-summary').textContent())?.trim() ?? '';
    expect(summary.length).toBeGreaterThan(20);
    expect(summary).toContain('100ms');
    await expect(answer.locator('.badge').first().textContent()).resolves.toContain(
      'Vendor incident, hitting us',
    );
    const evidence = await page.locator('section.answer ul.evidence li').allTextContents();
    expect(evidence.length).toBeGreaterThan(0);
    const ranked = await page.locator('ol.cards > li h3 a').allTextContents();
    expect(ranked[0]).toBe('100ms');
    await shoot(page, 'console-check');
    await page.close();
  });

  test('an incident page shows its verdict, candidates and evidence', async () => {
    const page = await context.newPage();
    await page.goto(`${api.url}/incidents`);
    await page.getByRole('link', { name: seeded.incidentTitle }).click();
    await page.waitForURL((url) => url.pathname === `/incidents/${seeded.incidentId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(seeded.incidentTitle);
    const evidence = await page.locator('ol.cards > li').first().locator('ul.evidence li').allTextContents();
    expect(evidence).toContain(seeded.evidence);
    await expect(
      page.locator('section[aria-labelledby="annotation-heading"]').textContent(),
    ).resolves.toContain('Upstream (vendor)');
    await shoot(page, 'console-incident');
    await page.close();
  });

  test('the vendor page shows the suspected issue and its acknowledgment lag', async () => {
    const page = await context.newPage();
    await page.goto(`${api.url}/`);
    await page.locator('table.board').getByRole('link', { name: '100ms' }).click();
    await page.waitForURL((url) => url.pathname === '/vendors/100ms');
    await expect(page.locator('#suspects-heading + p').textContent()).resolves.toMatch(
      /Median acknowledgment lag: 12 min, worst 12 min\.\s*1 not acknowledged\./,
    );
    const rows = await page.locator('section[aria-labelledby="suspects-heading"] tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('Never acknowledged');
    await shoot(page, 'console-vendor');
    await page.close();
  });

  test('keyboard only: skip link first, then the form is reached and sent with Enter, focus visible', async () => {
    const page = await context.newPage();
    await page.goto(`${api.url}/check`);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'region'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.locator(':focus').getAttribute('id')) ?? '';
    }
    expect(focused).toBe('region');
    // The focused field shows a visible focus ring.
    const outline = await page.evaluate<string>(
      '(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + " " + s.outlineWidth; })()',
    );
    expect(outline).toBe('solid 3px');
    await page.keyboard.type('eu');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('region') === 'eu');
    await expect(page.locator('#answer-heading').isVisible()).resolves.toBe(true);
    await page.close();
  });

  test('on a phone-width screen the check answer is readable without sideways scrolling', async () => {
    const small = await browser.newContext({ viewport: phone, javaScriptEnabled: false });
    try {
      const page = await small.newPage();
      await logIn(page, api.url, '/check');
      await page.goto(`${api.url}/check?vendor=any&region=eu&at=&service=backstage&customer=`);
      const widths = await page.evaluate<{ page: number; view: number }>(
        '({ page: document.documentElement.scrollWidth, view: window.innerWidth })',
      );
      expect(widths.page).toBeLessThanOrEqual(widths.view);
      await expect(page.locator('#answer-summary').isVisible()).resolves.toBe(true);
      await shoot(page, 'console-check-phone', 1700);
    } finally {
      await small.close();
    }
  });
});

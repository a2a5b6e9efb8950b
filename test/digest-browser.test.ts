import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderHtml } from '../src/core/digest/render.js';
import { hasChromium, launchChromium } from './support/browser.js';
import { sampleDigest } from './support/digest-sample.js';

/*
 * The email digest in a real headless Chromium: vendor headings and sparklines render, and a phone's
 * width needs no horizontal scrolling. With UPCAUSE_SCREENSHOTS=1 the page is saved as
 * docs/digest-html.png for the README.
 */

const screenshots = process.env.UPCAUSE_SCREENSHOTS === '1';

describe.skipIf(!hasChromium())('the HTML digest in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    // Nothing leaves the page: an email digest loads no external resource.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(renderHtml(sampleDigest), { waitUntil: 'load' });
    expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
    return page;
  }

  test('shows each vendor as a heading, highest risk first, with its sparkline drawn', async () => {
    const page = await open(720);
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings).toEqual(['Twilio', 'Stripe', 'Mapbox', 'Cloudflare']);
    const sparklines = page.locator('svg[role="img"]');
    expect(await sparklines.count()).toBe(4);
    for (const svg of await sparklines.all()) {
      const box = await svg.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(20);
    }
    await expect(page.getByRole('img', { name: /peak 402/ }).count()).resolves.toBe(1);
    await expect(
      page.getByText('No incidents, errors or unreadable minutes: GitHub, Auth0, Segment').count(),
    ).resolves.toBe(1);

    if (screenshots) {
      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: 'docs/digest-html.png', fullPage: true });
    }
    await page.close();
  });

  test('fits a 375 px phone screen without horizontal scrolling', async () => {
    const page = await open(375);
    const { scroll, view } = await page.evaluate<{ scroll: number; view: number }>(
      '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
    );
    expect(scroll).toBeLessThanOrEqual(view);
    // The figures table stays inside the card.
    const table = await page.locator('table:not([role])').first().boundingBox();
    expect(table!.x + table!.width).toBeLessThanOrEqual(375);
    await page.close();
  });
});

// Shared test helpers: a movable clock, a capturing logger, and a Chromium-driven openBrowser.
import type { Page } from 'playwright-core';
import type { TestBrowser } from '../../../testkit/chromium.js';
import type { Clock } from '../clock.js';
import type { Logger, LogLevel } from '../logger.js';

export class TestClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log(level: LogLevel, message: string, context?: Record<string, unknown>) {
      lines.push(`${level} ${message} ${JSON.stringify(context ?? {})}`);
    },
  };
}

/**
 * openBrowser for the plain OP's devInteractions pages: open a page, fill any login form that shows,
 * press any "Continue" until the browser lands on the loopback redirect page.
 */
export function chromiumLogin(browser: TestBrowser, login: string, password = 'anything', pages: Page[] = []) {
  return async (url: string) => {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(url);
    await finishLogin(page, login, password);
  };
}

export async function finishLogin(page: Page, login: string, password: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    if (new URL(page.url()).hostname === '127.0.0.1') return;
    const loginField = page.locator('input[name="login"], input[name="username"]');
    if (await loginField.count()) {
      await loginField.first().fill(login);
      await page.locator('input[name="password"]').fill(password);
    }
    const submit = page.locator('button[type="submit"]').first();
    if (!(await submit.count())) return;
    await Promise.all([page.waitForLoadState('load'), submit.click()]);
    await page.waitForLoadState('load');
  }
}

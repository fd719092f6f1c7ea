import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/host/paths.js';

/** Debian's Chromium (installed by .ci/run), never a downloaded browser. */
export const CHROMIUM = process.env.CAJA_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const SCREENSHOTS = resolve(projectRoot(), 'docs/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`) });
}

/** Log in through the PIN pad, as a cashier would. */
export async function login(page: Page, userId: string, pin: string): Promise<void> {
  await page.getByTestId(`login-user-${userId}`).click();
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-ok').click();
  await page.getByTestId('banner').waitFor();
}

/**
 * A USB scanner in keyboard mode: every key of the code and the Enter, as trusted key events queued
 * to the browser at once over the DevTools protocol — as a scanner's keys reach it, back to back —
 * rather than one round trip per key from a Node process that a loaded machine stalls.
 */
export async function scanKeys(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const key = (type: 'keyDown' | 'keyUp', ch: string) => {
    const enter = ch === '\r';
    return cdp.send('Input.dispatchKeyEvent', {
      type,
      key: enter ? 'Enter' : ch,
      code: enter ? 'Enter' : /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`,
      windowsVirtualKeyCode: enter ? 13 : ch.toUpperCase().charCodeAt(0),
      ...(type === 'keyDown' ? { text: ch } : {}),
    });
  };
  const sent: Promise<unknown>[] = [];
  for (const ch of `${code}\r`) sent.push(key('keyDown', ch), key('keyUp', ch));
  await Promise.all(sent);
  await cdp.detach();
}

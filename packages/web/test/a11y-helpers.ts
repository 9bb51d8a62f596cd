/** Accessibility audits for the browser tests: axe-core in the page, in light and dark colour schemes. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { screenshot } from './helpers.js';

export const SCHEMES = ['light', 'dark'] as const;

/** Violations of impact serious or critical on the page as it is, one line each (rule, impact, elements). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`).join('; ')}`);
}

/** Audits the screen in both colour schemes (screenshot of each), returning every violation found, labelled. */
export async function auditScreen(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await screenshot(page, `a11y-${name}-${colorScheme}`);
    for (const violation of await seriousViolations(page)) found.push(`${name} [${colorScheme}] ${violation}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

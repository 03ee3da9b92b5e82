// What a person does in the login window (a Playwright page playing it), shared by the e2e files.
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../idp/index.js';

/** Username and password when the form is shown, then the consent button when it is asked for. */
export async function signInAs(login: Page, username: string, consent: 'Accept' | 'Cancel' = 'Accept'): Promise<void> {
  const button = login.getByRole('button', { name: consent, exact: true });
  const field = login.getByLabel('Username or email');
  // With a session for this user already, the IdP goes straight to consent.
  await field.or(button).first().waitFor();
  if (await field.isVisible()) {
    await field.fill(username);
    await login.getByLabel('Password').fill(DEMO_PASSWORD);
    await login.getByLabel('Password').press('Enter');
  }
  // Consent is asked once per app and permission set; afterwards the IdP redirects straight back.
  await Promise.race([button.click().catch(() => {}), login.waitForEvent('close')]);
}

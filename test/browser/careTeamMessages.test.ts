import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { TINY_PDF } from '../support/attachmentSamples.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { createFamilyThread } from '../support/messaging.ts';
import { createVisitor, signInInBrowser } from '../support/visitors.ts';

// The care team working its messages in Chromium, with JavaScript on and off: from the back-office
// home to the inbox, into a thread, a reply with an attachment. With JavaScript on, htmx appends
// the reply and refreshes the inbox list in place (a marker set on window survives: no page
// load), says so in the status line and keeps focus sensible; with it off, the same links and
// forms load whole pages.
describe('the care team’s messages in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  const db = () => suite.subject.database.db;

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);

      /** A nurse on a clinic's team with two threads waiting (one overdue), signed in at the back-office home. */
      async function nurseAtHome(): Promise<{ tab: Page; threadId: number; patientId: number; nurseId: number }> {
        const nurse = await createVisitor(db(), 'staff-care-team');
        const { threadId, patientId } = await FIXTURES.careTeamThread(db(), nurse.id);
        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, nurse);
        return { tab, threadId, patientId, nurseId: nurse.id };
      }

      async function mark(tab: Page): Promise<void> {
        if (!javaScriptEnabled) return;
        // Wait for htmx and the page's script, then mark this document: a page load would lose the mark.
        await tab.waitForFunction(() => 'htmx' in window && 'careTeamMessagesReady' in window);
        await tab.evaluate(() => Object.assign(window, { inboxMarker: 'still here' }));
      }
      const markerSurvived = (tab: Page) => tab.evaluate(() => (window as unknown as { inboxMarker?: string }).inboxMarker);
      const focused = (tab: Page) => tab.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}#${document.activeElement?.id}`);
      const rowCount = (tab: Page) => tab.locator('#inbox tbody tr').count();

      it('opens the inbox and a thread, replies with an attachment, and sees the reply', async () => {
        const { tab, threadId } = await nurseAtHome();
        await tab.getByRole('link', { name: 'Messages from families' }).click();
        await tab.waitForURL((url) => url.pathname === '/staff/messages');
        expect(await rowCount(tab)).to.equal(2);
        expect(await text(tab, '#inbox tbody tr')).to.include('Overdue');

        await tab.locator('#inbox tbody tr').first().getByRole('link').click();
        await tab.waitForURL((url) => url.pathname === `/staff/messages/${threadId}`);
        expect(await text(tab, 'h1')).to.equal('Photo upload: Tomás Ibarra');
        expect(await text(tab, '#message-list > li .message__body')).to.equal('The rash is back on his arm.\nA photo is attached.');
        await mark(tab);

        await tab.getByLabel('Your reply').fill('Thank you. Keep the cream on twice a day.\nCall us if it spreads.');
        await tab.setInputFiles('#attachments', { name: 'cream advice.pdf', mimeType: 'application/pdf', buffer: TINY_PDF });
        await tab.getByRole('button', { name: 'Send reply' }).click();
        const reply = tab.locator('#message-list > li').nth(1);
        await reply.locator('.message__body', { hasText: 'Call us if it spreads.' }).waitFor();
        expect(await reply.locator('.message__author').innerText()).to.include('(care team)');
        const link = reply.locator('.message__attachments a');
        expect(await link.innerText()).to.equal(`cream advice.pdf (${TINY_PDF.length} bytes)`);
        expect(new URL(tab.url()).pathname).to.equal(`/staff/messages/${threadId}`);
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab), 'appended in place, no page load').to.equal('still here');
          expect(await tab.locator('#body').inputValue(), 'the form is empty again').to.equal('');
          expect(await tab.evaluate(() => (document.querySelector('#attachments') as HTMLInputElement).files?.length)).to.equal(0);
          expect(await focused(tab)).to.match(/^li#message-\d+$/);
          await tab.locator('[data-messages-announcer]', { hasText: 'Reply sent' }).waitFor({ state: 'attached' });
        } else {
          expect(await text(tab, '.banner--success')).to.include('Reply sent; the family has been emailed that a message is waiting');
        }
        expect(await text(tab, '#thread-summary')).to.include('Nothing is waiting for an answer');

        const download = await tab.context().request.get(suite.server.origin + (await link.getAttribute('href')));
        expect(download.status()).to.equal(200);
        expect(Buffer.compare(await download.body(), TINY_PDF)).to.equal(0);
      });

      it('shows a refused reply’s problem beside the form, keeping the typed text', async () => {
        const { tab, threadId } = await nurseAtHome();
        await open(tab, `/staff/messages/${threadId}`);
        await mark(tab);
        await tab.getByRole('button', { name: 'Send reply' }).click();
        await tab.locator('.error-summary', { hasText: 'Enter your reply' }).waitFor();
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab)).to.equal('still here');
          expect(await tab.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'the summary has focus').to.equal(true);
        }
        await tab.getByLabel('Your reply').fill('Typed after the error.');
        await tab.getByRole('button', { name: 'Send reply' }).click();
        await tab.locator('#message-list > li .message__body', { hasText: 'Typed after the error.' }).waitFor();
        expect(await tab.locator('.error-summary').count(), 'the problem is gone').to.equal(0);
        if (javaScriptEnabled) expect(await markerSurvived(tab)).to.equal('still here');
      });

      it('refreshes the inbox list', async () => {
        const { tab, patientId } = await nurseAtHome();
        await open(tab, '/staff/messages');
        expect(await rowCount(tab)).to.equal(2);
        await mark(tab);
        const thread = await db()('message_threads').where({ patient_id: patientId }).first('started_by_account_id', 'recipient_department_code');
        await createFamilyThread(db(), { patientId, accountId: Number(thread.started_by_account_id), departmentCode: thread.recipient_department_code, subject: 'referral', body: 'Referral please', sentAt: new Date(), dueAt: new Date(Date.now() + 3 * 86_400_000) });
        await tab.getByRole('link', { name: 'Refresh list' }).click();
        await tab.locator('#inbox tbody tr', { hasText: 'Referral' }).waitFor();
        expect(await rowCount(tab)).to.equal(3);
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab), 'swapped in place, no page load').to.equal('still here');
          expect(await focused(tab), 'focus stays on the refresh link').to.equal('a#inbox-refresh');
          await tab.locator('[data-messages-announcer]', { hasText: 'List updated.' }).waitFor({ state: 'attached' });
          expect(await tab.getAttribute('#inbox-refresh', 'data-hx-trigger')).to.equal('click, every 60s');
        }
      });
    });
  }
});

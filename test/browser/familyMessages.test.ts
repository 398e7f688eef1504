import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { careTeamAnswers, messagingWorld, type MessagingWorld } from '../support/messaging.ts';
import { TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';
import { signInInBrowser } from '../support/visitors.ts';

// A parent writes to the care team with attachments, and replies in the conversation, in Chromium.
// With JavaScript on, htmx adds the reply to the conversation without reloading (a marker set on
// window survives), empties the form, moves focus to the new message and announces it; a refused
// reply comes back in the form with its message focused; "Check for new messages" swaps only the
// list. With JavaScript off the same forms and links load whole pages.
describe('family messaging in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  let world: MessagingWorld;
  before(async function () {
    if (!suite.subject) return this.skip();
    world = await messagingWorld(suite.subject.database.db);
  });

  const files = [
    { name: 'school form.pdf', mimeType: 'application/pdf', buffer: TINY_PDF },
    { name: 'rash.png', mimeType: 'image/png', buffer: TINY_PNG },
  ];

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const base = () => `/patients/${world.patient.id}/messages`;

      async function signedInAt(path: string): Promise<Page> {
        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, { ...world.parent, kind: 'family', totp: false, stage: 'signed-in' });
        await open(tab, path);
        return tab;
      }
      async function markPage(tab: Page): Promise<void> {
        if (!javaScriptEnabled) return;
        await tab.waitForFunction(() => 'htmx' in window);
        await tab.evaluate(() => Object.assign(window, { pageMarker: 'still here' }));
      }
      const markerSurvived = (tab: Page) => tab.evaluate(() => (window as unknown as { pageMarker?: string }).pageMarker);
      const bodies = (tab: Page) => tab.locator('#messages > li .message__body').allInnerTexts();

      async function composeWithFiles(subjectText: string): Promise<Page> {
        const tab = await signedInAt(`${base()}/new`);
        expect(await text(tab, '#emergency-notice-title')).to.equal('Not for emergencies or urgent questions');
        await tab.selectOption('#recipient', { label: 'Cardiology' });
        await tab.selectOption('#subject', { label: subjectText });
        await tab.fill('#body', `About the ${subjectText.toLowerCase()}.\nSecond line.`);
        await tab.setInputFiles('#attachments', files);
        await tab.getByRole('button', { name: 'Send message' }).click();
        await tab.waitForURL((url) => /\/messages\/\d+$/.test(url.pathname));
        return tab;
      }

      it('writes to the care team with two attachments, and the conversation says when to expect an answer', async () => {
        const tab = await composeWithFiles('Photo upload');
        expect(await text(tab, '#notice-title')).to.equal('Your message was sent.');
        expect(await text(tab, 'h1')).to.equal('Message: Photo upload');
        expect(await text(tab, '#answer-by')).to.match(/^Expect an answer by /);
        expect(await bodies(tab)).to.deep.equal(['About the photo upload.\nSecond line.']);
        expect(await tab.locator('#messages .message__files a').allInnerTexts()).to.deep.equal(['school form.pdf', 'rash.png']);
        const download = tab.waitForEvent('download');
        await tab.getByRole('link', { name: 'rash.png' }).click();
        expect((await download).suggestedFilename()).to.equal('rash.png');
      });

      it('replies with an attachment (in place, with JavaScript), then replies again', async () => {
        const tab = await composeWithFiles('Follow-up');
        await markPage(tab);
        await tab.fill('#body', 'Here is one more photo.');
        await tab.setInputFiles('#attachments', [files[1]!]);
        await tab.getByRole('button', { name: 'Send reply' }).click();
        await tab.locator('#messages > li', { hasText: 'Here is one more photo.' }).waitFor();
        expect(await bodies(tab)).to.deep.equal(['About the follow-up.\nSecond line.', 'Here is one more photo.']);
        expect(await tab.locator('#messages > li').last().locator('.message__files a').allInnerTexts()).to.deep.equal(['rash.png']);
        expect(await tab.inputValue('#body'), 'the form is empty again').to.equal('');
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab)).to.equal('still here');
          await tab.locator('#reply-announcer', { hasText: 'Your reply was sent.' }).waitFor({ state: 'attached' });
          expect(await tab.evaluate(() => document.activeElement?.id)).to.match(/^message-\d+$/);
          expect(await tab.evaluate(() => (document.getElementById('attachments') as HTMLInputElement).files?.length)).to.equal(0);
        } else {
          expect(await text(tab, '#notice-title')).to.equal('Your reply was sent.');
        }
        // A second reply goes through the form htmx put back.
        await tab.fill('#body', 'And thank you.');
        await tab.getByRole('button', { name: 'Send reply' }).click();
        await tab.locator('#messages > li', { hasText: 'And thank you.' }).waitFor();
        expect(await bodies(tab)).to.have.length(3);
        if (javaScriptEnabled) expect(await markerSurvived(tab)).to.equal('still here');
      });

      it('refuses an empty reply with a message, keeping the page', async () => {
        const tab = await composeWithFiles('Referral');
        await markPage(tab);
        await tab.fill('#body', '   ');
        await tab.getByRole('button', { name: 'Send reply' }).click();
        await tab.locator('#body-error', { hasText: 'Write your message.' }).waitFor();
        expect(await bodies(tab)).to.have.length(1);
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab)).to.equal('still here');
          await tab.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
        }
      });

      it('checks for new messages, swapping only the list with JavaScript', async () => {
        const tab = await composeWithFiles('Prescription');
        const threadId = Number(/\/messages\/(\d+)$/.exec(new URL(tab.url()).pathname)![1]);
        await open(tab, base());
        await markPage(tab);
        const before = await tab.locator('#thread-list tbody tr').count();
        await careTeamAnswers(suite.subject, world.nurse, threadId, 'The prescription is ready.');
        await tab.getByRole('link', { name: 'Check for new messages' }).click();
        await tab.waitForFunction((count) => document.querySelectorAll('#thread-list tbody tr').length === count, before + 1);
        expect(await text(tab, '#thread-list tbody tr:first-child')).to.include('Unread: 1');
        if (javaScriptEnabled) expect(await markerSurvived(tab)).to.equal('still here');
      });
    });
  }
});

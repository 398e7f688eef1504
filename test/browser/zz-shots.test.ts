import { buildTestApp } from '../support/app.ts';
import { launchChromium, listen } from '../support/browser.ts';
import { PAGES } from '../support/pages.ts';
import { preparePage, signInInBrowser } from '../support/visitors.ts';
import { fillAndSubmit } from '../support/browser.ts';

describe('shots', function () {
  this.timeout(300000);
  it('takes', async () => {
    const subject = await buildTestApp();
    const server = await listen(subject.app);
    const browser = await launchChromium();
    for (const lang of ['es']) {
      for (const [i, page] of PAGES.entries()) {
        if (!page.signedInAs && !page.link && !page.path.includes('signin') && !page.path.includes('sign')) continue;
        const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
        await context.addCookies([{ name: 'lang', value: lang, url: server.origin }]);
        const tab = await context.newPage();
        const prepared = await preparePage(page, subject.database.db);
        if (prepared.visitor) await signInInBrowser(tab, server.origin, prepared.visitor);
        await tab.goto(server.origin + prepared.path);
        if (prepared.submit) await fillAndSubmit(tab, prepared.submit, page.landsOn);
        await tab.screenshot({ path: `/tmp/shots/${lang}-${i}.png`, fullPage: true });
        await context.close();
      }
    }
    await browser.close(); await server.close(); await subject.close();
  });
});

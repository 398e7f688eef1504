// Files in a multipart body are read before the CSRF check (the token is inside the body), so they
// are read only for a session that has passed every factor. For any other session the body stays
// unread, and the request ends at the CSRF check without the files ever reaching disk or memory.
import { expect } from 'chai';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn } from '../support/http.ts';
import { createAccount, signIn } from '../support/identity.ts';
import { TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';

describe('uploads before the second factor', () => {
  const context = eachTestWithClockedApp();

  it('does not read a family message’s files for a session still at the second-factor step', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '', 'parent@example.com')).to.equal('/signin/code');
    const csrf = csrfTokenIn((await agent.get('/signin/code')).text);
    const posted = await agent.post('/patients/1/messages/new').field('_csrf', csrf).field('subject', 's').field('body', 'b').attach('attachments', TINY_PNG, 'photo.png');
    expect(posted.status, 'the CSRF check never saw the token, so the body was not read').to.equal(403);
  });

  it('does not read guardianship papers for a staff session still at the second-factor step', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'support@example.com', roles: ['support'], totp: true });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/staff', 'support@example.com')).to.equal('/staff/signin/code');
    const csrf = csrfTokenIn((await agent.get('/staff/signin/code')).text);
    const posted = await agent.post('/staff/support/patients/1/papers').field('_csrf', csrf).attach('papers', TINY_PDF, 'papers.pdf');
    expect(posted.status, 'the CSRF check never saw the token, so the body was not read').to.equal(403);
  });
});

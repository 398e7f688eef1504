// Provider registration is open to anyone, and its documents are held in memory while they are
// checked. So nothing is read for a request that has no form session, only a few forms are read
// at once, and a body that stops arriving is dropped.
import { createServer, request, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn } from '../support/http.ts';
import { eventually } from '../support/eventually.ts';
import { REGISTRATION_UPLOADS_AT_ONCE, registrationUploadsReading } from '../../routes/provider/register.ts';

const BOUNDARY = 'limits-boundary';

interface Upload {
  request: ClientRequest;
  response: Promise<IncomingMessage>;
  closed: Promise<void>;
}

describe('provider registration: limits on reading its files', () => {
  let subject: TestApp;
  let server: Server;
  let port: number;
  before(async () => {
    subject = await buildTestApp({ env: { UPLOAD_IDLE_SECONDS: '1' } });
    server = createServer(subject.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await subject.close();
  });
  afterEach(() => eventually('every upload to be let go', () => (registrationUploadsReading() === 0 ? true : undefined)));

  /** A form session: its cookie and CSRF token, as a browser has after opening the form. */
  async function formSession(): Promise<{ cookie: string; csrf: string }> {
    const page = await agentIn(subject.app, 'en').get('/provider/register');
    return { cookie: (page.headers['set-cookie'] as unknown as string[]).map((value) => value.split(';')[0]).join('; '), csrf: csrfTokenIn(page.text) };
  }

  /** Starts a multipart registration whose file part never ends: the body is still arriving. */
  function startUpload(session?: { cookie: string; csrf: string }): Upload {
    const upload = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/provider/register',
      headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(10 * 1024 * 1024), ...(session ? { Cookie: session.cookie } : {}) },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => upload.once('response', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => upload.once('close', () => resolve()));
    upload.on('error', () => {}); // a connection the server drops is what some tests wait for
    upload.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${session?.csrf ?? 'none'}\r\n`);
    upload.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="certification"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
    upload.write(Buffer.alloc(64 * 1024, 32));
    return { request: upload, response, closed };
  }

  it('refuses a request without the form’s session before reading its body', async () => {
    const upload = startUpload();
    // Answered while the body is still arriving: nothing of it was read.
    expect((await upload.response).statusCode).to.equal(403);
    expect(registrationUploadsReading()).to.equal(0);
    upload.request.destroy();
  });

  it(`reads ${REGISTRATION_UPLOADS_AT_ONCE} forms at once and asks the next one to try again in a minute`, async () => {
    const reading: Upload[] = [];
    for (let i = 0; i < REGISTRATION_UPLOADS_AT_ONCE; i++) reading.push(startUpload(await formSession()));
    await eventually(`${REGISTRATION_UPLOADS_AT_ONCE} uploads being read`, () => (registrationUploadsReading() === REGISTRATION_UPLOADS_AT_ONCE ? true : undefined));
    const next = startUpload(await formSession());
    const refused = await next.response;
    expect(refused.statusCode).to.equal(503);
    expect(refused.headers['retry-after']).to.equal('60');
    next.request.destroy();
    for (const upload of reading) upload.request.destroy();
  });

  it('drops a body that stops arriving, and lets its place go', async () => {
    const upload = startUpload(await formSession());
    await eventually('the upload being read', () => (registrationUploadsReading() === 1 ? true : undefined));
    // Nothing more is sent: the server closes the connection once it has waited UPLOAD_IDLE_SECONDS.
    await upload.closed;
    expect(registrationUploadsReading()).to.equal(0);
  });
});

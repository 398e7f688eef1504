import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config.ts';
import { PRODUCTION_ENV } from '../support/productionEnv.ts';

function configError(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('runs with no variables at all outside production, with embedded PostgreSQL on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.database.url).to.equal(undefined);
    expect(config.database.dataDir).to.equal('.data');
    expect(config.hospital.timeZone).to.equal('America/New_York');
    expect(config.publicUrl).to.equal('http://localhost:3000');
    expect(config.session.cookieName).to.equal('portal.sid');
    expect(config.trustProxy).to.equal(false);
  });

  it('names each bad variable and what was given', () => {
    const message = configError({ PORT: 'abc', HOSPITAL_TIME_ZONE: 'Mars/Olympus', SUPPORT_HOURS_START: '8am', DATABASE_URL: 'not a url' });
    expect(message).to.include('PORT must be a whole number from 1 to 65535 (got "abc")');
    expect(message).to.include('HOSPITAL_TIME_ZONE must be an IANA time zone');
    expect(message).to.include('SUPPORT_HOURS_START must be a 24-hour time such as 08:00 (got "8am")');
    expect(message).to.include('DATABASE_URL must be a postgres:// URL');
  });

  it('requires a session secret, public URL and SMTP server in production', () => {
    const message = configError({ NODE_ENV: 'production' });
    expect(message).to.include('SESSION_SECRET is required in production');
    expect(message).to.include('PUBLIC_URL is required in production');
    expect(message).to.include('SMTP_URL is required in production');
    expect(configError({ NODE_ENV: 'production', SESSION_SECRET: 'short', PUBLIC_URL: 'https://p.example', SMTP_URL: 'smtp://m' })).to.include('SESSION_SECRET must be at least 32 characters');
  });

  it('listens on this machine only outside production, and on every address in production', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1');
    expect(loadConfig(PRODUCTION_ENV).host).to.equal('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
  });

  it('derives Secure cookies and HSTS from an https public URL', () => {
    expect(loadConfig(PRODUCTION_ENV).session).to.include({ secureCookies: true, cookieName: '__Host-portal.sid' });
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example.org' }).session.secureCookies).to.equal(true);
    expect(loadConfig({}).session.secureCookies).to.equal(false);
  });

  it('refuses to start production with settings that weaken it, naming each', () => {
    const message = configError({ ...PRODUCTION_ENV, PUBLIC_URL: 'http://portal.example.org', SECURE_COOKIES: 'false', DEMO_DATA: 'true', DEV_MAILBOX: 'true' });
    expect(message).to.include('PUBLIC_URL must be an https:// address in production');
    expect(message).to.include('SECURE_COOKIES cannot be false in production');
    expect(message).to.include('DEMO_DATA cannot be true in production');
    expect(message).to.include('DEV_MAILBOX cannot be true in production');
    const { TRUST_PROXY: _unset, ...withoutProxySetting } = PRODUCTION_ENV;
    expect(configError(withoutProxySetting)).to.include('TRUST_PROXY is required in production');
    expect(loadConfig({ ...PRODUCTION_ENV, TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
  });

  it('offers the development mailbox only outside production, and by default only on a loopback address', () => {
    expect(loadConfig({}).devMailbox).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'test' }).devMailbox).to.equal(true);
    expect(loadConfig({ HOST: '0.0.0.0' }).devMailbox).to.equal(false);
    expect(loadConfig({ HOST: '0.0.0.0', DEV_MAILBOX: 'true' }).devMailbox).to.equal(true);
    expect(loadConfig({ DEV_MAILBOX: 'false' }).devMailbox).to.equal(false);
    expect(loadConfig(PRODUCTION_ENV).devMailbox).to.equal(false);
  });

  it('reads the TOTP sealing keys, the first one current, and requires them in production', () => {
    const config = loadConfig({ ENCRYPTION_KEYS: `2:${Buffer.alloc(32, 2).toString('base64')}, 1:${Buffer.alloc(32, 1).toString('base64')}` });
    expect(config.encryptionKeys.currentId).to.equal('2');
    expect([...config.encryptionKeys.byId.keys()]).to.deep.equal(['2', '1']);
    expect(config.encryptionKeys.byId.get('1')).to.deep.equal(Buffer.alloc(32, 1));
    expect(configError({ ENCRYPTION_KEYS: '1:too-short' })).to.include('ENCRYPTION_KEYS must be key ids and 32-byte keys in base64');
    const { ENCRYPTION_KEYS: _unset, ...withoutKeys } = PRODUCTION_ENV;
    expect(configError(withoutKeys)).to.include('ENCRYPTION_KEYS is required in production');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).to.equal(3000);
  });

  it('reads trust proxy as a boolean, a hop count or an address list', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).to.equal('loopback, 10.0.0.0/8');
  });

  it('uses a __Host- cookie name only with secure cookies', () => {
    expect(loadConfig({ SECURE_COOKIES: 'true' }).session).to.include({ cookieName: '__Host-portal.sid', secureCookies: true });
  });

  it('reads the FHIR import limit, the MRN system and the release policy lists', () => {
    const defaults = loadConfig({});
    expect(defaults.fhir).to.deep.equal({ importMaxBytes: 104857600, mrnSystem: 'https://fhir.example-childrens.org/sid/mrn' });
    expect(defaults.releasePolicy.reportDelayDays).to.deep.equal({});
    const config = loadConfig({ FHIR_IMPORT_MAX_BYTES: '5000000', FHIR_MRN_SYSTEM: 'urn:oid:1.2.3.4', REPORT_RELEASE_DELAY_DAYS: 'RAD=4, CT = 2', NOT_ON_PORTAL_TEST_CODES: '56888-1, LOCAL-1' });
    expect(config.fhir).to.deep.equal({ importMaxBytes: 5000000, mrnSystem: 'urn:oid:1.2.3.4' });
    expect(config.releasePolicy.reportDelayDays).to.deep.equal({ RAD: 4, CT: 2 });
    expect(config.releasePolicy.notOnPortalTestCodes).to.deep.equal(['56888-1', 'LOCAL-1']);
    expect(configError({ REPORT_RELEASE_DELAY_DAYS: 'RAD=four' })).to.include('REPORT_RELEASE_DELAY_DAYS must be categories and whole days such as RAD=4,CT=2 (got "RAD=four")');
    expect(configError({ FHIR_IMPORT_MAX_BYTES: '10' })).to.include('FHIR_IMPORT_MAX_BYTES must be at least 1024');
  });

  it('reads the business calendar and the sign-up token lifetime', () => {
    const defaults = loadConfig({});
    expect(defaults.businessCalendar).to.deep.equal({ country: 'US', state: undefined, extraDates: [], removedDates: [], hours: { open: '08:00', close: '17:00' } });
    expect(defaults.familyAccess.signupTokenDays).to.equal(60);
    const config = loadConfig({ HOLIDAY_STATE: 'MA', HOSPITAL_EXTRA_HOLIDAYS: '2026-12-24, 2026-12-31', HOSPITAL_OPEN_ON: '2026-11-11', BUSINESS_HOURS_OPEN: '07:30', SIGNUP_TOKEN_DAYS: '14' });
    expect(config.businessCalendar).to.deep.equal({ country: 'US', state: 'MA', extraDates: ['2026-12-24', '2026-12-31'], removedDates: ['2026-11-11'], hours: { open: '07:30', close: '17:00' } });
    expect(config.familyAccess.signupTokenDays).to.equal(14);
    expect(configError({ HOLIDAY_STATE: 'ZZ' })).to.include('HOLIDAY_STATE is not usable: Unknown holiday state for US: ZZ');
    expect(configError({ HOSPITAL_EXTRA_HOLIDAYS: '24/12/2026' })).to.include('HOSPITAL_EXTRA_HOLIDAYS must be dates such as 2026-12-24,2026-12-31');
  });

  it('reads the attachment limits of a message: 10 files and 25 MB in total unless set', () => {
    expect(loadConfig({}).messageUploads).to.deep.equal({ maxFiles: 10, maxBytes: 25 * 1024 * 1024 });
    expect(loadConfig({ MESSAGE_MAX_FILES: '3', MESSAGE_MAX_BYTES: '1048576' }).messageUploads).to.deep.equal({ maxFiles: 3, maxBytes: 1048576 });
    expect(configError({ MESSAGE_MAX_FILES: '0' })).to.include('MESSAGE_MAX_FILES must be a whole number of at least 1 (got "0")');
    expect(configError({ MESSAGE_MAX_BYTES: '25MB' })).to.include('MESSAGE_MAX_BYTES must be a number of bytes (got "25MB")');
    expect(configError({ MESSAGE_MAX_BYTES: '10' })).to.include('MESSAGE_MAX_BYTES must be at least 1024');
  });
});

// One typed configuration object, read from the environment and validated at start.
// A bad or missing value stops the process with a message that names the variable.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_PASSWORD_PROFILE, PASSWORD_PROFILES } from './domain/passwordRules.ts';
import { MINIMUM_ARGON2_PARAMETERS } from './domain/argon2Parameters.ts';
import type { AccountKind } from './domain/accounts.ts';
import { releasePolicyFrom } from './domain/release.ts';
import { buildHolidayCalendar } from './domain/businessDays.ts';
import { isLoopbackAddress } from './domain/loopback.ts';
import { DEFAULT_MRN_SYSTEM } from './services/fhirImport/systems.ts';
import type { EncryptionKeys } from './services/identity/sealedSecrets.ts';

const timeZone = z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as America/New_York');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as 08:00');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A whole number no smaller than `minimum` (the floor a hospital may not go below). */
function wholeNumber(minimum: number) {
  const message = `must be a whole number of at least ${minimum}`;
  return z.coerce.number({ error: message }).int(message).min(minimum, message);
}
const portMessage = 'must be a whole number from 1 to 65535';
const dateList = z
  .string()
  .regex(/^\s*\d{4}-\d{2}-\d{2}\s*(,\s*\d{4}-\d{2}-\d{2}\s*)*$/, 'must be dates such as 2026-12-24,2026-12-31')
  .transform((value) => value.split(',').map((date) => date.trim()));
const codeList = z.string().transform((value) => value.split(',').map((code) => code.trim()).filter(Boolean));
// "RAD=4,CT=2": whole days a final report of each category waits before families see it.
const delayList = z
  .string()
  .regex(/^\s*([A-Za-z0-9-]+\s*=\s*\d{1,3}\s*)(,\s*[A-Za-z0-9-]+\s*=\s*\d{1,3}\s*)*$/, 'must be categories and whole days such as RAD=4,CT=2')
  .transform((value) => Object.fromEntries(value.split(',').map((pair) => pair.split('=').map((part) => part.trim())).map(([category, days]) => [category!, Number(days)])));
// "2:<32 bytes in base64>,1:<…>": the keys that seal stored secrets (sealedSecrets.ts), the first one current.
const encryptionKeyList = z
  .string()
  .regex(/^\s*[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=\s*)*$/, 'must be key ids and 32-byte keys in base64, such as 1:<44 characters> (make one with: openssl rand -base64 32)')
  .transform((value) => value.split(',').map((pair) => pair.trim().split(':') as [string, string]));
const port = z.coerce.number({ error: portMessage }).int(portMessage).min(1, portMessage).max(65535, portMessage);

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port.default(3000),
    HOST: z.string().min(1).optional(),
    PUBLIC_URL: z.url('must be a full URL such as https://portal.example.org').optional(),
    DATABASE_URL: z.url('must be a postgres:// URL').optional(),
    DATABASE_POOL_MAX: z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int().min(1).max(100).default(10),
    DATA_DIR: z.string().min(1).default('.data'),
    EMBEDDED_PG_PORT: port.default(54329),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ENCRYPTION_KEYS: encryptionKeyList.optional(),
    SECURE_COOKIES: flag.optional(),
    TRUST_PROXY: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SMTP_URL: z.url('must be an smtp:// or smtps:// URL').optional(),
    EMAIL_FROM: z.string().min(3).default("MyChildren's <no-reply@portal.invalid>"),
    HOSPITAL_NAME: z.string().min(1).default("Example Children's Hospital"),
    HOSPITAL_TIME_ZONE: timeZone.default('America/New_York'),
    MAIN_PHONE: z.string().min(3).default('555-0100'),
    SUPPORT_PHONE: z.string().min(3).default('555-0101'),
    MYPATIENTS_PHONE: z.string().min(3).default('555-0102'),
    SUPPORT_HOURS_START: clockTime.default('08:00'),
    SUPPORT_HOURS_END: clockTime.default('17:00'),
    PASSWORD_PROFILE: z.enum(PASSWORD_PROFILES, 'must be hospital or nist').default(DEFAULT_PASSWORD_PROFILE),
    ARGON2_MEMORY_KIB: wholeNumber(MINIMUM_ARGON2_PARAMETERS.memoryCost).default(MINIMUM_ARGON2_PARAMETERS.memoryCost),
    ARGON2_TIME_COST: wholeNumber(MINIMUM_ARGON2_PARAMETERS.timeCost).default(MINIMUM_ARGON2_PARAMETERS.timeCost),
    ARGON2_PARALLELISM: wholeNumber(MINIMUM_ARGON2_PARAMETERS.parallelism).default(MINIMUM_ARGON2_PARAMETERS.parallelism),
    FAMILY_IDLE_MINUTES: wholeNumber(1).default(30),
    FAMILY_ABSOLUTE_HOURS: wholeNumber(1).default(12),
    PROVIDER_IDLE_MINUTES: wholeNumber(1).default(15),
    PROVIDER_ABSOLUTE_HOURS: wholeNumber(1).default(8),
    STAFF_IDLE_MINUTES: wholeNumber(1).default(15),
    STAFF_ABSOLUTE_HOURS: wholeNumber(1).default(8),
    EMAIL_LINK_MINUTES: wholeNumber(5).default(60),
    PASS_CODE_MINUTES: wholeNumber(5).default(15),
    CONFIRM_LINK_HOURS: wholeNumber(1).default(24),
    INVITATION_LINK_HOURS: wholeNumber(1).default(72),
    DEMO_DATA: flag.optional(),
    DEV_MAILBOX: flag.optional(),
    FHIR_IMPORT_MAX_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int('must be a number of bytes').min(1024, 'must be at least 1024').default(100 * 1024 * 1024),
    FHIR_MRN_SYSTEM: z.string().min(1).default(DEFAULT_MRN_SYSTEM),
    REPORT_RELEASE_DELAY_DAYS: delayList.optional(),
    NOT_ON_PORTAL_TEST_CODES: codeList.optional(),
    HOLIDAY_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US').default('US'),
    HOLIDAY_STATE: z.string().regex(/^[A-Z0-9]{1,3}$/, 'must be a state code such as MA').optional(),
    HOSPITAL_EXTRA_HOLIDAYS: dateList.optional(),
    HOSPITAL_OPEN_ON: dateList.optional(),
    BUSINESS_HOURS_OPEN: clockTime.default('08:00'),
    BUSINESS_HOURS_CLOSE: clockTime.default('17:00'),
    SIGNUP_TOKEN_DAYS: wholeNumber(1).default(60),
    MESSAGE_MAX_FILES: wholeNumber(1).default(10),
    UPLOAD_IDLE_SECONDS: wholeNumber(1).default(30),
    MESSAGE_MAX_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int('must be a number of bytes').min(1024, 'must be at least 1024').default(25 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    // An unknown state or a date both closed and open would otherwise fail on the first due date.
    try {
      const settings = { country: env.HOLIDAY_COUNTRY, extraDates: env.HOSPITAL_EXTRA_HOLIDAYS ?? [], removedDates: env.HOSPITAL_OPEN_ON ?? [], years: [2026] };
      buildHolidayCalendar(env.HOLIDAY_STATE ? { ...settings, state: env.HOLIDAY_STATE } : settings);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: [env.HOLIDAY_STATE ? 'HOLIDAY_STATE' : 'HOLIDAY_COUNTRY'], message: `is not usable: ${(error as Error).message}` });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['SESSION_SECRET', 'ENCRYPTION_KEYS', 'PUBLIC_URL', 'SMTP_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
    // Production refuses the settings that would quietly weaken it (README "Production checklist").
    const unsafe = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.PUBLIC_URL && !env.PUBLIC_URL.startsWith('https://')) unsafe('PUBLIC_URL', 'must be an https:// address in production: families’ records must not travel in clear text');
    if (env.SECURE_COOKIES === false) unsafe('SECURE_COOKIES', 'cannot be false in production: the session cookie must be Secure over HTTPS');
    if (env.TRUST_PROXY === undefined) unsafe('TRUST_PROXY', 'is required in production: the load balancer’s hop count or addresses, or false when clients connect directly');
    if (env.DEMO_DATA) unsafe('DEMO_DATA', 'cannot be true in production: the demo accounts share one published password');
    if (env.DEV_MAILBOX) unsafe('DEV_MAILBOX', 'cannot be true in production: the development mailbox shows every email, reset links included');
  });

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env) {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(environment));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const given = environment[name];
      return `${name} ${issue.message}${given === undefined ? '' : ` (got "${given}")`}`;
    });
    throw new ConfigError(`Configuration error:\n  ${lines.join('\n  ')}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  // Outside production the portal listens on this machine only, unless told otherwise.
  const host = env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  // Served over HTTPS means Secure cookies and HSTS; SECURE_COOKIES only overrides outside production.
  const secureCookies = env.SECURE_COOKIES ?? publicUrl.startsWith('https://');
  return {
    env: env.NODE_ENV,
    isProduction: production,
    port: env.PORT,
    host,
    publicUrl,
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      dataDir: env.DATA_DIR,
      embeddedPort: env.EMBEDDED_PG_PORT,
    },
    session: {
      // Outside production a fixed secret keeps sessions across restarts of a demo.
      secret: env.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
      secureCookies,
      // The __Host- prefix is only accepted by browsers on secure cookies.
      cookieName: secureCookies ? '__Host-portal.sid' : 'portal.sid',
    },
    encryptionKeys: encryptionKeysFrom(env.ENCRYPTION_KEYS ?? [DEVELOPMENT_ENCRYPTION_KEY]),
    passwords: {
      profile: env.PASSWORD_PROFILE,
      argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
    },
    sessionLimits: {
      family: { idleMinutes: env.FAMILY_IDLE_MINUTES, absoluteHours: env.FAMILY_ABSOLUTE_HOURS },
      provider: { idleMinutes: env.PROVIDER_IDLE_MINUTES, absoluteHours: env.PROVIDER_ABSOLUTE_HOURS },
      staff: { idleMinutes: env.STAFF_IDLE_MINUTES, absoluteHours: env.STAFF_ABSOLUTE_HOURS },
    } satisfies Record<AccountKind, { idleMinutes: number; absoluteHours: number }>,
    tokens: {
      emailLinkMinutes: env.EMAIL_LINK_MINUTES,
      passCodeMinutes: env.PASS_CODE_MINUTES,
      confirmLinkHours: env.CONFIRM_LINK_HOURS,
      invitationLinkHours: env.INVITATION_LINK_HOURS,
    },
    /** Demo accounts and records on an empty database: on unless production, or set DEMO_DATA. */
    demoData: env.DEMO_DATA ?? env.NODE_ENV === 'development',
    /**
     * The outbox read in the browser at /dev/mailbox, which shows reset links: never in production,
     * and by default only while the portal listens on this machine alone. It answers loopback only.
     */
    devMailbox: !production && (env.DEV_MAILBOX ?? isLoopbackAddress(host)),
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? 'false'),
    logLevel: env.LOG_LEVEL,
    email: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM },
    hospital: {
      name: env.HOSPITAL_NAME,
      timeZone: env.HOSPITAL_TIME_ZONE,
      mainPhone: env.MAIN_PHONE,
      supportPhone: env.SUPPORT_PHONE,
      myPatientsPhone: env.MYPATIENTS_PHONE,
      supportHours: { start: env.SUPPORT_HOURS_START, end: env.SUPPORT_HOURS_END },
    },
    /** Which days and hours count as business days for due dates (domain/businessDays.ts). */
    businessCalendar: {
      country: env.HOLIDAY_COUNTRY,
      state: env.HOLIDAY_STATE,
      extraDates: env.HOSPITAL_EXTRA_HOLIDAYS ?? [],
      removedDates: env.HOSPITAL_OPEN_ON ?? [],
      hours: { open: env.BUSINESS_HOURS_OPEN, close: env.BUSINESS_HOURS_CLOSE },
    },
    familyAccess: { signupTokenDays: env.SIGNUP_TOKEN_DAYS },
    /** Attachments of one message: how many files, and how many bytes all of them together. */
    messageUploads: { maxFiles: env.MESSAGE_MAX_FILES, maxBytes: env.MESSAGE_MAX_BYTES },
    /** An upload whose body sends nothing for this long is dropped (provider registration). */
    uploadIdleSeconds: env.UPLOAD_IDLE_SECONDS,
    fhir: { importMaxBytes: env.FHIR_IMPORT_MAX_BYTES, mrnSystem: env.FHIR_MRN_SYSTEM },
    releasePolicy: releasePolicyFrom({ reportDelayDays: env.REPORT_RELEASE_DELAY_DAYS, notOnPortalTestCodes: env.NOT_ON_PORTAL_TEST_CODES }),
  };
}

// Outside production a fixed key keeps demo second factors working across restarts.
const DEVELOPMENT_ENCRYPTION_KEY: [string, string] = ['dev', createHash('sha256').update('development-only-totp-key-not-for-production').digest('base64')];

function encryptionKeysFrom(pairs: [string, string][]): EncryptionKeys {
  return { currentId: pairs[0]![0], byId: new Map(pairs.map(([id, key]) => [id, Buffer.from(key, 'base64')])) };
}

/** Express's `trust proxy` accepts a boolean, a hop count or a list of addresses. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An empty variable (`PORT=`) means "not set", as most deployment tools intend. */
function withoutEmptyValues(environment: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

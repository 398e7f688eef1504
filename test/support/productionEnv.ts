// The least a production start needs (config.ts refuses anything less), for tests of production behaviour.
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: 's'.repeat(40),
  ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
  PUBLIC_URL: 'https://portal.example.org',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  TRUST_PROXY: '1',
};

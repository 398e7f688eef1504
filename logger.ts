// Structured JSON logs. Fields that could carry personal details are redacted
// even if a future log call passes them by mistake.
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'portal' },
    redact: {
      paths: ['email', 'recipient', 'name', 'password', 'mrn', 'body', '*.email', '*.recipient', '*.name', '*.password', '*.mrn', '*.body', 'req.headers', 'res.headers'],
      censor: '[redacted]',
    },
  });
}

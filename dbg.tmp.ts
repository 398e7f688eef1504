import express from 'express';
import supertest from 'supertest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageUploads } from './services/messaging/uploads.ts';
const dir = await mkdtemp(join(tmpdir(), 'dbg-'));
const app = express();
app.post('/c', messageUploads({ limits: { maxFiles: 10, maxBytes: 1024 * 1024 }, tempDir: dir }), (req, res) => res.json({ b: req.body, u: req.messageUpload }));
const boundary = 'cut';
const form = `--${boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\nS\r\n` + `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then noth`;
const r = await supertest(app).post('/c').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(form);
console.log(r.status, r.body);
for (const ms of [10, 100, 500]) { await new Promise((x) => setTimeout(x, ms)); console.log(ms, await readdir(dir)); }
const t0 = Date.now();
const r2 = await supertest(app).post('/c').field('subject', 'S').attach('attachments', Buffer.alloc(3 * 1024 * 1024, 0x20), 'big.pdf').field('body', 'B').timeout(10000).catch((e) => e);
console.log(Date.now() - t0, r2.status, r2.body ?? r2.message);
console.log(await readdir(dir));
process.exit(0);

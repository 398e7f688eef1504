// Reading the registration form (multipart: three document fields and the text fields). Each
// document is held in memory up to REGISTRATION_DOCUMENT_MAX_BYTES; past that its bytes are read
// and dropped and it is marked truncated, so one oversized file neither fills memory nor stops the
// form being read: the typed text still reaches the route, which shows it again. A second file in
// the same field, or a file under any other name, is read and thrown away. Mounted before the CSRF
// check (the token is inside the multipart body) on POST /provider/register only, after the
// per-address throttle has counted the attempt (routes/provider/register.ts).
import type { Readable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer from 'multer';
import { cleanDisplayName } from '../../domain/messageAttachments.ts';
import { REGISTRATION_DOCUMENT_MAX_BYTES, REGISTRATION_DOCUMENTS, type ReceivedDocument, type RegistrationDocument } from '../../domain/providerRegistration.ts';

export interface ReceivedRegistrationDocument extends ReceivedDocument {
  content: Buffer;
}

export interface RegistrationUpload {
  documents: Partial<Record<RegistrationDocument, ReceivedRegistrationDocument>>;
  /** Not a form a browser sends: broken multipart, too many parts, a text field far too long. */
  unreadable: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set on a multipart registration: the files as received (checked later), or that the form could not be read. */
    registrationUpload?: RegistrationUpload;
  }
}

interface HeldFile {
  content?: Buffer;
  size?: number;
  truncated?: boolean;
}

const isDocumentField = (name: string): name is RegistrationDocument => (REGISTRATION_DOCUMENTS as readonly string[]).includes(name);

function drain(stream: Readable): void {
  stream.on('data', () => {});
  stream.resume();
}

/** Reads the stream into memory, keeping at most `maxBytes`; beyond that it only counts. */
function readCapped(stream: Readable, maxBytes: number): Promise<HeldFile> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (truncated) return;
      if (kept + chunk.length > maxBytes) {
        truncated = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    });
    stream.once('error', reject);
    stream.once('end', () => resolve({ content: truncated ? Buffer.alloc(0) : Buffer.concat(chunks, kept), size, truncated }));
  });
}

export function registrationUploads(options: { maxBytes?: number } = {}) {
  const maxBytes = options.maxBytes ?? REGISTRATION_DOCUMENT_MAX_BYTES;
  const storage: multer.StorageEngine = {
    _handleFile(req, file, callback) {
      const seen = ((req as Request & { seenDocumentFields?: Set<string> }).seenDocumentFields ??= new Set());
      if (!isDocumentField(file.fieldname) || seen.has(file.fieldname)) {
        drain(file.stream);
        return callback(null, {});
      }
      seen.add(file.fieldname);
      readCapped(file.stream, maxBytes).then((held) => callback(null, held as Partial<Express.Multer.File>), callback);
    },
    _removeFile(_req, _file, callback) {
      callback(null);
    },
  };
  const readForm = multer({
    storage,
    defParamCharset: 'utf8',
    // Only a hand-made request reaches these: a browser sends 3 files and about 15 short fields.
    limits: { files: 10, fields: 40, parts: 50, fieldSize: 4000, fieldNameSize: 100, headerPairs: 200 },
  }).any();

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    readForm(req, res, (error?: unknown) => {
      const finish = async () => {
        if (error && !(error instanceof multer.MulterError) && !req.destroyed && isSystemError(error)) return next(error);
        const documents: RegistrationUpload['documents'] = {};
        if (!error) {
          for (const file of (req.files ?? []) as (Express.Multer.File & HeldFile)[]) {
            if (!isDocumentField(file.fieldname) || !file.content || documents[file.fieldname]) continue;
            // A browser sends an empty part with no name when a file input is left empty.
            if (!file.originalname && file.size === 0) continue;
            const detected = file.truncated || !file.content.length ? undefined : await fileTypeFromBuffer(file.content);
            documents[file.fieldname] = {
              displayName: cleanDisplayName(file.originalname),
              size: file.size ?? file.content.length,
              truncated: !!file.truncated,
              detectedExt: detected?.ext,
              content: file.content,
            };
          }
        }
        req.files = [];
        req.registrationUpload = { documents, unreadable: !!error };
        next();
      };
      finish().catch(next);
    });
  };
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

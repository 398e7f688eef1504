// Receiving a message's attachments (issue 7 item 3, SPEC §2 Messaging and §5): each file streams
// to a temporary file under a random name (the sender's filename is never a path), the bytes of
// ALL files of the request are counted as they arrive, and once the total passes the limit the
// files are dropped and the rest of the upload is read and thrown away, so a 26 MB upload never
// sits in memory. Reading goes on to the end of the form, so the subject and body typed after (or
// before) the files still reach the route and the page can show them again. Then each file's real
// type is read from its content (file-type) and checked against the allowed kinds
// (domain/messageAttachments.ts). Every temporary file is removed on any refusal, and in any case
// when the response ends: whoever stores the message reads the files before answering.
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fileTypeFromFile } from 'file-type';
import multer from 'multer';
import { acceptedKind, cleanDisplayName, extensionOf, refusalOf } from '../../domain/messageAttachments.ts';
import type { Params } from '../../locales/index.ts';
import type { ReceivedFile } from './receivedFile.ts';
import { UPLOAD_DIR_PREFIX } from './uploadSweep.ts';

export interface UploadLimits {
  /** At most this many files in one message (MESSAGE_MAX_FILES). */
  maxFiles: number;
  /** At most this many bytes, all files of the message together (MESSAGE_MAX_BYTES). */
  maxBytes: number;
}

/** A compose form's text fields: a longer one (or more of them) makes the whole form 'unreadable'. */
export const MAX_TEXT_FIELDS = 20;
export const MAX_TEXT_FIELD_BYTES = 200 * 1024;

/** Why the attachments of a message were refused: one rule, named for the page's message. */
export type UploadProblem =
  | { rule: 'too-many-files'; maxFiles: number }
  | { rule: 'too-large'; maxBytes: number }
  | { rule: 'wrong-type'; displayName: string }
  /** The name is of a kind that may be attached, the content is not that kind. */
  | { rule: 'content-mismatch'; displayName: string; extension: string }
  | { rule: 'empty-file'; displayName: string }
  /** Not a form a browser sends: broken multipart, too many parts or fields, a field too long. */
  | { rule: 'unreadable' };

export type UploadResult = { ok: true; files: ReceivedFile[] } | { ok: false; problem: UploadProblem };

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by messageUploads() on a multipart request: the checked files, or why they were refused. */
    messageUpload?: UploadResult;
  }
}

export interface MessageUploadOptions {
  limits: UploadLimits;
  /** The form's file input name. Files under any other name are read and thrown away. */
  fieldName?: string;
  /** Where the temporary files go; by default a private directory made once under the OS temp dir. */
  tempDir?: string;
}

/** The locale key of the message for each rule (locales namespace messaging.uploads). */
export const UPLOAD_PROBLEM_KEYS = {
  'too-many-files': 'messaging.uploads.tooManyFiles',
  'too-large': 'messaging.uploads.tooLarge',
  'wrong-type': 'messaging.uploads.wrongType',
  'content-mismatch': 'messaging.uploads.contentMismatch',
  'empty-file': 'messaging.uploads.emptyFile',
  unreadable: 'messaging.uploads.unreadable',
} as const satisfies Record<UploadProblem['rule'], string>;

/** The sentence for a refusal, in the page's language. */
export function uploadProblemMessage(problem: UploadProblem, t: (key: string, params?: Params) => string): string {
  switch (problem.rule) {
    case 'too-many-files':
      return t(UPLOAD_PROBLEM_KEYS[problem.rule], { count: problem.maxFiles });
    case 'too-large':
      return t(UPLOAD_PROBLEM_KEYS[problem.rule], { size: megabytes(problem.maxBytes) });
    case 'content-mismatch':
      return t(UPLOAD_PROBLEM_KEYS[problem.rule], { name: problem.displayName, extension: problem.extension });
    case 'wrong-type':
    case 'empty-file':
      return t(UPLOAD_PROBLEM_KEYS[problem.rule], { name: problem.displayName });
    case 'unreadable':
      return t(UPLOAD_PROBLEM_KEYS[problem.rule]);
  }
}

/** A byte count in megabytes as a sentence shows it: "25", or "2.5". */
export function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Removes the temporary files once the message that carries them is stored (or was not). */
export async function discardReceived(files: readonly Pick<ReceivedFile, 'path'>[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file.path, { force: true })));
}

// What one request has received so far: shared by the files of the request, so the limits
// count across all of them.
interface RequestUploads {
  /** The private directory, ready before the first file arrives so each file is taken at once. */
  dir: string;
  fileCount: number;
  totalBytes: number;
  refusal?: UploadProblem;
  /** Every temporary file made for this request, kept or not, for the clean-up at the end. */
  paths: Set<string>;
  /** Files still being written: closed by the clean-up when the request ends first (client gone). */
  writers: Set<WriteStream>;
  /** Set by the clean-up: a file that finishes writing after it removes itself. */
  cleanedUp: boolean;
}

interface StoredFile {
  path: string;
  size: number;
}

/**
 * The middleware. It reads only multipart requests, before the CSRF check (the token is inside the
 * multipart body): app.ts mounts it on the paths that take attachments, for signed-in sessions,
 * ahead of CSRF, as staffSupportUploads() does. The route then finds the text fields in req.body
 * and the outcome in req.messageUpload.
 */
export function messageUploads(options: MessageUploadOptions): RequestHandler {
  const { limits } = options;
  const fieldName = options.fieldName ?? 'attachments';
  const received = new WeakMap<Request, RequestUploads>();
  let tempDir: Promise<string> | undefined;
  // Made once; made again if it failed or a temp cleaner removed it from a long-running server.
  const directory = async (): Promise<string> => {
    const dir = await (tempDir ??= makeTempDir(options.tempDir)).catch((error: unknown) => {
      tempDir = undefined;
      throw error;
    });
    return access(dir).then(
      () => dir,
      () => (tempDir = makeTempDir(options.tempDir)),
    );
  };

  const storage: multer.StorageEngine = {
    _handleFile(req, file, callback) {
      const uploads = received.get(req)!;
      const refuseAndDrain = (problem?: UploadProblem) => {
        if (problem && !uploads.refusal) uploads.refusal = problem;
        drain(file.stream);
        callback(null, {});
      };
      if (file.fieldname !== fieldName || uploads.refusal) return refuseAndDrain();
      uploads.fileCount += 1;
      if (uploads.fileCount > limits.maxFiles) return refuseAndDrain({ rule: 'too-many-files', maxFiles: limits.maxFiles });
      // Synchronously: listeners must be on the stream before busboy can end or fail it.
      writeCounted(file.stream, join(uploads.dir, randomUUID()), uploads, limits.maxBytes).then(
        (stored) => callback(null, stored ?? {}),
        (error: unknown) => callback(error as Error),
      );
    },
    _removeFile(_req, file, callback) {
      if (!file.path) return callback(null);
      rm(file.path, { force: true }).then(() => callback(null), callback);
    },
  };

  const readForm = multer({
    storage,
    // Browsers send filenames as UTF-8; busboy's default would read "informe-médico.pdf" as Latin-1.
    defParamCharset: 'utf8',
    limits: {
      // Files past maxFiles are counted and thrown away (so the text after them is still read);
      // these caps only stop a request no browser would send. Text fields are held in memory:
      // at most MAX_TEXT_FIELDS × MAX_TEXT_FIELD_BYTES (4 MB).
      files: limits.maxFiles + 100,
      fields: MAX_TEXT_FIELDS,
      parts: limits.maxFiles + 100 + MAX_TEXT_FIELDS,
      fieldSize: MAX_TEXT_FIELD_BYTES,
    },
  }).any();

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    directory().then((dir) => receive(req, res, next, dir), next);
  };

  function receive(req: Request, res: Response, next: NextFunction, dir: string) {
    const uploads: RequestUploads = { dir, fileCount: 0, totalBytes: 0, paths: new Set(), writers: new Set(), cleanedUp: false };
    received.set(req, uploads);
    // The safety net: whatever happens after (CSRF refused, the route threw, the client left),
    // no temporary file outlives its request.
    res.on('close', () => void cleanUp(uploads));

    readForm(req, res, (error?: unknown) => {
      const finish = async () => {
        if (error) {
          await cleanUp(uploads);
          // A full disk or an unwritable temp dir is the server's fault, not the sender's; a
          // connection reset by a sender who left is not.
          if (isSystemError(error) && !req.destroyed) return next(error);
          req.messageUpload = { ok: false, problem: error instanceof multer.MulterError && error.code === 'LIMIT_FILE_COUNT' ? { rule: 'too-many-files', maxFiles: limits.maxFiles } : { rule: 'unreadable' } };
          return next();
        }
        if (uploads.refusal) {
          await cleanUp(uploads);
          req.messageUpload = { ok: false, problem: uploads.refusal };
          return next();
        }
        const files = ((req.files ?? []) as Express.Multer.File[]).filter((file): file is Express.Multer.File & StoredFile => typeof file.path === 'string');
        req.messageUpload = await checkReceived(files.map((file) => ({ sentName: file.originalname, path: file.path, size: file.size })));
        if (!req.messageUpload.ok) await cleanUp(uploads);
        next();
      };
      finish().catch(next);
    });
  }
}

/**
 * The checks made once every byte is on disk, in the order the files were sent; the first
 * refusal wins and names the file.
 */
export async function checkReceived(files: readonly { sentName: string; path: string; size: number }[]): Promise<UploadResult> {
  const accepted: ReceivedFile[] = [];
  for (const file of files) {
    const displayName = cleanDisplayName(file.sentName);
    if (file.size === 0) return { ok: false, problem: { rule: 'empty-file', displayName } };
    const detected = await fileTypeFromFile(file.path);
    const kind = acceptedKind(displayName, detected?.ext);
    if (!kind) {
      const rule = refusalOf(displayName);
      return { ok: false, problem: rule === 'content-mismatch' ? { rule, displayName, extension: extensionOf(displayName) } : { rule, displayName } };
    }
    accepted.push({ displayName, contentType: kind.contentType, size: file.size, path: file.path });
  }
  return { ok: true, files: accepted };
}

/**
 * Writes one file to `path`, adding its bytes to the request's total. Past the limit the file is
 * closed, the request is marked too large, and the rest of the stream is read and dropped (busboy
 * would stall on a destroyed stream); resolves with nothing in that case.
 */
function writeCounted(input: Readable, path: string, uploads: RequestUploads, maxBytes: number): Promise<StoredFile | undefined> {
  return new Promise((resolve, reject) => {
    // 'wx': never follow or overwrite anything already at the random name; 0600: only this user.
    const output = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    uploads.paths.add(path);
    uploads.writers.add(output);
    let size = 0;
    let over = false;
    let failed: Error | undefined;
    const stop = () => {
      input.removeListener('data', onData);
      drain(input);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      uploads.totalBytes += chunk.length;
      if (uploads.totalBytes > maxBytes) {
        over = true;
        uploads.refusal ??= { rule: 'too-large', maxBytes };
        output.destroy();
        return stop();
      }
      if (!output.write(chunk)) {
        input.pause();
        output.once('drain', () => input.resume());
      }
    };
    input.on('data', onData);
    input.once('error', (error) => {
      failed = error;
      output.destroy();
    });
    output.on('error', (error) => {
      // Writes still queued when we closed the file on purpose (over the limit, or the request
      // ended) fail with ERR_STREAM_DESTROYED: that is the refusal, not a server fault.
      if (over || uploads.cleanedUp) return;
      failed ??= error;
      stop();
    });
    input.once('end', () => {
      if (over || failed) return;
      output.end();
    });
    output.once('close', () => {
      uploads.writers.delete(output);
      if (failed) return rm(path, { force: true }).then(() => reject(failed), reject);
      if (over || uploads.cleanedUp) return rm(path, { force: true }).then(() => resolve(undefined), reject);
      resolve({ path, size });
    });
    // Already ended or failed before we were handed it: nothing more will come.
    if (input.errored) {
      failed = input.errored;
      output.destroy();
    }
  });
}

/** Reads a stream to its end without keeping anything. */
function drain(stream: Readable): void {
  stream.on('data', () => {});
  stream.resume();
}

/** Removes every temporary file of the request, and stops any still being written (they then remove themselves). */
async function cleanUp(uploads: RequestUploads): Promise<void> {
  uploads.cleanedUp = true;
  for (const writer of uploads.writers) writer.destroy();
  const all = [...uploads.paths];
  uploads.paths.clear();
  await Promise.all(all.map((path) => rm(path, { force: true })));
}

async function makeTempDir(chosen: string | undefined): Promise<string> {
  if (chosen) {
    await mkdir(chosen, { recursive: true, mode: 0o700 });
    return chosen;
  }
  // mkdtemp makes the directory 0700 under a name no one can guess in advance.
  return mkdtemp(join(tmpdir(), UPLOAD_DIR_PREFIX));
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

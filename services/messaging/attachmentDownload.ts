// Sending a stored attachment to someone allowed to see its thread (the caller decides that, and
// audits it): always as a download, never shown inside the portal's origin, with the type found in
// its content when it was received, and never kept by a shared or browser cache.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

export interface AttachmentToSend {
  /** Already cleaned on receipt (cleanDisplayName); encoded here for the header. */
  displayName: string;
  /** The detected type it was stored with. */
  contentType: string;
  size: number;
}

/**
 * Sets the headers of an attachment download. Content-Disposition comes from the
 * `content-disposition` package through res.attachment: a plain ASCII name is sent quoted
 * (quotes and backslashes escaped), anything else as RFC 5987 `filename*=UTF-8''…` with an
 * ASCII `filename` fallback (RFC 6266 §4.3).
 */
export function setAttachmentHeaders(res: Response, file: AttachmentToSend): void {
  // res.attachment also guesses a type from the name; the stored, detected type replaces it.
  res.attachment(file.displayName);
  res.set({
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
}

/** Sends the attachment's bytes (a Buffer from the database, or a stream) with those headers. */
export async function sendAttachment(res: Response, file: AttachmentToSend, content: Buffer | Readable): Promise<void> {
  if (Buffer.isBuffer(content)) {
    // The bytes at hand are the truth for the length, whatever was recorded beside them.
    setAttachmentHeaders(res, { ...file, size: content.length });
    res.end(content);
    return;
  }
  setAttachmentHeaders(res, file);
  await pipeline(content, res);
}

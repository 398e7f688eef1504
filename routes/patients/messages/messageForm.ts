// What the compose and reply forms share: the message text's rules, the attachments' outcome as a
// field problem, and removing the temporary files once the message is stored (or refused).
import type { Request, Response } from 'express';
import { z } from 'zod';
import { MESSAGE_BODY_MAX_LENGTH } from '../../../domain/messaging.ts';
import { ALLOWED_NAME_EXTS } from '../../../domain/messageAttachments.ts';
import { discardReceived, megabytes, uploadProblemMessage } from '../../../services/messaging/uploads.ts';
import type { ReceivedFile } from '../../../services/messaging/receivedFile.ts';
import { addProblem, type FormProblems } from '../../forms.ts';

/** The message text as typed: not only spaces, not longer than the limit. Kept as typed otherwise. */
export const messageBody = z
  .string('messages.errors.bodyMissing')
  .refine((body) => body.trim() !== '', 'messages.errors.bodyMissing')
  .refine((body) => body.length <= MESSAGE_BODY_MAX_LENGTH, 'messages.errors.bodyTooLong');

/** The files that came with the form (none when it was not multipart), or a problem for the attachments field. */
export function receivedFiles(req: Request, res: Response, problems: FormProblems): ReceivedFile[] {
  const upload = req.messageUpload;
  if (!upload) return [];
  if (upload.ok) return upload.files;
  addProblem(problems, 'attachments', uploadProblemMessage(upload.problem, res.locals.t));
  return [];
}

/** Runs `work`, then removes the request's temporary files whatever happened. */
export async function withReceivedFiles<T>(files: readonly ReceivedFile[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await discardReceived(files);
  }
}

/** What the file field says and offers: the limits in words, and the kinds for the browser's picker. */
export function attachmentsField(res: Response, limits: { maxFiles: number; maxBytes: number }): { hint: string; accept: string } {
  return {
    hint: res.locals.t('messaging.uploads.allowed', { count: limits.maxFiles, size: megabytes(limits.maxBytes) }),
    accept: ALLOWED_NAME_EXTS.map((ext) => `.${ext}`).join(','),
  };
}

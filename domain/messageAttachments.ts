// What a message may carry (SPEC §2 Messaging): .docx, .pdf, .png, .jpeg/.jpg, .mov, .mpeg.
// A file is accepted only when the type found in its content is one of these AND the name's
// extension is one the same type is known by: a program renamed .pdf, or a PNG named .pdf, is
// refused. Pure rules; services/messaging/uploads.ts feeds them what file-type detected.

export interface AttachmentKind {
  /** The extension file-type reports for this content. */
  detectedExt: string;
  /** Extensions a sender's file of this kind may have (lower case, no dot). */
  nameExts: readonly string[];
  /** The type the file is stored and served with. */
  contentType: string;
}

export const ATTACHMENT_KINDS: readonly AttachmentKind[] = [
  { detectedExt: 'pdf', nameExts: ['pdf'], contentType: 'application/pdf' },
  { detectedExt: 'png', nameExts: ['png'], contentType: 'image/png' },
  { detectedExt: 'jpg', nameExts: ['jpg', 'jpeg'], contentType: 'image/jpeg' },
  { detectedExt: 'docx', nameExts: ['docx'], contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { detectedExt: 'mov', nameExts: ['mov'], contentType: 'video/quicktime' },
  // file-type names MPEG-1/2 program streams 'mpg' with video/MP1S or video/MP2P; browsers know video/mpeg.
  { detectedExt: 'mpg', nameExts: ['mpeg'], contentType: 'video/mpeg' },
];

/** The extensions the compose page lists (and an `accept` attribute can use). */
export const ALLOWED_NAME_EXTS: readonly string[] = ATTACHMENT_KINDS.flatMap((kind) => kind.nameExts);

const MAX_NAME_LENGTH = 200;

/**
 * The sender's filename made safe to show and to offer on download: only the last path segment
 * (browsers on Windows have sent full paths), no control or invisible formatting characters
 * (a right-to-left override can make "report‮fdp.exe" look like "reportexe.pdf"), spaces
 * collapsed, NFC, at most 200 characters with the extension kept. Never used as a path.
 */
export function cleanDisplayName(sent: string): string {
  const lastSegment = sent.split(/[/\\]/).pop() ?? '';
  let name = lastSegment
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  // A name that is only dots would read as a directory (".", "..") wherever it is shown.
  if (/^\.*$/.test(name)) name = '';
  if (!name) return 'attachment';
  const characters = [...name];
  if (characters.length <= MAX_NAME_LENGTH) return name;
  const ext = extensionOf(name);
  const suffix = ext ? `.${ext}` : '';
  return characters.slice(0, MAX_NAME_LENGTH - suffix.length).join('').trimEnd() + suffix;
}

/** The extension of a name, lower case without the dot; '' when there is none ("report", ".pdf"). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

/**
 * Why a file that acceptedKind refused was refused: its name is not of a kind that may be
 * attached ('wrong-type': the page lists the kinds), or it is, but the content is something
 * else ('content-mismatch': listing the kinds, its own among them, would only puzzle).
 */
export function refusalOf(displayName: string): 'wrong-type' | 'content-mismatch' {
  return ALLOWED_NAME_EXTS.includes(extensionOf(displayName)) ? 'content-mismatch' : 'wrong-type';
}

/**
 * The kind a file is accepted as, or undefined when it is refused: the content was not
 * recognised, is not an allowed kind, or the name's extension does not match the content.
 */
export function acceptedKind(displayName: string, detectedExt: string | undefined): AttachmentKind | undefined {
  if (!detectedExt) return undefined;
  const kind = ATTACHMENT_KINDS.find((candidate) => candidate.detectedExt === detectedExt);
  if (!kind) return undefined;
  return kind.nameExts.includes(extensionOf(displayName)) ? kind : undefined;
}

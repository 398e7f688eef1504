// A file a family or staff member attached to a message, after the upload has been received and
// checked (services/messaging/uploads.ts): its real type comes from its content, and it waits in a
// temporary file until the message that carries it is stored (services/messaging/threads.ts).

export interface ReceivedFile {
  /** The name the sender's computer gave it, cleaned for display; never used as a path. */
  displayName: string;
  /** The type detected from the content (file-type), not from the name. */
  contentType: string;
  size: number;
  /** Where the upload waits on disk until it is stored with its message, then removed. */
  path: string;
}

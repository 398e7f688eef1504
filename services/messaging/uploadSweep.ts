// Temporary upload files outlive their request only when the server process dies mid-request
// (killed, out of memory, power lost): the clean-up in uploads.ts runs when the response ends,
// which a killed process never reaches. Nothing is stored from such a request (the message and its
// files are one transaction, which PostgreSQL rolls back), so its files are only litter. The
// server sweeps them when it starts: upload directories under the temp dir where nothing has
// changed for an hour, far longer than any upload takes. A directory another server on the same
// machine is using right now has recent files (or is remade by it on its next upload).
import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The name every upload directory starts with (services/messaging/uploads.ts makes them). */
export const UPLOAD_DIR_PREFIX = 'portal-message-uploads-';
const STALE_AFTER_MS = 3_600_000;

export async function sweepStaleUploads(options: { dir?: string; staleAfterMs?: number; now?: number } = {}): Promise<{ dirs: number; files: number }> {
  const parent = options.dir ?? tmpdir();
  const before = (options.now ?? Date.now()) - (options.staleAfterMs ?? STALE_AFTER_MS);
  const swept = { dirs: 0, files: 0 };
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(UPLOAD_DIR_PREFIX)) continue;
    const dir = path.join(parent, name);
    try {
      const info = await lstat(dir);
      // Only a real directory of this user's; never follow a link someone put there.
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      const entries = await readdir(dir);
      const times = await Promise.all(entries.map(async (entry) => (await lstat(path.join(dir, entry))).mtimeMs));
      if (Math.max(info.mtimeMs, ...times) >= before) continue;
      await rm(dir, { recursive: true, force: true });
      swept.dirs += 1;
      swept.files += entries.length;
    } catch {
      // Gone meanwhile, or not ours to read: leave it.
    }
  }
  return swept;
}

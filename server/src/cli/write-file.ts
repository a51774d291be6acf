import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hashOf, type ReadStamp } from '../workspace/read-source';

/**
 * Replaces a file's content atomically: the new text goes to a temporary file
 * in the same folder (so the rename cannot cross file systems) with the
 * original's permissions, then is renamed over it. A reader sees the old file
 * or the new one, never half of it, and a crash leaves the original intact.
 * A symbolic link stays a link: its target is replaced.
 */
export function writeFileAtomic(file: string, data: string, readStamp?: ReadStamp): void {
  const target = fs.realpathSync(file);
  const stat = fs.statSync(target);
  if (readStamp && changedSince(target, stat, readStamp)) throw new Error('the file changed while it was being linted; not overwriting it');
  // Renaming over a file needs only the folder's permission; a file the user may not write must stay as it is.
  fs.accessSync(target, fs.constants.W_OK);
  const mode = stat.mode & 0o7777;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.authlint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // openSync's mode is filtered through the umask; set the original's exactly.
    fs.chmodSync(temp, mode);
    keepOwner(temp, stat);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function changedSince(file: string, stat: fs.Stats, stamp: ReadStamp): boolean {
  return stat.size !== stamp.size || stat.mtimeMs !== stamp.mtimeMs || hashOf(fs.readFileSync(file)) !== stamp.sha256;
}

/** Gives the new file the original's owner where allowed (root running CI on a checkout owned by another user). */
function keepOwner(file: string, original: fs.Stats): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  if (original.uid === 0 && original.gid === 0) return;
  fs.chownSync(file, original.uid, original.gid);
}

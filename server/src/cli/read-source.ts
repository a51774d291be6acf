import fs from 'node:fs';

/** Files larger than this are generated or bundled code, not handlers a person wrote. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A line this long means minified output. */
export const MAX_LINE_LENGTH = 10_000;

export type SourceRead = { ok: true; text: string } | { ok: false; skipped: string } | { ok: false; error: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a source file, refusing what is not hand-written text: binary, non-UTF-8, huge or minified. */
export function readSource(file: string): SourceRead {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) return { ok: false, skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(stat.size / 1024 / 1024).toFixed(1)} MB), likely generated` };
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, error: `cannot read: ${(error as Error).message}` };
  }
  return decodeSource(bytes);
}

export function decodeSource(bytes: Uint8Array): SourceRead {
  if (bytes.includes(0)) return { ok: false, skipped: 'binary file' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, skipped: 'not UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (hasVeryLongLine(text)) return { ok: false, skipped: `has a line over ${MAX_LINE_LENGTH} characters, likely minified` };
  return { ok: true, text };
}

function hasVeryLongLine(text: string): boolean {
  if (text.length <= MAX_LINE_LENGTH) return false;
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline === -1 ? text.length : newline;
    if (end - lineStart > MAX_LINE_LENGTH) return true;
    if (newline === -1) return false;
    lineStart = newline + 1;
  }
}

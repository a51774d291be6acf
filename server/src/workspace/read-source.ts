import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** Files larger than this are generated or bundled code, not handlers a person wrote. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A line this long means minified output. */
export const MAX_LINE_LENGTH = 10_000;

/** A file as it was read, to notice an edit made while it was being linted, before `--fix` overwrites it. */
export interface ReadStamp {
  size: number;
  mtimeMs: number;
  /** The content's hash: an edit within the file system's timestamp resolution keeps size and mtime. */
  sha256: string;
}

export function stampOf(stat: fs.Stats, bytes: Uint8Array): ReadStamp {
  return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: hashOf(bytes) };
}

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `bom` says the file began with a byte order mark, which `--fix` writes back. */
export type SourceRead = { ok: true; text: string; bom: boolean } | { ok: false; skipped: string } | { ok: false; error: string };

// ignoreBOM keeps a leading BOM in the text, so the fix can write it back.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a source file, refusing what is not hand-written text: binary,
 * non-UTF-8, huge or minified. `stamp` lets `--fix` notice a later edit.
 */
export function readSource(file: string): SourceRead & { stamp?: ReadStamp } {
  let bytes: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) return { ok: false, skipped: tooLarge(stat.size) };
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, error: `cannot read it: ${(error as Error).message}` };
  }
  return { ...decodeSource(bytes), stamp: stampOf(stat, bytes) };
}

export function decodeSource(bytes: Uint8Array): SourceRead {
  if (bytes.includes(0)) return { ok: false, skipped: 'binary file' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, skipped: 'not UTF-8 text' };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  if (hasVeryLongLine(text)) return { ok: false, skipped: minified };
  return { ok: true, text, bom };
}

const minified = `has a line over ${MAX_LINE_LENGTH} characters, likely minified`;

/** Why an editor's text is not linted, by the CLI's rules (size in UTF-8 bytes, minified lines); undefined when it is. */
export function skipReason(text: string): string | undefined {
  // UTF-8 takes at least one byte per UTF-16 unit and at most three: measure only when that range straddles the limit.
  const bytes = text.length > MAX_FILE_BYTES ? text.length : text.length * 3 > MAX_FILE_BYTES ? Buffer.byteLength(text) : 0;
  if (bytes > MAX_FILE_BYTES) return tooLarge(bytes);
  return hasVeryLongLine(text) ? minified : undefined;
}

function tooLarge(bytes: number): string {
  return `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(bytes / 1024 / 1024).toFixed(1)} MB), likely generated`;
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

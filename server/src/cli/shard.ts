import path from 'node:path';

/**
 * Whether a file belongs to shard `index` of `count` (1-based, as Jest and
 * Playwright number them): by a hash of its path relative to the repository
 * root, written with `/`, so every machine of a CI matrix splits the same
 * files the same way whatever folder it checked them out in.
 */
export function inShard(file: string, root: string, shard: { index: number; count: number }): boolean {
  return shardOf(path.relative(root, file).split(path.sep).join('/'), shard.count) === shard.index - 1;
}

/** FNV-1a over the path's UTF-16 code units: stable across platforms and Node versions. */
function shardOf(relative: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < relative.length; i++) {
    hash ^= relative.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

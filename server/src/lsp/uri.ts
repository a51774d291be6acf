import { fileURLToPath, pathToFileURL } from 'node:url';

/** Conversions between document URIs and file paths, in one place. */
export const URI = {
  /** The file a `file:` URI names; any other URI (or a file URI that names no local file) stands for itself. */
  toPath(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  },
  fromPath(file: string): string {
    return pathToFileURL(file).toString();
  },
};

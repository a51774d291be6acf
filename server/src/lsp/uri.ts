import { fileURLToPath, pathToFileURL } from 'node:url';

/** Conversions between document URIs and file paths, in one place. */
export const URI = {
  toPath(uri: string): string {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  },
  fromPath(file: string): string {
    return pathToFileURL(file).toString();
  },
};

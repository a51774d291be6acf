// fastify-plugin 5 (types/plugin.d.ts): wraps a plugin so that what it decorates is seen by its parent.
import type { FastifyPluginAsync, FastifyPluginCallback } from 'fastify';

export interface PluginMetadata {
  fastify?: string;
  name?: string;
  dependencies?: string[];
}

declare function fp<Options = Record<never, never>>(fn: FastifyPluginAsync<Options>, options?: PluginMetadata | string): FastifyPluginAsync<Options>;
declare function fp<Options = Record<never, never>>(fn: FastifyPluginCallback<Options>, options?: PluginMetadata | string): FastifyPluginCallback<Options>;
export default fp;
export { fp };

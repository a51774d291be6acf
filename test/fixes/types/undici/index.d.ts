// undici publishes its declarations as undici-types (installed with @types/node).
export * from 'undici-types';
export { default } from 'undici-types';

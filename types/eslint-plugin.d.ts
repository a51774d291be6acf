import type { ESLint, Linter } from 'eslint';

/** authlint's rules as an ESLint flat-config plugin: `export default [authlint.configs.recommended]`. */
declare const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } };

export = plugin;

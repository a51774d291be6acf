import fs from 'node:fs';
import path from 'node:path';
import { challengeSettingProblem } from './http/check-challenges';
import type { AuthVocabularyConfig } from './model/auth-vocabulary';
import { RULE_IDS } from './rules/ids';
import { DEFAULT_CHALLENGE, type Settings, type Severity } from './types';

export const CONFIG_FILE = '.authlintrc.json';
const SEVERITIES: readonly Severity[] = ['off', 'warn', 'error'];

/** A project's configuration as written in `.authlintrc.json` or `package.json#authlint`. */
export interface ProjectConfig {
  rules?: Record<string, Severity>;
  ignore?: string[];
  challenge?: string;
  credentialHeaders?: string[];
  authVocabulary?: AuthVocabularyConfig;
}

export class ConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

/** Checks a parsed config object, naming the file and key of the first problem. */
export function validateConfig(value: unknown, file: string): ProjectConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, 'the configuration must be a JSON object');
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['rules', 'ignore', 'challenge', 'credentialHeaders', 'authVocabulary', '$schema'].includes(key)) {
      throw new ConfigError(file, `unknown key "${key}" (expected rules, ignore, challenge, credentialHeaders, authVocabulary)`);
    }
  }
  if (config.rules !== undefined) {
    if (typeof config.rules !== 'object' || config.rules === null || Array.isArray(config.rules)) throw new ConfigError(file, '"rules" must be an object of rule id → "off" | "warn" | "error"');
    for (const [id, severity] of Object.entries(config.rules)) {
      const bare = id.replace(/^authlint\//, '');
      if (!RULE_IDS.includes(bare)) throw new ConfigError(file, `"rules": unknown rule "${id}" (known: ${RULE_IDS.join(', ')})`);
      if (!SEVERITIES.includes(severity as Severity)) throw new ConfigError(file, `"rules.${id}": severity must be "off", "warn" or "error", not ${JSON.stringify(severity)}`);
    }
  }
  if (config.ignore !== undefined && !(Array.isArray(config.ignore) && config.ignore.every((g) => typeof g === 'string'))) {
    throw new ConfigError(file, '"ignore" must be an array of glob strings');
  }
  if (config.challenge !== undefined) {
    if (typeof config.challenge !== 'string') throw new ConfigError(file, '"challenge" must be a WWW-Authenticate value such as "Bearer realm=\\"api\\""');
    const problem = challengeSettingProblem(config.challenge);
    if (problem) throw new ConfigError(file, `"challenge": ${problem}`);
  }
  if (config.credentialHeaders !== undefined && !(Array.isArray(config.credentialHeaders) && config.credentialHeaders.every((h) => typeof h === 'string' && h.length > 0))) {
    throw new ConfigError(file, '"credentialHeaders" must be an array of header names');
  }
  validateAuthVocabulary(config.authVocabulary, file);
  const rules = config.rules as Record<string, Severity> | undefined;
  return {
    rules: rules && Object.fromEntries(Object.entries(rules).map(([id, s]) => [id.replace(/^authlint\//, ''), s])),
    ignore: config.ignore as string[] | undefined,
    challenge: config.challenge as string | undefined,
    credentialHeaders: config.credentialHeaders as string[] | undefined,
    authVocabulary: config.authVocabulary as AuthVocabularyConfig | undefined,
  };
}

/** `authVocabulary`: `{ authentication?, authorization?, unrelated? }`, each an array of words. */
function validateAuthVocabulary(value: unknown, file: string): void {
  if (value === undefined) return;
  const shape = '"authVocabulary" must be an object with "authentication", "authorization" and "unrelated" arrays of words';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, shape);
  for (const [key, words] of Object.entries(value)) {
    if (!['authentication', 'authorization', 'unrelated'].includes(key)) throw new ConfigError(file, `"authVocabulary": unknown key "${key}" (expected authentication, authorization, unrelated)`);
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string' && w.length > 0)) throw new ConfigError(file, `"authVocabulary.${key}" must be an array of words`);
  }
}

/** Reads and validates one config file (`.authlintrc.json`, or a `package.json` with an `authlint` key). */
export function readConfigFile(file: string): ProjectConfig | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, `cannot read: ${(error as Error).message}`);
  }
  const isPackageJson = path.basename(file) === 'package.json';
  // A package.json that never mentions authlint is not ours to judge, broken or not.
  if (isPackageJson && !raw.includes('"authlint"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(file, `invalid JSON: ${(error as Error).message}`);
  }
  if (isPackageJson) {
    const section = (parsed as Record<string, unknown> | null)?.authlint;
    return section === undefined ? undefined : validateConfig(section, `${file}#authlint`);
  }
  return validateConfig(parsed, file);
}

/**
 * The nearest config at or above `dir`: `.authlintrc.json` first, then a
 * `package.json` with an `authlint` key, as ESLint looks up its own.
 */
export function findConfig(dir: string): { file: string; config: ProjectConfig } | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const rc = path.join(current, CONFIG_FILE);
    if (fs.existsSync(rc)) return { file: rc, config: readConfigFile(rc) ?? {} };
    const pkg = path.join(current, 'package.json');
    if (fs.existsSync(pkg)) {
      const config = readConfigFile(pkg);
      if (config) return { file: pkg, config };
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** Settings from defaults, then user-level values, then the project config (which wins). */
export function resolveSettings(...layers: (ProjectConfig | undefined)[]): Settings {
  const settings: Settings = { rules: {}, challenge: DEFAULT_CHALLENGE, credentialHeaders: ['authorization'] };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.rules) Object.assign(settings.rules, layer.rules);
    if (layer.challenge) settings.challenge = layer.challenge;
    if (layer.credentialHeaders) settings.credentialHeaders = layer.credentialHeaders.map((h) => h.toLowerCase());
    if (layer.authVocabulary) settings.authVocabulary = layer.authVocabulary;
  }
  return settings;
}

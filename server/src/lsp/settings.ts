import path from 'node:path';
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { ConfigError, findConfig, resolveSettings, type ProjectConfig } from '../core/config';
import { RULE_IDS } from '../core/rules';
import { challengeSettingProblem } from '../core/http/check-challenges';
import { DEFAULT_CHALLENGE, type Settings } from '../core/types';
import { compilePattern, isIgnored, type IgnoreRule } from '../workspace/glob';
import { toPosix } from '../workspace/files';
import { projectRootOf } from '../workspace/project-root';
import { URI } from './uri';

/** The `authlint.*` settings a client sends (VS Code section `authlint`). */
export interface ClientSettings {
  enable?: boolean;
  rules?: ProjectConfig['rules'];
  challenge?: string;
  credentialHeaders?: string[];
}

/** A project configuration and the folder its `ignore` globs are relative to. */
export interface ProjectScope {
  dir: string;
  config: ProjectConfig;
}

/**
 * Settings per document: the client's `authlint` section scoped to the
 * document (through `workspace/configuration`, else `initializationOptions`),
 * then the project's `.authlintrc.json` or `package.json#authlint`, which
 * wins. Results are cached per URI as promises and dropped on any
 * configuration change. A config file that stops parsing is reported once and
 * its last good contents stay in force.
 */
export class SettingsResolver {
  readonly canPullConfiguration: boolean;
  private pushed: ClientSettings;
  private readonly cache = new Map<string, Promise<Settings>>();
  private readonly lastGood = new Map<string, ProjectConfig>();
  private readonly reported = new Set<string>();
  /** Bad client settings already shown, by message. */
  private readonly reportedSettings = new Set<string>();

  constructor(private readonly connection: Connection, params: InitializeParams) {
    this.canPullConfiguration = !!params.capabilities.workspace?.configuration;
    // Accepted shapes: `{settings: {…}}`, `{authlint: {…}}` (Helix's and Zed's `config`), or the section itself.
    const options = params.initializationOptions as ({ settings?: ClientSettings; authlint?: ClientSettings } & ClientSettings) | undefined;
    this.pushed = options?.settings ?? options?.authlint ?? options ?? {};
  }

  /** A `workspace/didChangeConfiguration` push; clients that cannot be asked send their settings this way. */
  changed(settings: unknown): void {
    const section = (settings as { authlint?: ClientSettings } | null | undefined)?.authlint;
    if (section) this.pushed = section;
    this.reset();
  }

  /** Forgets every resolved setting, e.g. after a config file changed on disk. */
  reset(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  forDocument(uri: string): Promise<Settings> {
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.resolve(uri);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The project configuration that governs files in `dir`, if any. */
  projectFor(dir: string): ProjectScope | undefined {
    try {
      const found = findConfig(dir);
      if (!found) return undefined;
      this.lastGood.set(found.file, found.config);
      this.reported.delete(found.file);
      return { dir: path.dirname(found.file), config: found.config };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return this.brokenConfig(error);
    }
  }

  private brokenConfig(error: ConfigError): ProjectScope | undefined {
    const file = error.file.replace(/#authlint$/, '');
    const previous = this.lastGood.get(file);
    if (!this.reported.has(file)) {
      this.reported.add(file);
      const consequence = previous ? 'the last valid configuration stays in force until it is fixed' : 'project settings are ignored until it is fixed';
      const message = `authlint: ${error.message} (${consequence})`;
      this.connection.console.error(message);
      void this.connection.window.showErrorMessage(message);
    }
    return previous && { dir: path.dirname(file), config: previous };
  }

  /** The client's settings without a `challenge` the quick fixes may not insert; that is reported once, naming the setting. */
  private validClient(client: ClientSettings): ClientSettings {
    if (client.challenge === undefined) return client;
    const problem = typeof client.challenge === 'string' ? challengeSettingProblem(client.challenge) : 'it must be a string';
    if (!problem) return client;
    const message = `authlint: setting "authlint.challenge": ${problem} (the default ${DEFAULT_CHALLENGE} is used until it is fixed)`;
    if (!this.reportedSettings.has(message)) {
      this.reportedSettings.add(message);
      this.connection.console.error(message);
      void this.connection.window.showErrorMessage(message);
    }
    return { ...client, challenge: undefined };
  }

  /** Resolves afresh, without caching: for closed files linted once. */
  async resolve(uri: string): Promise<Settings> {
    let client = this.pushed;
    if (this.canPullConfiguration) {
      const [pulled] = (await this.connection.workspace.getConfiguration([{ scopeUri: uri, section: 'authlint' }])) as (ClientSettings | null)[];
      if (pulled) client = pulled;
    }
    const file = uri.startsWith('file:') ? URI.toPath(uri) : undefined;
    const project = file ? this.projectFor(path.dirname(file)) : undefined;
    const settings = resolveSettings(this.validClient(client), project?.config);
    // As the CLI reads them: test folders count beneath the project root.
    if (file) settings.projectRoots = [projectRootOf(path.dirname(file))];
    if (client.enable === false || (file && project && ignores(project, file))) {
      for (const id of RULE_IDS) settings.rules[id] = 'off';
    }
    return settings;
  }
}

/** Whether the project's `ignore` globs exclude `file`, as the CLI's walk would: the file or any folder on its way. */
export function ignores(project: ProjectScope, file: string): boolean {
  const rules = (project.config.ignore ?? []).map(compilePattern).filter((r): r is IgnoreRule => !!r);
  const relative = toPosix(path.relative(project.dir, file));
  if (rules.length === 0 || relative.startsWith('../')) return false;
  const parts = relative.split('/');
  return parts.some((_, i) => isIgnored(rules, parts.slice(0, i + 1).join('/'), i < parts.length - 1));
}

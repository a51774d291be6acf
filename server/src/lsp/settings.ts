import path from 'node:path';
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { ConfigError, findConfig, resolveSettings, type ProjectConfig } from '../core/config';
import type { Settings } from '../core/types';
import { URI } from './uri';

/** The `authlint.*` settings a client sends (VS Code section `authlint`). */
interface ClientSettings {
  enable?: boolean;
  rules?: ProjectConfig['rules'];
  challenge?: string;
  credentialHeaders?: string[];
}

/**
 * Settings per document: the client's `authlint` section scoped to the
 * document (through `workspace/configuration`, else `initializationOptions`),
 * then the project's `.authlintrc.json`, which wins. Results are cached per
 * URI as promises and dropped on any configuration change.
 */
export class SettingsResolver {
  readonly canPullConfiguration: boolean;
  private pushed: ClientSettings;
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(private readonly connection: Connection, params: InitializeParams) {
    this.canPullConfiguration = !!params.capabilities.workspace?.configuration;
    this.pushed = (params.initializationOptions as { settings?: ClientSettings } | undefined)?.settings ?? (params.initializationOptions as ClientSettings) ?? {};
  }

  changed(settings: unknown): void {
    const section = (settings as { authlint?: ClientSettings } | undefined)?.authlint;
    if (section) this.pushed = section;
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

  private async resolve(uri: string): Promise<Settings> {
    let client = this.pushed;
    if (this.canPullConfiguration) {
      const pulled = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'authlint' })) as ClientSettings | null;
      if (pulled) client = pulled;
    }
    let project: ProjectConfig | undefined;
    if (uri.startsWith('file:')) {
      try {
        project = findConfig(path.dirname(URI.toPath(uri)))?.config;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        this.connection.window.showErrorMessage(`authlint: ${error.message}`);
      }
    }
    const settings = resolveSettings(client, project);
    if (client.enable === false) for (const id of ['missing-www-authenticate', 'auth-status-mismatch', 'proxy-drops-credentials']) settings.rules[id] = 'off';
    return settings;
  }
}

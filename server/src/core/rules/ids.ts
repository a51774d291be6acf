/**
 * The rules' ids, in the order the rules run (rules/index.ts, whose RULES a
 * test holds to this list): the config and the CLI's cache read them without
 * loading the rules, and with them TypeScript.
 */
export const RULE_IDS: readonly string[] = ['auth-status-mismatch', 'missing-www-authenticate', 'invalid-www-authenticate', 'proxy-drops-credentials'];

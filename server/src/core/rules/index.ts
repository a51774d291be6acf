import { authStatusMismatch } from './auth-status-mismatch';
import { invalidWwwAuthenticate } from './invalid-www-authenticate';
import { missingWwwAuthenticate } from './missing-www-authenticate';
import { proxyDropsCredentials } from './proxy-drops-credentials';
import type { Rule } from './rule';

/**
 * Every rule, in the order they run. A rule that claims emissions for itself
 * (auth-status-mismatch) runs before the rules that defer to it.
 */
export const RULES: readonly Rule[] = [authStatusMismatch, missingWwwAuthenticate, invalidWwwAuthenticate, proxyDropsCredentials];

export { RULE_IDS } from './ids';

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

import { ErrorCodes, type Message, type MessageStrategy, type RequestMessage } from 'vscode-languageserver/node';

/**
 * Reads each message before vscode-languageserver does:
 * - an `initialize` without the `capabilities` LSP marks required (a bare
 *   `{}`, or no params) would fail inside the library and leave the server
 *   half set up, so what is missing is read as empty ("supports nothing");
 * - a message that is neither request, notification nor response (a batch
 *   array, an id without a method) gets JSON-RPC's Invalid Request error
 *   through `reply`, where the library would only log it.
 */
export function answeringMalformed(reply?: (code: number, message: string) => void): MessageStrategy {
  return {
    handleMessage(message: Message, next: (message: Message) => void): void {
      if (reply && !isMessage(message)) {
        reply(ErrorCodes.InvalidRequest, `Invalid request: ${JSON.stringify(message).slice(0, 200)}`);
        return;
      }
      next(isInitialize(message) ? withCapabilities(message) : message);
    },
  };
}

function isMessage(message: unknown): boolean {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  const { method, id } = message as { method?: unknown; id?: unknown };
  if (typeof method === 'string') return id === undefined || typeof id === 'string' || typeof id === 'number';
  return (typeof id === 'string' || typeof id === 'number' || id === null) && ('result' in message || 'error' in message);
}

function isInitialize(message: Message): message is RequestMessage {
  return (message as RequestMessage).method === 'initialize' && (message as RequestMessage).id !== undefined;
}

function withCapabilities(message: RequestMessage): RequestMessage {
  const params = typeof message.params === 'object' && message.params !== null && !Array.isArray(message.params) ? (message.params as Record<string, unknown>) : {};
  const capabilities = typeof params.capabilities === 'object' && params.capabilities !== null ? params.capabilities : {};
  return { ...message, params: { processId: null, rootUri: null, ...params, capabilities } };
}

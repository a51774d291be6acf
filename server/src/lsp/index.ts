import { format } from 'node:util';
import {
  type Connection,
  createConnection,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { isFactsWorker, serveFacts } from './facts-reader';
import { answeringMalformed } from './messages';
import { startServer } from './server';

/**
 * `--stdio` for any LSP client, `--node-ipc` for the VS Code client. The
 * server holds the reader and writer of both itself, to answer a frame that
 * does not parse with JSON-RPC's error, which vscode-languageserver drops
 * silently; `--socket` and `--pipe` are left to the library.
 */
function main(): void {
  const argv = process.argv.slice(2);
  const stdio = argv.includes('--stdio');
  const transport: [MessageReader, MessageWriter] | undefined = stdio
    ? [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)]
    : argv.includes('--node-ipc')
      ? [new IPCMessageReader(process), new IPCMessageWriter(process)]
      : undefined;
  if (!transport) {
    startServer(createConnection(ProposedFeatures.all, { messageStrategy: answeringMalformed() }));
    return;
  }
  const [reader, writer] = transport;
  const reply = (code: number, message: string): void => void writer.write({ jsonrpc: '2.0', id: null, error: { code, message } } as never);
  reader.onError((error) => reply(ErrorCodes.ParseError, `Parse error: ${error.message}`));
  const connection = createConnection(ProposedFeatures.all, reader, writer, { messageStrategy: answeringMalformed(reply) });
  if (stdio) keepStdoutForProtocol(connection);
  startServer(connection);
}

/**
 * As vscode-languageserver does for `--stdio` it sets up itself: standard
 * output carries the protocol, so console output goes to the client's log,
 * and the end of standard input ends the server.
 */
function keepStdoutForProtocol(connection: Connection): void {
  const to = (log: (message: string) => void) => (...args: unknown[]) => log(format(...args));
  console.log = console.info = console.debug = console.dir = to((m) => connection.console.log(m));
  console.warn = to((m) => connection.console.warn(m));
  console.error = console.trace = to((m) => connection.console.error(m));
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  const exit = (): never => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
}

if (isFactsWorker()) serveFacts();
else main();

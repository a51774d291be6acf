import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// `--stdio` for any LSP client, `--node-ipc` for the VS Code client; vscode-languageserver reads the flag.
startServer(createConnection(ProposedFeatures.all));

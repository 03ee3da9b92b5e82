#!/usr/bin/env bash
# Installs the Debian packages the app's tests and native modules need (run as root, or with sudo).
#   chromium                     browser for the login pages and the renderer end-to-end tests
#   libsecret-1-dev              lets `npm install` build keytar (the OS keychain binding)
#   gnome-keyring dbus-daemon    a real Secret Service for keytar, headless
#   krb5-kdc krb5-admin-server   an MIT Kerberos KDC for the Integrated Windows Auth tests
#   krb5-user libkrb5-dev        kinit, and headers for the `kerberos` npm module
#   squid                        a real HTTP proxy for the proxy tests (started by them on loopback, own config)
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  chromium \
  libsecret-1-dev gnome-keyring dbus-daemon dbus \
  krb5-kdc krb5-admin-server krb5-user libkrb5-dev \
  squid \
  ca-certificates >/dev/null
echo "prerequisites installed: $(chromium --version 2>/dev/null | head -n1)"

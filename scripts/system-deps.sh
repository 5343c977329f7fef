#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, once: the Fashion-MNIST files, (--browser, for tests)
# chromium, a Korean font and node (which runs the browser decoder's JavaScript in a test), and (--proxy) haproxy,
# which puts several app processes behind one port (make serve-class, and a test), and (--database) Debian's
# postgresql, whose server the class-database tests start on a loopback port (tests/class_databases.py; an app with
# AE_LAB_DATABASE_URL uses a server of its own). Where apt-get cannot be used, says what to do instead and carries on.
set -euo pipefail
want_browser=
want_proxy=
want_database=
for option in "$@"; do
  case "$option" in
    --browser) want_browser=--browser ;;
    --proxy) want_proxy=--proxy ;;
    --database) want_database=--database ;;
  esac
done
packages=()
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || packages+=(dataset-fashion-mnist)
if [ "$want_browser" = "--browser" ]; then
  command -v chromium >/dev/null || packages+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto sans cjk" || packages+=(fonts-noto-cjk)
  command -v node >/dev/null || packages+=(nodejs)
fi
if [ "$want_proxy" = "--proxy" ]; then
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || packages+=(haproxy)
fi
if [ "$want_database" = "--database" ]; then
  # Debian installs the server's programs in /usr/lib/postgresql/<version>/bin, off PATH.
  command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
fi
[ ${#packages[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
else
  echo "Cannot install ${packages[*]} here (no apt-get as root). Instead:"
  echo "  - data: export AE_LAB_DATA_DIR=/folder/with/fashion-mnist/gz/files, or have internet so keras downloads it"
  echo "  - browser tests: install Chromium at /usr/bin/chromium (or set AE_LAB_CHROMIUM=/path/to/chromium)"
  echo "  - class-database tests: install PostgreSQL's server (initdb, pg_ctl), or deselect them: -m 'not postgres'"
fi

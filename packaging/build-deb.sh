#!/usr/bin/env bash
# Builds the Debian package from the project's own files:
#   target/debian/pistas_<version>_<arch>.deb
# with cargo-deb (installed here when missing), the `dist` profile (fat LTO, one codegen
# unit, stripped), and the man pages, shell completions and icon sizes made by
# examples/package_files.rs from the command line's definition and the icon's SVG.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
if ! cargo deb --version 2>/dev/null | grep -q "$CARGO_DEB_VERSION"; then
  echo "== installing cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked
fi

echo "== man pages, completions and icons"
rm -rf target/package-files
cargo run --quiet --example package_files -- target/package-files
gzip -9n target/package-files/man/*.1
# A native package's changelog is changelog.gz.
gzip -9n -c packaging/changelog > target/package-files/changelog.gz

echo "== cargo deb --profile dist"
cargo deb --profile dist
ls -l target/debian/pistas_*.deb

#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): the terms bundle, then the
# compressed copies of every file, the terms bundle's included. One hook
# running both in order, since Trunk runs the hooks of a stage at once.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
"$here/terms.sh"
"$here/precompress.sh"

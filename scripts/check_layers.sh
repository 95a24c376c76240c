#!/usr/bin/env bash
# Fails when production code in src/ includes a header from a folder above its own layer.
# The layers, lowest first; a folder may include only itself and the folders listed before it.
# (Unit tests, *_test.cc, and src/testing/ may include anything; no production file may
# include src/testing/.) pgcopydb's ci/banned.h.sh is the model: a list and a grep.
set -euo pipefail
cd "$(dirname "$0")/../src"
LAYERS=(util report model pg aws connect ddl extract plan state dialect move exec commands cli)
# pg and aws are side by side: neither may include the other.
declare -A RANK
for i in "${!LAYERS[@]}"; do RANK[${LAYERS[$i]}]=$i; done
RANK[aws]=${RANK[pg]}

bad=0
while IFS= read -r file; do
  from=${file%%/*}
  [ -n "${RANK[$from]+x}" ] || { echo "check_layers: $file: folder '$from' is not in the layer list" >&2; bad=1; continue; }
  while IFS= read -r to; do
    if [ "$to" = testing ] || [ -z "${RANK[$to]+x}" ] || { [ "$to" != "$from" ] && [ "${RANK[$to]}" -ge "${RANK[$from]}" ]; }; then
      echo "check_layers: $file includes \"$to/...\": $from may include only layers below it (${LAYERS[*]})" >&2
      bad=1
    fi
  done < <(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$file" | sort -u)
done < <(find . -path ./testing -prune -o \( -name '*.h' -o -name '*.cc' \) ! -name '*_test.cc' -print | sed 's|^\./||' | sort)
[ "$bad" = 0 ] && echo "check_layers: ok (${LAYERS[*]})"
exit "$bad"

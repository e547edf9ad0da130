#!/usr/bin/env bash
# Regenerate the README screenshots in packaging/screenshots/ from the bundled seed articles.
#
#   usage: packaging/screenshots.sh [SCREENSHOT_TOOL]        (or: make screenshots)
#
# SCREENSHOT_TOOL (argument, or $SCREENSHOT_TOOL) is a program called as
#   TOOL OUT.png --size WxH -- COMMAND...
# that runs COMMAND in a real window on a virtual X screen and saves the screen as a PNG (Xvfb + ImageMagick).
# PYTHON (default .venv/bin/python) must have partnership-explorer installed; ImageMagick's `convert` crops and
# optimises the pictures. Every run builds a fresh database from seeds/ in a temporary folder and starts the
# explorer with an empty HOME, so no saved window layout, recent database or setting leaks into the pictures.
#
# Writes:
#   overview.png           the whole range, every sector
#   sector-diplomacy.png   one sector filtered (Diplomacy), its events labelled
#   selected-milestone.png the 2022 upgrade to a Comprehensive Strategic Partnership selected: its label, its
#                          sentence highlighted in the article panel
#   partners.png           the Partners tab: the pairs and their network, the MoST–MSIT MoU selected (its pairs
#                          highlighted)
#   ladder.png             the relationship ladder above the lanes, the 2022 upgrade selected (its step and
#                          the date each source gives)
#   indicators.png         the indicator row above the lanes: bilateral trade 1992–2024 with its 2030 target,
#                          the 2024 figure selected
#   export.png             `partnership-explorer export` of 17 × 10 cm at 300 dpi, with its caption
#   brief.png              the first page of `partnership-explorer brief --out brief.pdf` (needs pdftoppm)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tool=${1:-${SCREENSHOT_TOOL:-}}
python=${PYTHON:-$root/.venv/bin/python}
out=$here/screenshots
width=1600; height=1000     # the window; the virtual screen is larger so the window gets exactly this size
screen=1680x1050

if [ -z "$tool" ]; then
  echo "usage: $0 SCREENSHOT_TOOL   (or set SCREENSHOT_TOOL)" >&2
  exit 2
fi
[ -x "$tool" ] || { echo "screenshots: $tool is not an executable" >&2; exit 2; }
[ -x "$python" ] || { echo "screenshots: $python not found (run 'make test' or set PYTHON)" >&2; exit 2; }
command -v convert >/dev/null || { echo "screenshots: ImageMagick 'convert' is needed" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/events.db
mkdir -p "$out"
"$python" -m partnership_explorer ingest "$root/seeds" --db "$db" --quiet

# shrink a PNG that is larger than 400 KB to an 8-bit palette
optimise() {
  convert "$1" -strip "$1"
  if [ "$(stat -c %s "$1")" -gt 400000 ]; then
    convert "$1" -strip -colors 255 PNG8:"$1"
  fi
}

# shot NAME DEMO-SPEC: the explorer window with $PARTNERSHIP_EXPLORER_DEMO hooks applied
shot() {
  local name=$1 spec=$2 home
  home=$(mktemp -d "$tmp/home.XXXX")
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    PARTNERSHIP_EXPLORER_DEMO=$spec \
    "$tool" "$tmp/$name.png" --wait 8 --size "$screen" -- "$python" -m partnership_explorer run --db "$db"
  convert "$tmp/$name.png" -crop "${width}x${height}+0+0" +repage "$out/$name.png"
  optimise "$out/$name.png"
}

shot overview "palette=light"
shot sector-diplomacy "sectors=diplomacy"
shot selected-milestone "select=title:upgraded to comprehensive"
shot partners "dock=partners;select=title:MoU signed by MoST"
shot ladder "select=title:upgraded to comprehensive"
shot indicators "select=title:86.7 billion"

"$python" -m partnership_explorer export --db "$db" --out "$out/export.png" --width 17cm --height 10cm --dpi 300 \
  --caption --title "Vietnam–South Korea, 1992–2045"
optimise "$out/export.png"

if command -v pdftoppm >/dev/null; then
  "$python" -m partnership_explorer brief --db "$db" --out "$tmp/brief.pdf" \
    --title "Vietnam–South Korea: the seed articles"
  pdftoppm -r 110 -png -f 1 -l 1 -singlefile "$tmp/brief.pdf" "$out/brief"
  optimise "$out/brief.png"
else
  echo "screenshots: pdftoppm (poppler-utils) not found; brief.png not regenerated" >&2
fi

ls -l "$out"

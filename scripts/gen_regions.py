#!/usr/bin/env python3
"""Generate the zhkg list of world regions and continents with their Chinese names.

Source
------
npm package ``cldr-localenames-full`` (the Unicode CLDR JSON data,
https://cldr.unicode.org), version 48.2.0 (CLDR 48).  Licence: Unicode License
v3 (``"license": "Unicode-3.0"`` in its package.json; the bundled LICENSE file
is "UNICODE LICENSE V3", Copyright (c) 2004-2026 Unicode, Inc.).  Only
main/zh/territories.json (simplified Chinese display names) and
main/en/territories.json are read.

Regenerate
----------
    python3 scripts/gen_regions.py --download

This runs ``npm pack cldr-localenames-full@<version>`` into a temporary
directory (the only network access, through the ordinary npm client), checks
the tarball against the sha512 pinned below, reads just the two files above
out of it with ``tarfile`` (nothing is written to disk but the tarball) and
rewrites crates/zhkg-text/src/lexicon/data/regions.tsv.

Other form:
    python3 scripts/gen_regions.py PACKAGE
        PACKAGE = an installed/extracted package dir (the one holding main/,
        or its parent holding package/main/), whose package.json must name the
        pinned package, version and licence; or the
        cldr-localenames-full-48.2.0.tgz tarball (integrity-checked); no network

Output is deterministic (rows sorted by code, no timestamps): running the
script twice gives byte-identical files.  Python 3 standard library only.

Rules applied to the source data
--------------------------------
* One row per territory key of zh/territories.json that is three digits: the
  UN M49 macro-regions CLDR carries (001 world, 002 Africa, 003 North
  America, ...).  The list is taken from the data, not typed here.
* Plus the non-numeric groupings in KEEP_GROUPINGS (EU, UN, QO).  The other
  CLDR groupings/pseudo-codes are skipped: EZ (Eurozone, a currency area),
  ZZ (unknown region), XA/XB (pseudo-locales).
* ``name`` is the zh value of the plain key; ``name_en`` the en value.
* ``aliases`` (``|``-separated, may be empty), in this order:
    1. zh values of the code's ``-alt-*`` keys (e.g. ``UN-alt-short``), in
       key order;
    2. a derived short form: where ``name`` ends in 洲 and the name without
       it is at least 2 characters, that stem is added only if it is itself
       a value (plain or alt) of some OTHER key in the same zh
       territories.json.  Nothing else is derived.
  Duplicates of the name or of an earlier alias are dropped.  The script
  prints where each alias came from.
* Names are written exactly as the source spells them; nothing is added by
  hand.
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

PACKAGE = "cldr-localenames-full"
VERSION = "48.2.0"
INTEGRITY = "sha512-4o0paYDz0UXhfhChAVFkmVl2CP0YTSEqE6WrC0fNafaSC5u5DAXphxH3SZ1Ujczarikr8DToKZfiok6EqWLdNQ=="
LICENSE = "Unicode-3.0"
LICENSE_NAME = "Unicode License v3 (SPDX Unicode-3.0)"
REGEN_CMD = "python3 scripts/gen_regions.py --download"

# Non-numeric CLDR groupings kept as regions (code -> why).
KEEP_GROUPINGS = {
    "EU": "European Union",
    "UN": "United Nations",
    "QO": "Outlying Oceania, a geographic grouping inside 009 Oceania",
}
# Non-numeric groupings / special codes deliberately skipped (only for the log).
SKIP_SPECIAL = {
    "EZ": "Eurozone: a currency area, not a region",
    "ZZ": "unknown region",
    "XA": "pseudo-locale code",
    "XB": "pseudo-locale code",
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data", "regions.tsv")
DATA_FILES = ("main/zh/territories.json", "main/en/territories.json")
SPOT_CHECK = ("035", "021", "005", "142", "150", "002", "145", "EU")
COUNTRY_CHECK = ("ID", "US", "KR", "VN", "MY", "RU", "DE")


def log(msg):
    print(msg, file=sys.stderr)


def check_integrity(tgz):
    with open(tgz, "rb") as f:
        got = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if got != INTEGRITY:
        sys.exit("%s: integrity %s does not match pinned %s" % (tgz, got, INTEGRITY))


def read_tarball(tgz):
    """Read just DATA_FILES out of the (integrity-checked) tarball, in memory."""
    check_integrity(tgz)
    files = {}
    wanted = {"package/" + n: n for n in DATA_FILES}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                files[wanted[member.name]] = tar.extractfile(member).read()
    missing = [n for n in DATA_FILES if n not in files]
    if missing:
        sys.exit("%s: missing %s" % (tgz, ", ".join(missing)))
    return files


def read_dir(path):
    base = path
    if not os.path.isdir(os.path.join(base, "main")) and os.path.isdir(os.path.join(base, "package", "main")):
        base = os.path.join(base, "package")
    meta_path = os.path.join(base, "package.json")
    if not os.path.isfile(meta_path):
        sys.exit("%s: no package.json, cannot confirm %s@%s" % (base, PACKAGE, VERSION))
    with open(meta_path, "rb") as f:
        meta = json.loads(f.read().decode("utf-8"))
    got = (meta.get("name"), meta.get("version"), meta.get("license"))
    if got != (PACKAGE, VERSION, LICENSE):
        sys.exit("%s: expected %s@%s (%s), got %r" % (base, PACKAGE, VERSION, LICENSE, got))
    files = {}
    for name in DATA_FILES:
        with open(os.path.join(base, name), "rb") as f:
            files[name] = f.read()
    return files


def npm_pack(dest):
    log("npm pack %s@%s" % (PACKAGE, VERSION))
    subprocess.run(["npm", "pack", "%s@%s" % (PACKAGE, VERSION), "--pack-destination", dest, "--loglevel=warn"],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(dest, "%s-%s.tgz" % (PACKAGE, VERSION))


def territories(data, lang):
    doc = json.loads(data.decode("utf-8"))
    try:
        loc = doc["main"][lang]
        terr = loc["localeDisplayNames"]["territories"]
    except (KeyError, TypeError):
        sys.exit("%s territories.json: unexpected layout" % lang)
    if loc.get("identity", {}).get("language") != lang or "script" in loc["identity"]:
        sys.exit("%s territories.json: unexpected identity %r" % (lang, loc.get("identity")))
    for key, value in terr.items():
        if not isinstance(value, str) or not value.strip() or re.search(r"[\t\r\n|]", value):
            sys.exit("%s %s: unusable name %r" % (lang, key, value))
    return terr


def split_key(key):
    """'UN-alt-short' -> ('UN', 'alt-short'); '035' -> ('035', None)."""
    code, sep, alt = key.partition("-")
    return code, (alt if sep else None)


def build(files):
    zh = territories(files["main/zh/territories.json"], "zh")
    en = territories(files["main/en/territories.json"], "en")

    codes = sorted(k for k in zh if re.fullmatch(r"[0-9]{3}", k))
    for code in sorted(KEEP_GROUPINGS):
        if code in zh:
            codes.append(code)
        else:
            log("note: grouping %s is not in the source" % code)
    for code in sorted(SKIP_SPECIAL):
        if code in zh:
            log("skipped %s %s (%s)" % (code, zh[code], SKIP_SPECIAL[code]))
    codes.sort()

    rows, provenance = [], []
    for code in codes:
        if code not in en:
            sys.exit("%s has no en name" % code)
        name = zh[code]
        aliases = []

        def add(alias, origin):
            alias = alias.strip()
            if alias and alias != name and alias not in aliases:
                aliases.append(alias)
                provenance.append((code, alias, origin))

        for key in sorted(zh):
            base, alt = split_key(key)
            if base == code and alt is not None:
                add(zh[key], "CLDR zh key %s" % key)
        if name.endswith("洲") and len(name) - 1 >= 2:
            stem = name[:-1]
            others = sorted(k for k, v in zh.items() if v == stem and split_key(k)[0] != code)
            if others:
                add(stem, "derived from %s minus 洲; also the zh value of %s" % (name, ", ".join(others)))
            else:
                log("no short form for %s %s: %s is not another key's zh value" % (code, name, stem))
        rows.append((code, name, "|".join(aliases), en[code]))
    return rows, provenance, zh


def write(rows, path):
    lines = [
        "# World regions, continents and groupings with Chinese names (Unicode CLDR).",
        "# Source: npm package %s@%s (main/zh/territories.json, main/en/territories.json)," % (PACKAGE, VERSION),
        "#   licence %s, Copyright (c) Unicode, Inc." % LICENSE_NAME,
        "# Regenerate: %s" % REGEN_CMD,
        "# Rows: every 3-digit CLDR territory key (UN M49 regions) plus %s." % ", ".join(sorted(KEEP_GROUPINGS)),
        "# Columns: code = CLDR region code; name = simplified Chinese display name;",
        "#   aliases = zh -alt-* names and short forms found elsewhere in the same data,",
        "#   '|'-separated (may be empty); name_en = English display name.",
        "code\tname\taliases\tname_en",
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
    src.add_argument("package", nargs="?", help="package dir, or the .tgz")
    ap.add_argument("-o", "--output", default=OUT)
    args = ap.parse_args()

    if args.download:
        with tempfile.TemporaryDirectory() as tmp:
            files = read_tarball(npm_pack(tmp))
    elif os.path.isfile(args.package):
        files = read_tarball(args.package)
    else:
        files = read_dir(args.package)

    rows, provenance, zh = build(files)
    write(rows, args.output)
    by_code = {r[0]: r for r in rows}
    print("wrote %d rows to %s" % (len(rows), os.path.relpath(args.output)))
    print("aliases: %d" % len(provenance))
    for code, alias, origin in provenance:
        print("  %s %s <- %s" % (code, alias, origin))
    print("spot checks:")
    for code in SPOT_CHECK:
        print("  " + "\t".join(by_code[code]) if code in by_code else "  %s MISSING" % code)
    print("CLDR zh country names (not written):")
    for code in COUNTRY_CHECK:
        alts = ["%s=%s" % (k, zh[k]) for k in sorted(zh) if split_key(k)[0] == code and split_key(k)[1]]
        print("  %s\t%s%s" % (code, zh.get(code, "MISSING"), ("\t" + " ".join(alts)) if alts else ""))
    names = {}
    for r in rows:
        for n in [r[1]] + (r[2].split("|") if r[2] else []):
            names.setdefault(n, []).append(r[0])
    clashes = {n: c for n, c in names.items() if len(c) > 1}
    if clashes:
        print("names shared by several rows: %r" % clashes)
    same = sorted("%s=%s" % (k, v) for k, v in zh.items() if v in names and split_key(k)[0] not in by_code)
    if same:
        print("region names that are also other CLDR keys' zh names: %s" % " ".join(same))


if __name__ == "__main__":
    main()

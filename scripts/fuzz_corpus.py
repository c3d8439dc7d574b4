#!/usr/bin/env python3
"""Seed corpora for the fuzz targets (crates/zhkg-text/fuzz), built at run time.

  python3 scripts/fuzz_corpus.py OUT [--generated DIR]

Writes OUT/articles (whole articles: the seeds, the test articles, the
articles in --generated, and variants of them in GB18030, Big5 and UTF-16,
as HTML and with a YAML front matter) and OUT/sentences (short lines with
numbers, for the `numbers` target). Stdlib only; deterministic.
"""
import argparse
import hashlib
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿半]")


def write(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    (folder / name).write_bytes(data)


def head(text, limit=3000):
    """The first paragraphs of an article, up to about `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit]


def as_html(text):
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    title = html.escape(paras[0][:40]) if paras else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[1:])
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{title}_新闻频道</title>"
        "<meta name=\"author\" content=\"李明\">"
        "<meta property=\"og:site_name\" content=\"新华网\">"
        "<meta name=\"publishdate\" content=\"2023-06-30\">"
        "<script>var x = '<p>不是正文</p>';</script><style>p{}</style>"
        f"</head><body><div class=\"nav\">首页 | 新闻</div><h1>{title}</h1>"
        "<time datetime=\"2023-06-30T08:00:00+08:00\">2023年06月30日</time>"
        f"\n{body}\n<!-- 广告 --><div>责任编辑：王芳</div></body></html>\n"
    )


def with_front_matter(text):
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    title = paras[0][:40].replace(":", "：") if paras else ""
    return (
        f"---\ntitle: {title}\ndate: 2023-06-30 08:00\nsource: 人民网-财经频道\n"
        "author: [张伟, 李娜]\ntags:\n  - 数字就业\n  - 乡村振兴\n---\n\n"
        + "\n\n".join(paras[1:])
        + "\n"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--generated", type=Path, help="folder of generated articles")
    args = ap.parse_args()
    sources = sorted((ROOT / "seeds").iterdir()) + sorted((ROOT / "tests" / "data").iterdir())
    if args.generated and args.generated.is_dir():
        sources += sorted(args.generated.iterdir())
    articles = args.out / "articles"
    sentences = args.out / "sentences"
    lines = set()
    for path in sources:
        raw = path.read_bytes()
        write(articles, raw)
        text = raw.decode("utf-8", errors="replace")
        for line in re.split(r"[\n。]", text):
            line = line.strip()
            if NUMERAL.search(line) and len(line.encode()) <= 300:
                lines.add(line)
        if path.suffix in (".html", ".htm"):
            continue
        short = head(text)
        write(articles, short.encode("gb18030", errors="replace"))
        big5 = short.encode("big5", errors="replace")
        if big5.count(b"?") * 20 < len(short):  # mostly traditional text
            write(articles, big5)
        write(articles, as_html(short).encode())
        write(articles, with_front_matter(short).encode())
    first = head(sources[0].read_text(encoding="utf-8", errors="replace"), 800)
    write(articles, b"\xff\xfe" + first.encode("utf-16-le"))
    write(articles, first.encode("utf-16-be"))
    for line in sorted(lines)[:400]:
        write(sentences, line.encode())
    print(
        f"fuzz_corpus: {sum(1 for _ in articles.iterdir())} articles, "
        f"{sum(1 for _ in sentences.iterdir())} sentences -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

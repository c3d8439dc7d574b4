"""Writes a copy of a zhkg Turtle export with deliberate defects, one of each
kind the shapes must catch: a five-digit division code, a percentage of 120,
an outcome without a value, a value of the wrong datatype, an unknown
qualifier, a label without a language tag, a mention outside its sentence.

Usage: python3 break_graph.py IN.ttl OUT.ttl
Exits non-zero when a defect cannot be planted (the export changed shape).
"""

import re
import sys


def main(src: str, dst: str) -> int:
    text = open(src, encoding="utf-8").read()
    # Patterns are generic (the first match in the sorted export), so that
    # changes in extraction do not stop the defects from being planted.
    value = r'("[^"]*"\^\^xsd:decimal|[0-9.]+)'
    percent = r"(zhkg:unit <http://qudt.org/vocab/unit/PERCENT> ;\n\tzhkg:value )" + value
    edits = [
        ("five-digit division code", r'zhkg:divisionCode "([0-9]{5})[0-9]"', r'zhkg:divisionCode "\g<1>"'),
        # First the wrong datatype (a plain string), then 120 on the next one.
        ("value of the wrong datatype", percent + r" \.", r'\g<1>"65.7" .'),
        ("percentage of 120", percent + r" \.", r"\g<1>120.0 ."),
        ("outcome without a value", r"(zhkg:unit <[^>]*>) ;\n\tzhkg:value " + value + r" \.", r"\g<1> ."),
        ("unknown qualifier", r"zhkg:qualifier zhkg:(LowerBound|Exact|Approximate|UpperBound) ;", "zhkg:qualifier zhkg:Roughly ;"),
        (
            "label without a language tag",
            r'(a schema:AdministrativeArea ;\n(?:\t[^\n]*\n)*?\trdfs:label "[^"]+")@zh',
            r"\g<1>",
        ),
        (
            "mention outside its sentence",
            # A mention (it has itsrdf:taIdentRef) renamed to offsets past
            # the end of its sentence.
            r'(id:article\\/[^ \n]+\\#char\\=)[0-9]+\\,[0-9]+( nif:anchorOf "[^"]*" ;\n\tnif:sentence [^\n]+\n\titsrdf:taIdentRef )',
            r"\g<1>999990\\,999999\g<2>",
        ),
    ]
    for name, pattern, replacement in edits:
        text, n = re.subn(pattern, replacement, text, count=1)
        if n != 1:
            print(f"break_graph: cannot plant the defect '{name}': pattern {pattern!r} not found in {src}", file=sys.stderr)
            return 1
    open(dst, "w", encoding="utf-8").write(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))

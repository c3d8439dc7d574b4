"""Writes a copy of a zhkg Turtle export with deliberate defects, one of each
kind the shapes must catch: a five-digit division code, a percentage of 120,
an outcome without a value, and a value of the wrong datatype.

Usage: python3 break_graph.py IN.ttl OUT.ttl
Exits non-zero when a defect cannot be planted (the export changed shape).
"""

import re
import sys


def main(src: str, dst: str) -> int:
    text = open(src, encoding="utf-8").read()
    edits = [
        ("five-digit division code", r'zhkg:divisionCode "130529"', 'zhkg:divisionCode "13052"'),
        ("percentage of 120", r'(zhkg:unit <http://qudt.org/vocab/unit/PERCENT> ;\n\tzhkg:value )"80"\^\^xsd:decimal', r"\g<1>120.0"),
        ("outcome without a value", r'(zhkg:unit <http://qudt.org/vocab/unit/YR>) ;\n\tzhkg:value "25"\^\^xsd:decimal \.', r"\g<1> ."),
        ("value of the wrong datatype", r"(zhkg:unit <http://qudt.org/vocab/unit/PERCENT> ;\n\tzhkg:value )65\.7 \.", r'\g<1>"65.7" .'),
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

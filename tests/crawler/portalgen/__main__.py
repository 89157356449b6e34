"""`python -m tests.crawler.portalgen score [--json] [NAME ...]`: see `score.py`."""
import sys

from tests.crawler.portalgen.score import main

if len(sys.argv) < 2 or sys.argv[1] != "score":
    print("usage: python -m tests.crawler.portalgen score [--json] [NAME ...]", file=sys.stderr)
    sys.exit(2)
sys.exit(main(sys.argv[2:]))

"""Compare jieba-compatible segmenters with jieba 0.42.1 over the project's texts (docs/scale.md, "Segmentation").

Two steps, because the candidates live in a scratch virtualenv, never in the project's:

    PYTHONPATH=. .venv/bin/python tools/segmenters.py collect /tmp/texts.json --synthetic 300
    /tmp/seg/bin/python tools/segmenters.py compare /tmp/texts.json jieba jieba-next rjieba ...

`collect` reads corpus/, ../shared/samples, ../shared/real (HTML and PDF through the project's reader),
tests/parse/devset/pages and N synthetic reports of `indexer/bench_corpus.py`, and stores each text twice: as
read and normalised (what `indexer.analysis.words` segments). `compare` needs only the standard library,
jieba==0.42.1 (the reference) and the candidates: it loads each with indexer/data/userdict.txt the way
`indexer/analysis.py` does, compares (token, start, end) of every text with `jieba.Tokenizer.tokenize`, and
prints one JSON line per segmenter: chars per CPU-second (time.process_time, best of two passes, so it is a
per-core figure even on a busy machine), texts and tokens that differ, and the first difference.
Distributions that install themselves as `jieba` (jieba-py, forked-jieba) need a virtualenv of their own:
run `compare` once with the real jieba and `--reference FILE` to save its tokens, then there with the same
`--reference FILE`, naming the candidate `jieba`. The candidate `nianbao` is the index's own segmenter
(`indexer/segment.py`: jieba 0.42.1's dictionaries and HMM in a faster loop; run with PYTHONPATH=.).
"""
from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
USER_DICTIONARY = REPO / "indexer" / "data" / "userdict.txt"


def collect(out: Path, synthetic: int, shared: Path) -> None:
    """Write {name: text} for every text of the evaluation corpus (needs the project's packages)."""
    import tempfile

    from crawler.corpus import read_corpus
    from indexer.bench_corpus import write_synthetic_corpus
    from indexer.normalize import normalize
    from indexer.read.extract import ExtractError, extract

    if not (shared / "real").is_dir():
        raise SystemExit(f"no shared material at {shared}: pass --shared PATH (the folder holding real/ and samples/)")
    files = [d.path for d in read_corpus(REPO / "corpus")] + sorted((shared / "samples").glob("*.txt"))
    files += sorted(p for p in (shared / "real").rglob("*") if p.suffix in (".html", ".pdf"))
    texts: dict[str, str] = {}
    for path in files:
        try:
            texts[f"{path.parent.name}/{path.name}"] = extract(path.read_bytes(), path.name).text
        except ExtractError as exc:
            print(f"skipped {path}: {exc}", file=sys.stderr)
    for path in sorted((REPO / "tests" / "parse" / "devset" / "pages").glob("*.txt")):
        texts[f"devset/{path.name}"] = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        write_synthetic_corpus(REPO / "corpus", Path(tmp), synthetic)
        for number, document in enumerate(read_corpus(Path(tmp))):
            texts[f"synthetic/{number}"] = document.path.read_text(encoding="utf-8")
    texts |= {f"{name}#normalised": normalize(text) for name, text in texts.items()}
    out.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(f"{len(texts)} texts, {sum(map(len, texts.values())):,} characters → {out}")


def _with_offsets(pieces: list[str]) -> list[tuple[str, int, int]]:
    """jieba's default-mode `tokenize`: consecutive offsets over `cut`."""
    ends = list(accumulate(len(p) for p in pieces))
    return [(p, end - len(p), end) for p, end in zip(pieces, ends)]


def _version(name: str, module) -> str:
    """The distribution's version (jieba-fast 0.53 says `__version__ = '0.39'`), else the module's."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return getattr(module, "__version__", "?")


def _jieba_api(module, name: str):
    """Segmenters that copy jieba's API: `Tokenizer()`, `load_userdict`, `tokenize`."""
    tokenizer = module.Tokenizer()
    tokenizer.load_userdict(str(USER_DICTIONARY))
    return lambda text: list(tokenizer.tokenize(text)), f"{name} {_version(name, module)}"


def _rjieba():
    import rjieba  # jieba-rs: no load_userdict, so the dictionary's lines become add_word calls

    tokenizer = rjieba.Jieba()
    for line in USER_DICTIONARY.read_text(encoding="utf-8").splitlines():
        word, *rest = line.split() or [""]
        if word:
            freq = next((int(x) for x in rest if x.isdigit()), None)
            tokenizer.add_word(word, freq, next((x for x in rest if not x.isdigit()), None))
    return lambda text: [tuple(t) for t in tokenizer.tokenize(text)], f"rjieba {_version('rjieba', rjieba)}"


def _cut_only(name: str, module, make):
    """Segmenters with `cut` only: offsets added the way jieba's `tokenize` adds them."""
    tokenizer = make()
    return lambda text: _with_offsets(list(tokenizer.cut(text))), f"{name} {_version(name, module)}"


def load(name: str):
    """(tokenize, label) for a candidate named as on PyPI."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if name == "rjieba":
        return _rjieba()
    if name == "nianbao":  # the index's own loop over jieba's dictionaries (indexer/segment.py; PYTHONPATH=.)
        import jieba

        from indexer.segment import ExactSegmenter

        tokenizer = jieba.Tokenizer()
        tokenizer.load_userdict(str(USER_DICTIONARY))
        return ExactSegmenter(tokenizer).tokenize, f"nianbao ExactSegmenter over jieba {jieba.__version__}"
    if name == "cppjieba-py-dat":
        import cppjieba_py_dat

        return _cut_only(name, cppjieba_py_dat, lambda: cppjieba_py_dat.Jieba(user_dict_path=str(USER_DICTIONARY)))
    if name == "jieba-pyfast":
        import jieba_pyfast

        def make():
            tokenizer = jieba_pyfast.Tokenizer()
            tokenizer.load_userdict(str(USER_DICTIONARY))
            return tokenizer
        return _cut_only(name, jieba_pyfast, make)
    module = __import__(name.replace("-", "_"))  # jieba, jieba-next, jieba-fast, jieba-fast-dat
    return _jieba_api(module, name)


def measure(tokenize, texts: dict[str, str]) -> tuple[dict[str, list], float]:
    """Tokens of every text and the best of two passes' chars per CPU-second."""
    tokenize("预热")  # loads the dictionary outside the timing
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        tokens = {name: tokenize(text) for name, text in texts.items()}
        best = min(best, time.process_time() - started)
    return tokens, sum(map(len, texts.values())) / max(best, 1e-9)


def differences(reference: dict[str, list], tokens: dict[str, list]) -> dict:
    texts = [name for name in reference if reference[name] != tokens[name]]
    changed = sum(len(set(reference[n]) ^ set(tokens[n])) for n in texts)
    first = ""
    if texts:
        a, b = reference[texts[0]], tokens[texts[0]]
        at = next(i for i, (x, y) in enumerate(zip(a + [None], b + [None])) if x != y)
        first = f"{texts[0]}: jieba {a[at:at + 3]} vs {b[at:at + 3]}"
    return {"texts_differing": len(texts), "tokens_differing": changed, "first_difference": first}


def compare(texts_path: Path, names: list[str], reference_path: Path | None) -> None:
    texts = json.loads(texts_path.read_text(encoding="utf-8"))
    reference = None
    if reference_path and reference_path.exists():
        reference = pickle.loads(reference_path.read_bytes())
    for name in names:
        tokenize, label = load(name)
        tokens, speed = measure(tokenize, texts)
        if reference is None:  # the first segmenter named is the reference: jieba 0.42.1
            reference = tokens
            if reference_path:
                reference_path.write_bytes(pickle.dumps(tokens))
        print(json.dumps({"segmenter": label, "chars_per_cpu_s": round(speed), "texts": len(texts),
                          **differences(reference, tokens)}, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    collecting = commands.add_parser("collect", help="write the evaluation texts (project virtualenv)")
    collecting.add_argument("out", type=Path)
    collecting.add_argument("--synthetic", type=int, default=300, help="synthetic reports to add")
    collecting.add_argument("--shared", type=Path, default=REPO / ".." / "shared", help="real/ and samples/ live here")
    comparing = commands.add_parser("compare", help="segment the texts with jieba and each candidate")
    comparing.add_argument("texts", type=Path)
    comparing.add_argument("segmenters", nargs="+", help="PyPI names; the first without --reference is jieba")
    comparing.add_argument("--reference", type=Path, help="jieba's tokens: saved if missing, read if present")
    args = parser.parse_args()
    if args.command == "collect":
        collect(args.out, args.synthetic, args.shared)
    else:
        compare(args.texts, args.segmenters, args.reference)


if __name__ == "__main__":
    main()

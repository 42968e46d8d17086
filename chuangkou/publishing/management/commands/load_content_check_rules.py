"""Load the starter lexicon (敏感词库) and expression rules (严重表述错误/常见错别字) shipped in
``chuangkou/publishing/data/``. Idempotent: only what is missing is added, so entries staff have
since changed or deactivated stay as they are."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from chuangkou.publishing.actions import add_expression_rule, import_lexicon
from chuangkou.publishing.choices import ExpressionRuleKind, Severity
from chuangkou.publishing.models import ExpressionRule, LexiconEntry

DATA = Path(__file__).resolve().parents[2] / "data"
SEVERITY_LABELS = {str(label): value for value, label in Severity.choices}


class Command(BaseCommand):
    help = "Load the starter content-check lexicon and expression rules (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--lexicon", type=Path, default=DATA / "starter_lexicon.tsv")
        parser.add_argument("--rules", type=Path, default=DATA / "expression_rules.tsv")

    @transaction.atomic
    def handle(self, *args, lexicon: Path, rules: Path, **options):
        added_terms = self.load_lexicon(lexicon)
        added_rules = self.load_rules(rules)
        self.stdout.write(f"Lexicon: {added_terms} terms added "
                          f"({LexiconEntry.objects.count()} in total). "
                          f"Expression rules: {added_rules} added "
                          f"({ExpressionRule.objects.count()} in total).")

    def load_lexicon(self, path: Path) -> int:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = next(line for line in lines if line.startswith("词条"))
        existing = set(LexiconEntry.objects.values_list("term", flat=True))
        missing = [line for line in lines
                   if line.strip() and not line.startswith(("#", "词条"))
                   and line.split("\t", 1)[0].strip() not in existing]
        if not missing:
            return 0
        upload = io.BytesIO("\n".join([header, *missing]).encode())
        upload.name = path.name
        return import_lexicon(upload, actor=None).created

    def load_rules(self, path: Path) -> int:
        added = 0
        existing = set(ExpressionRule.objects.values_list("kind", "wrong_text"))
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, wrong_text, correction, severity, regex, note = (line.split("\t") + [""] * 6)[:6]
            if (kind, wrong_text) in existing:
                continue
            add_expression_rule(
                kind=ExpressionRuleKind(kind), wrong_text=wrong_text, correction=correction,
                severity=SEVERITY_LABELS.get(severity, severity), is_regex=regex == "正则",
                note=note, source="示例规则库", actor=None)
            existing.add((kind, wrong_text))
            added += 1
        return added

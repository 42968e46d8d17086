"""The five default letter kinds (咨询, 求助, 投诉, 建议, 批评) with their time limits.

Source: regulations.md §8 — the time limits per kind are set by each government (practice: 5 to
15 working days); a city changes them in the admin. The data is written out here (not imported
from ``mailbox.rules``) so that this migration keeps doing what it did when the code moves on.
"""

from django.db import migrations

DEFAULT_LETTER_KINDS = [
    # code, name, reply working days, description, sort order
    ("zixun", "咨询", 5, "询问政策规定、办事流程等。", 10),
    ("qiuzhu", "求助", 10, "遇到困难请求政府部门帮助解决。", 20),
    ("tousu", "投诉", 15, "反映行政机关及其工作人员的违法违规或不作为等问题。", 30),
    ("jianyi", "建议", 15, "对政府工作提出意见和建议。", 40),
    ("piping", "批评", 15, "对政府工作提出批评。", 50),
]


def create_default_letter_kinds(apps, schema_editor):
    LetterKind = apps.get_model("mailbox", "LetterKind")
    for code, name, days, description, sort_order in DEFAULT_LETTER_KINDS:
        if LetterKind.objects.filter(code=code).exists() or LetterKind.objects.filter(
                name=name).exists():
            continue  # a city that already has the kind keeps its own settings
        LetterKind.objects.create(code=code, name=name, reply_working_days=days,
                                  description=description, sort_order=sort_order, is_active=True)


def remove_default_letter_kinds(apps, schema_editor):
    LetterKind = apps.get_model("mailbox", "LetterKind")
    codes = [code for code, *_rest in DEFAULT_LETTER_KINDS]
    # Kinds that letters already use stay: deleting them would delete the letters' history.
    LetterKind.objects.filter(code__in=codes, letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("mailbox", "0001_initial")]

    operations = [
        migrations.RunPython(create_default_letter_kinds, remove_default_letter_kinds),
    ]

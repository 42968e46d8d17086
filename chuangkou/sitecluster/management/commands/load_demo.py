"""``manage.py load_demo``: build the demo city portal (示例市), or list its accounts."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangkou.core.exceptions import RuleViolation
from chuangkou.sitecluster.demo import accounts_table, load_demo


class Command(BaseCommand):
    help = (
        "载入示例市演示门户（门户网站、部门和区县网站、栏目、真实文章和演示账号）。"
        "可重复运行：已有的内容不会重复创建。"
    )
    # bin/demo runs migrate (and its checks) just before; --list-accounts must stay instant.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list-accounts", action="store_true",
            help="只列出演示账号和登录地址，不载入数据。",
        )
        parser.add_argument(
            "--max-per-column", type=int, default=None, metavar="N",
            help="每个栏目最多载入 N 篇文章（用于快速测试；默认全部载入）。",
        )

    def handle(self, *args, list_accounts: bool, max_per_column: int | None, **options) -> None:
        if list_accounts:
            self.stdout.write(accounts_table())
            return
        if max_per_column is not None and max_per_column < 1:
            raise CommandError("--max-per-column 必须是正整数。")
        verbose = options["verbosity"] > 1
        try:
            summary = load_demo(
                max_articles_per_column=max_per_column,
                progress=self.stdout.write if verbose else None,
            )
        except RuleViolation as error:
            raise CommandError(f"演示数据无法载入：{error}") from error
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(str(summary)))

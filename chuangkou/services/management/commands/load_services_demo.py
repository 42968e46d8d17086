"""``manage.py load_services_demo``: the 网上办事 demo (service items, staff), or its accounts."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangkou.core.exceptions import RuleViolation
from chuangkou.services.demo import load_services_demo, services_accounts_table


class Command(BaseCommand):
    help = (
        "载入网上办事演示数据（机构、办件人员等演示账号、100多个服务事项及各部分的演示数据）。"
        "可重复运行：已有的内容不会重复创建。"
    )
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list-accounts", action="store_true",
                            help="只列出网上办事演示账号和登录地址，不载入数据。")

    def handle(self, *args, list_accounts: bool, **options) -> None:
        if list_accounts:
            self.stdout.write(services_accounts_table())
            return
        try:
            summary = load_services_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        except RuleViolation as error:
            raise CommandError(f"网上办事演示数据无法载入：{error}") from error
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(str(summary)))

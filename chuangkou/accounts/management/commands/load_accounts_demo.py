"""``manage.py load_accounts_demo``: demo citizens, their enterprise and the requests waiting
for the account officer, then (when written) their reminders and subscriptions. Runs before the
other apps' demo loaders, which give the demo citizens their applications and letters."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangkou.accounts.demo import citizens
from chuangkou.core.exceptions import RuleViolation


class Command(BaseCommand):
    help = ("载入公众账号演示数据（三位演示市民、一个已核验的法人账号、待核验的实名认证和法人注册）。"
            "可重复运行：已有的内容不会重复创建。")
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list-accounts", action="store_true",
                            help="只列出演示市民账号和密码，不载入数据。")

    def handle(self, *args, list_accounts: bool, **options) -> None:
        if list_accounts:
            self.stdout.write(citizens.citizens_table())
            return
        verbose = options["verbosity"] > 0
        try:
            citizens.load(stdout=self.stdout if verbose else None)
            from chuangkou.accounts.demo import homepage

            load_homepage = getattr(homepage, "load", None)
            if load_homepage is not None:
                load_homepage()
        except RuleViolation as error:
            raise CommandError(f"公众账号演示数据无法载入：{error}") from error
        if verbose:
            self.stdout.write(self.style.SUCCESS("\n公众账号演示数据已载入。"))

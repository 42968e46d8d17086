"""Remove registrations nobody verified within ACCOUNTS_UNVERIFIED_TTL_HOURS (also run every
hour as a periodic task)."""

from django.core.management.base import BaseCommand

from chuangkou.accounts.actions import purge_unverified_accounts


class Command(BaseCommand):
    help = "删除超过时限仍未验证手机号码或邮箱的注册账号。"

    def handle(self, *args, **options):
        removed = purge_unverified_accounts()
        self.stdout.write(f"removed {removed} unverified account(s)")

"""``manage.py load_disclosure_demo``: the demo city's disclosure platforms, catalogue,
applications and annual report, on top of ``load_demo``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from chuangkou.core.exceptions import RuleViolation
from chuangkou.disclosure.demo.applications import load_applications_demo
from chuangkou.disclosure.demo.catalogue import load_catalogue_demo
from chuangkou.disclosure.demo.reports import load_reports_demo


class Command(BaseCommand):
    help = "载入示例市的政府信息公开演示内容（公开平台、目录、依申请公开和年报）。可重复运行。"

    def handle(self, *args, **options) -> None:
        try:
            # Order matters: applications need the platforms, the report counts both.
            with transaction.atomic():
                load_catalogue_demo(stdout=self.stdout)
                load_applications_demo(stdout=self.stdout)
                load_reports_demo(stdout=self.stdout)
        except RuleViolation as error:
            raise CommandError(f"政府信息公开演示数据无法载入：{error}") from error
        self.stdout.write(self.style.SUCCESS("政府信息公开演示内容已载入。"))

from django.core.management.base import BaseCommand

from chuangkou.mailbox.demo.letters import load_letters_demo


class Command(BaseCommand):
    help = "Load the mailbox demo: routing rules and letters in every state (idempotent)."

    def handle(self, *args, **options):
        load_letters_demo(stdout=self.stdout)

"""Load the demo's search tuning (synonyms, government terms, best bets); idempotent. Run
after the services demo: best bets point at its catalogue."""

from django.core.management.base import BaseCommand

from chuangkou.search.demo import load_search_demo


class Command(BaseCommand):
    help = "Load the demo synonyms, government terms and best bets (搜索)."

    def handle(self, *args, **options):
        created = load_search_demo()
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in created.items()))

"""Make every cached page stale: a new content generation, announced to every process."""

from django.core.management.base import BaseCommand, CommandError

from directory import cache as page_cache


class Command(BaseCommand):
    help = "Make every cached page stale (e.g. after a change made while the cache was down)."

    def handle(self, *args, **options):
        page_cache.bump_generation()
        if page_cache.bump_is_pending():
            raise CommandError("The cache is unavailable: nothing was changed. Try again later.")
        self.stdout.write(self.style.SUCCESS("Every cached page is stale now."))

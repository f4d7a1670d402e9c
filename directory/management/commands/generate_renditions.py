"""Make the renditions (thumbnail, card, medium, full, og) of every photo that lacks them, and
record them on each photo (run after `migrate` when upgrading: pages read that record)."""

from django.core.management.base import BaseCommand

from directory.cache import bump_for_command
from directory.renditions import generate_renditions


class Command(BaseCommand):
    help = "Make the missing renditions of every photo (existing ones are kept)."

    def handle(self, *args, **options):
        made = generate_renditions()
        bump_for_command(self)  # cached pages pick up the new renditions
        self.stdout.write(f"  renditions ready: {made}")

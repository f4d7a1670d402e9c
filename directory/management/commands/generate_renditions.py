"""Make the renditions (thumbnail, card, full, og) of every photo that lacks them."""

from django.core.management.base import BaseCommand

from directory.renditions import generate_renditions


class Command(BaseCommand):
    help = "Make the missing renditions of every photo (existing ones are kept)."

    def handle(self, *args, **options):
        made = generate_renditions()
        self.stdout.write(f"  renditions ready: {made}")

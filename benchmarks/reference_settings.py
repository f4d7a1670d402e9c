"""The site's production settings plus one benchmark-only page: the speed issue's reference.

The issue measures "a plain Django list page of 50 rows without cache" at about 0.1 of the
static file (0.14 with persistent connections) on this kind of machine. Serving that page
beside ours in the same run shows what an uncached Django page costs here.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.reference_urls"

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from directory.warmup import warm_up  # noqa: E402  (needs the app set up)

warm_up()

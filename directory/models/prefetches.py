"""What the detail pages prefetch alike: each relation as visitors may see it, one query each.

The models are imported inside the functions: the querysets that use these are defined next
to the models these import.
"""

from django.db.models import Prefetch


def public_figures():
    """``public_figures``: visible figures with their source article (cards name it)."""
    from .figures import Figure

    return Prefetch(
        "figures",
        queryset=Figure.objects.visible().select_related("article"),
        to_attr="public_figures",
    )


def public_partnerships():
    """``public_partnerships``: visible partnerships (both sides published), sides joined."""
    from .partnerships import Partnership

    return Prefetch(
        "partnerships",
        queryset=Partnership.objects.visible().with_sides(),
        to_attr="public_partnerships",
    )


def public_articles(count):
    """``public_articles``: the newest ``count`` published news that mention the object."""
    from .news import Article

    return Prefetch(
        "articles",
        queryset=Article.objects.published().newest_first()[:count],
        to_attr="public_articles",
    )


def public_honours():
    """``public_honours``: published honours."""
    from .taxonomy import Honour

    return Prefetch("honours", queryset=Honour.objects.published(), to_attr="public_honours")

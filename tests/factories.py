"""Small builders with fixed values for tests: deterministic, no random data."""

import io
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from directory.models import (
    Article,
    ArticleSection,
    Cluster,
    Enterprise,
    Figure,
    Honour,
    Institution,
    Park,
    Partnership,
    Photo,
    Status,
)
from directory.renditions import generate_for

_seq = count(1)


def _n():
    return next(_seq)


def make_honour(name=None, **kw):
    return Honour.objects.create(name=name or f"荣誉{_n()}", status=Status.PUBLISHED, **kw)


def make_park(name=None, **kw):
    kw.setdefault("is_industrial_park", True)
    return Park.objects.create(name=name or f"测试产业园{_n()}", status=Status.PUBLISHED, **kw)


def make_cluster(name=None, **kw):
    return Cluster.objects.create(name=name or f"测试集群{_n()}", status=Status.PUBLISHED, **kw)


def make_institution(name=None, honours=(), **kw):
    kw.setdefault("kind", "higher_vocational")
    kw.setdefault("status", Status.PUBLISHED)
    obj = Institution.objects.create(name=name or f"重庆测试职业学院{_n()}", **kw)
    if honours:
        obj.honours.set(honours)
    return obj


def make_enterprise(name=None, **kw):
    kw.setdefault("relation", "settled")
    kw.setdefault("status", Status.PUBLISHED)
    return Enterprise.objects.create(name=name or f"测试科技公司{_n()}", **kw)


def make_partnership(institution=None, enterprise=None, name=None, **kw):
    kw.setdefault("kind", "joint_college")
    kw.setdefault("status", Status.PUBLISHED)
    return Partnership.objects.create(
        name=name or f"测试合作学院{_n()}",
        institution=institution,
        enterprise=enterprise or (None if institution else make_enterprise()),
        **kw,
    )


def make_article(name=None, year=2020, body="<p>正文。</p>", **kw):
    kw.setdefault("status", Status.PUBLISHED)
    article = Article.objects.create(name=name or f"测试新闻{_n()}", year=year, **kw)
    ArticleSection.objects.create(article=article, order=1, heading="", body=body)
    return article


def make_figure(name=None, value=Decimal("50000"), unit="名", qualifier="plus", **kw):
    kw.setdefault("scope", "city")
    kw.setdefault("status", Status.PUBLISHED)
    return Figure.objects.create(
        name=name or f"测试数据{_n()}", value=value, unit=unit, qualifier=qualifier, **kw
    )


def png_bytes(size=(120, 80), colour=(31, 77, 58)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_photo(article=None, caption=None, **kw):
    """A photo with a real small PNG in the test's MEDIA_ROOT."""
    if "image" not in kw:
        kw["image"] = default_storage.save(f"photos/test-{_n()}.png", ContentFile(png_bytes()))
    kw.setdefault("alt_text", "测试图片")
    photo = Photo.objects.create(article=article, caption=caption or f"图片{_n()}", **kw)
    generate_for(photo)  # as the admin and load_demo do: pages only show renditions
    return photo

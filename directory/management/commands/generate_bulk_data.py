"""Synthetic but plausible data on top of the demo, for benchmarks and query-count tests.

`--scale N` gives about N institutions, 10·N enterprises and 10·N news articles, with
partnerships, figures and photos. The same N always gives the same rows. Every synthetic
row's slug starts with `bulk-`, so a new run first removes the previous run's rows.
"""

import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.cache import bump_for_command
from directory.models import (
    Article,
    ArticleSection,
    Cluster,
    Enterprise,
    Figure,
    Institution,
    Park,
    Partnership,
    PartnershipKind,
    Photo,
    Relation,
    Status,
)
from directory.placeholders import render_placeholder
from directory.planner import refresh_statistics

PREFIX = "bulk-"
PLACES = [
    "巴南",
    "南岸",
    "江津",
    "綦江",
    "璧山",
    "永川",
    "涪陵",
    "长寿",
    "合川",
    "铜梁",
    "大足",
    "荣昌",
]
FIELDS = [
    "信息工程",
    "智能制造",
    "医药卫生",
    "财经商贸",
    "文化传媒",
    "建筑工程",
    "交通运输",
    "电子信息",
    "旅游服务",
    "现代农业",
    "轨道交通",
    "数字艺术",
]
SCHOOL_TYPES = [
    ("职业学院", "higher_vocational"),
    ("技师学院", "technician"),
    ("职业学校", "secondary"),
    ("职教中心", "centre"),
]
TRADES = [
    "云计算",
    "大数据",
    "软件",
    "医疗科技",
    "教育科技",
    "物联网",
    "智能装备",
    "网络科技",
    "数字传媒",
    "人工智能",
    "信息服务",
    "电子商务",
]
SUFFIXES = ["有限公司", "科技有限公司", "信息技术有限公司", "股份有限公司"]
TOPICS = [
    "校企合作",
    "实训基地",
    "技能大赛",
    "产业园区",
    "人才培养",
    "招生就业",
    "数字经济",
    "职业教育",
]
PHOTO_FILES = 12  # synthetic photos share a small set of generated images


class Command(BaseCommand):
    help = "Add deterministic synthetic data (about N institutions, 10N enterprises, 10N news)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10)

    def handle(self, *args, scale, **options):
        if not 1 <= scale <= 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        rng = random.Random(scale)
        with transaction.atomic():
            self.remove_previous()
            files = self.photo_files()
            parks = self.make(
                Park,
                [
                    Park(
                        name=f"{PLACES[i % len(PLACES)]}{TRADES[i % len(TRADES)]}产业园{i + 1}号",
                        is_industrial_park=True,
                        is_functional_project=i % 4 == 0,
                        location=f"重庆市{PLACES[i % len(PLACES)]}区",
                        summary="合成的演示园区。",
                        order=100 + i,
                    )
                    for i in range(max(2, scale // 10))
                ],
            )
            clusters = self.make(
                Cluster,
                [
                    Cluster(
                        name=f"{TRADES[i % len(TRADES)]}企业集群{i + 1}号",
                        park=parks[i % len(parks)],
                        summary="合成的演示集群。",
                        order=100 + i,
                    )
                    for i in range(max(2, scale // 10))
                ],
            )
            institutions = self.make(
                Institution,
                [
                    Institution(
                        name=f"重庆{PLACES[i % len(PLACES)]}{FIELDS[(i // 12) % len(FIELDS)]}"
                        f"{SCHOOL_TYPES[i % 4][0]}{i + 1}",
                        kind=SCHOOL_TYPES[i % 4][1],
                        ownership=rng.choice(["public", "private", "unstated"]),
                        founded_year=rng.randint(1950, 2019),
                        summary="合成的演示院校，用于测试与压测。",
                        order=100 + i,
                    )
                    for i in range(scale)
                ],
            )
            enterprises = self.make(
                Enterprise,
                [
                    Enterprise(
                        name=f"重庆{PLACES[i % len(PLACES)]}{TRADES[(i // 12) % len(TRADES)]}"
                        f"{SUFFIXES[i % 4]}{i + 1}",
                        relation=rng.choice(Relation.values),
                        park=parks[i % len(parks)] if i % 3 else None,
                        cluster=clusters[i % len(clusters)] if i % 2 else None,
                        is_fortune_global_500=i % 37 == 0,
                        summary="合成的演示企业。",
                    )
                    for i in range(10 * scale)
                ],
            )
            self.make(
                Partnership,
                [
                    Partnership(
                        name=f"{institutions[i % scale].name[:12]}"
                        f"{TRADES[i % len(TRADES)]}班{i + 1}",
                        kind=rng.choice(PartnershipKind.values),
                        institution=institutions[i % scale],
                        enterprise=enterprises[(i * 7) % len(enterprises)],
                        description="合成的演示合作。",
                    )
                    for i in range(3 * scale)
                ],
            )
            articles = self.make(
                Article,
                [
                    Article(
                        name=f"{TOPICS[i % len(TOPICS)]}动态："
                        f"{institutions[i % scale].name}第{i + 1}期",
                        subtitle="合成的演示新闻",
                        summary="这是一条用于测试与压测的合成新闻。",
                        byline="演示数据",
                        year=2015 + i % 6,
                    )
                    for i in range(10 * scale)
                ],
            )
            ArticleSection.objects.bulk_create(
                ArticleSection(
                    article=a,
                    order=1,
                    heading="",
                    body="<p>这是一条合成的演示新闻正文。</p>\n<p>第二段。</p>",
                )
                for a in articles
            )
            self.link_mentions(articles, institutions, enterprises, parks)
            Photo.objects.bulk_create(
                Photo(
                    key=f"{PREFIX}photo-{i + 1}",
                    image=files[i % len(files)],
                    width=1200,
                    height=800,
                    caption=f"演示图片{i + 1}",
                    alt_text="占位图：合成的演示图片",
                    is_placeholder=True,
                    article=a,
                    order=1,
                )
                for i, a in enumerate(articles)
            )
            self.make(
                Figure,
                [
                    Figure(
                        name=f"{institutions[i % scale].name[:10]}毕业生{i + 1}",
                        value=Decimal(rng.randint(1, 900) * 100),
                        unit="名",
                        qualifier="plus",
                        scope="institution",
                        institution=institutions[i % scale],
                        figure_status="achieved",
                        order=1000 + i,
                    )
                    for i in range(2 * scale)
                ],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(institutions)} institutions, {len(enterprises)} enterprises, "
                f"{len(articles)} news articles (scale {scale})."
            )
        )
        refresh_statistics()
        bump_for_command(self)

    def make(self, model, objects):
        for i, obj in enumerate(objects):
            obj.status = Status.PUBLISHED
            obj.slug = f"{PREFIX}{model._meta.model_name}-{i + 1}"
            obj.refresh_keys()
        # Returned objects carry primary keys on SQLite and PostgreSQL alike.
        return model.objects.bulk_create(objects, batch_size=500)

    def link_mentions(self, articles, institutions, enterprises, parks):
        through = Article.institutions.through
        through.objects.bulk_create(
            through(article_id=a.pk, institution_id=institutions[i % len(institutions)].pk)
            for i, a in enumerate(articles)
        )
        through = Article.enterprises.through
        through.objects.bulk_create(
            through(article_id=a.pk, enterprise_id=enterprises[(i * 3) % len(enterprises)].pk)
            for i, a in enumerate(articles)
        )
        through = Article.parks.through
        through.objects.bulk_create(
            through(article_id=a.pk, park_id=parks[i % len(parks)].pk)
            for i, a in enumerate(articles)
        )

    def photo_files(self):
        names = []
        for i in range(PHOTO_FILES):
            name = f"photos/bulk/placeholder-{i + 1:02d}.png"
            if not default_storage.exists(name):
                data = render_placeholder(f"演示图片 {i + 1}", "合成数据", f"bulk {i + 1}")
                name = default_storage.save(name, ContentFile(data))
            names.append(name)
        return names

    def remove_previous(self):
        Photo.objects.filter(key__startswith=PREFIX).delete()
        Figure.objects.filter(slug__startswith=PREFIX).delete()
        Article.objects.filter(slug__startswith=PREFIX).delete()
        Partnership.objects.filter(slug__startswith=PREFIX).delete()
        Enterprise.objects.filter(slug__startswith=PREFIX).delete()
        Institution.objects.filter(slug__startswith=PREFIX).delete()
        Cluster.objects.filter(slug__startswith=PREFIX).delete()
        Park.objects.filter(slug__startswith=PREFIX).delete()

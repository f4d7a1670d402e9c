"""Roles (Editors, Reviewers, superusers) and the throttled admin login."""

from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from directory.admin.base import PublishableAdmin
from directory.client_ip import client_ip
from directory.models import Article, Institution, Status
from tests.factories import make_article, make_institution
from tests.staff_factories import (  # noqa: F401  (fixtures)
    PASSWORD,
    editor,
    editor_client,
    fast_hashing,
    make_staff,
    reviewer,
    reviewer_client,
    superuser,
)

pytestmark = pytest.mark.django_db

CONTENT = [
    "article",
    "articlesection",
    "cluster",
    "enterprise",
    "figure",
    "honour",
    "institution",
    "notablealumnus",
    "park",
    "partnership",
    "photo",
]
PUBLISHABLE = [
    "article",
    "cluster",
    "enterprise",
    "figure",
    "honour",
    "institution",
    "park",
    "partnership",
]


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_migration_makes_both_groups_with_exactly_their_permissions():
    editors = perms("Editors")
    reviewers = perms("Reviewers")
    assert editors == {
        *(f"directory.{a}_{m}" for m in CONTENT for a in ("add", "change", "delete", "view")),
        *(f"directory.{a}_{m}" for m in PUBLISHABLE for a in ("publish", "unpublish")),
    }
    assert reviewers == {
        *(f"directory.view_{m}" for m in CONTENT),
        *(f"directory.unpublish_{m}" for m in PUBLISHABLE),
    }
    # Nothing of accounts, groups or the login log.
    assert not {p for p in editors | reviewers if not p.startswith("directory.")}


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:axes_accessattempt_changelist"),
    ],
)
def test_editors_and_reviewers_cannot_manage_accounts(editor_client, reviewer_client, url):
    assert editor_client.get(url).status_code == 403
    assert reviewer_client.get(url).status_code == 403


def test_superuser_manages_accounts(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_editor_creates_changes_and_deletes_content(editor_client):
    response = editor_client.post(
        reverse("admin:directory_honour_add"),
        {
            "name": "世赛中国集训基地",
            "name_en": "",
            "aliases": "",
            "description": "",
            "status": "draft",
            "slug": "",
            "publish_at_0": "",
            "publish_at_1": "",
        },
    )
    assert response.status_code == 302
    from directory.models import Honour

    honour = Honour.objects.get(name="世赛中国集训基地")
    assert honour.slug == "shisaizhongguojixunjidi"
    response = editor_client.post(
        reverse("admin:directory_honour_delete", args=[honour.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Honour.objects.filter(pk=honour.pk).exists()


def test_reviewer_sees_everything_read_only(reviewer_client):
    institution = make_institution("重庆五一技师学院")
    change_url = reverse("admin:directory_institution_change", args=[institution.pk])
    response = reviewer_client.get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.text
    assert reviewer_client.get(reverse("admin:directory_institution_changelist")).status_code == 200
    # No writing of any kind.
    assert reviewer_client.post(change_url, {"name": "改名"}).status_code == 403
    assert reviewer_client.get(reverse("admin:directory_institution_add")).status_code == 403
    assert (
        reviewer_client.post(
            reverse("admin:directory_institution_delete", args=[institution.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert reviewer_client.get(reverse("admin:directory_institution_import")).status_code == 403
    institution.refresh_from_db()
    assert institution.name == "重庆五一技师学院"


def test_reviewer_can_withdraw_but_not_publish(reviewer_client):
    published = make_article("已发布的新闻")
    draft = make_article("草稿新闻", status=Status.DRAFT)
    url = reverse("admin:directory_article_changelist")
    actions = dict(reviewer_client.get(url).context["action_form"].fields["action"].choices)
    assert "unpublish" in actions
    assert "publish" not in actions

    reviewer_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    reviewer_client.post(url, {"action": "unpublish", "_selected_action": [published.pk]})
    assert Article.objects.get(pk=published.pk).status == Status.DRAFT


def status_help(response):
    form = response.context["adminform"].form
    return str(form._meta.help_texts.get("status", "")) if form._meta.help_texts else ""


def test_the_reviewers_read_only_page_says_where_to_withdraw(reviewer_client, editor_client):
    published = make_article("已发布的新闻")
    page = reviewer_client.get(reverse("admin:directory_article_change", args=[published.pk]))
    action = str(PublishableAdmin.unpublish.short_description)  # 撤回所选条目（退回草稿）
    assert action in status_help(page) and status_help(page) in page.text
    # Not for a draft (nothing to withdraw), nor for whoever may change the page.
    draft = make_article("草稿新闻", status=Status.DRAFT)
    page = reviewer_client.get(reverse("admin:directory_article_change", args=[draft.pk]))
    assert action not in status_help(page)
    page = editor_client.get(reverse("admin:directory_article_change", args=[published.pk]))
    assert action not in status_help(page)


def test_editor_publishes_and_withdraws_with_actions(editor_client):
    article = make_article("草稿新闻", status=Status.DRAFT)
    url = reverse("admin:directory_article_changelist")
    editor_client.post(url, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    editor_client.post(url, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_staff_without_a_group_sees_no_content(client, fast_hashing):
    nobody = make_staff("staff-without-role")
    client.force_login(nobody)
    assert client.get(reverse("admin:directory_article_changelist")).status_code == 403
    assert Institution.objects.count() == 0


# --- Throttled login ----------------------------------------------------------------------


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.7",
    )


def test_login_works_for_an_editor(client, editor):
    response = login(client, editor.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_password_guessing_is_locked_out_and_recorded(client, editor):
    for _ in range(4):
        response = login(client, editor.username, "wrong-guess")
        assert response.status_code == 200  # the login form again, with its error
    response = login(client, editor.username, "wrong-guess")  # the fifth failure locks
    assert response.status_code == 429
    # Locked: even the right password is refused now, with the lockout page.
    response = login(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "staff/lockout.html" in [t.name for t in response.templates]
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in

    attempt = AccessAttempt.objects.get(username=editor.username)
    assert attempt.failures_since_start >= 5
    assert attempt.ip_address == "203.0.113.7"
    assert AccessFailureLog.objects.filter(username=editor.username).count() >= 5


@pytest.mark.parametrize("length", [255, 256, 5000])
def test_a_very_long_user_name_is_a_failed_login_not_a_500(client, length):
    response = login(client, "测" * length, "wrong-guess")
    assert response.status_code == 200  # the login form again, with its error
    assert response.context["form"].errors
    stored = AccessAttempt.objects.get().username  # counted, in what the column holds
    assert stored == "测" * min(length, 255)


def test_lockout_is_per_user_and_address(client, editor, fast_hashing):
    other = make_staff("editor-chen", "Editors")
    for _ in range(5):
        login(client, editor.username, "wrong-guess")
    # Another account from the same office address still gets in.
    assert login(client, other.username, PASSWORD).status_code == 302


def test_login_with_a_foreign_next_lands_in_the_admin(client, editor, fast_hashing):
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": PASSWORD, "next": "//evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def login_through_proxy(client, username, password, forwarded_for):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.2",  # the reverse proxy
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_each_client_address_counts_apart(client, editor, fast_hashing, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The left entry is the client's own claim and is not believed; the proxy's is.
    for _ in range(5):
        login_through_proxy(client, editor.username, "wrong-guess", "1.1.1.1, 198.51.100.9")
    assert AccessAttempt.objects.get(username=editor.username).ip_address == "198.51.100.9"
    locked = login_through_proxy(client, editor.username, PASSWORD, "198.51.100.9")
    assert locked.status_code == 429
    # The same editor from another address, through the same proxy, still gets in.
    assert login_through_proxy(client, editor.username, PASSWORD, "203.0.113.50").status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "", "10.0.0.2"),  # no header: the peer
        (1, "not-an-address", "10.0.0.2"),
        (2, "198.51.100.9", "10.0.0.2"),  # fewer hops than proxies: not through them
        (2, "192.0.2.1, 198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "198.51.100.9:51234", "198.51.100.9"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_client_address_from_forwarded_for(rf, settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_demo_user_is_an_editor_not_a_superuser(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-chosen-demo-pass")
    out = StringIO()
    call_command("load_demo", stdout=out)
    user = get_user_model().objects.get(username="demo-editor")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert "demo-editor" in out.getvalue() and "a-chosen-demo-pass" in out.getvalue()


def test_an_editor_at_work_stays_logged_in_past_the_session_length(client, editor, fast_hashing):
    """The session ends eight hours after the last request, not after the login: an editor
    saving a form late in a working day is not sent to the login page (losing the form)."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(client, editor.username, PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Seven hours later, the editor is still at work: the session was due to end in one.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert client.get(reverse("admin:index")).status_code == 200
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + timedelta(hours=7, minutes=59)

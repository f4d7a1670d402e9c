"""An editor logs in, writes a news article with a photo, publishes it, and a visitor sees it.

Drives Debian's Chromium through Playwright (the `chromium` fixture of tests/browser.py).
"""

import pytest
from django.contrib.auth.models import Group

from directory.models import Article, Status
from tests.browser import chromium, wait_until  # noqa: F401  (chromium is a fixture)
from tests.staff_factories import PASSWORD, image_bytes, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls("tests.staff_browser_urls"),
    # The groups come from a data migration: restore them even after other tests' flushes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_publishes_news_with_a_photo(live_server, settings, tmp_path, chromium):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert Group.objects.filter(name="Editors").exists()
    make_staff("editor-wang", "Editors")
    picture = tmp_path / "campus.jpg"
    picture.write_bytes(image_bytes("JPEG", size=(1200, 800)))

    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    problems = []
    # Script errors and CSP violations in the admin; failed loads are checked by status.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )

    # Log in.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor-wang")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # Write the article: title, year, one section in the rich-text editor, one photo.
    page.goto(f"{live_server.url}/admin/directory/article/add/")
    page.fill("#id_name", "高职城新建实训中心投入使用")
    page.fill("#id_year", "2024")
    page.click("#sections-group .add-row a")
    page.fill("#id_sections-0-order", "1")
    editor = page.locator("#sections-0 [contenteditable=true]")
    editor.click()
    page.keyboard.type("实训中心今天正式投入使用。")
    page.click("#photos-group .add-row a")
    page.set_input_files("#id_photos-0-image", str(picture))
    page.fill("#id_photos-0-caption", "新建的实训中心")
    page.fill("#id_photos-0-alt_text", "实训中心的外景")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/directory/article/")
    article = Article.objects.get(name="高职城新建实训中心投入使用")
    assert article.status == Status.DRAFT
    assert "实训中心今天正式投入使用。" in article.sections.get().body

    # Not public yet: a visitor gets a 404.
    visitor = chromium.new_context(locale="zh-CN").new_page()
    response = visitor.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert response.status == 404

    # Publish it with the list action.
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click(".actions button[type=submit]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED

    # The visitor now sees it, photo included.
    response = visitor.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert response.status == 200
    assert visitor.locator("h1").inner_text() == "高职城新建实训中心投入使用"
    assert "实训中心今天正式投入使用。" in visitor.locator(".article__body").inner_text()
    image = visitor.locator("img[alt='实训中心的外景']")
    image.scroll_into_view_if_needed()
    wait_until(visitor, "img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert problems == []  # no CSP violation or script error in the admin
    # Close the pages before the live server stops, so no request is left mid-way.
    visitor.context.close()
    context.close()

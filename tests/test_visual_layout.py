"""Layout regressions found by looking at the public pages as visitors do, in Chromium.

Each test measures what was seen to be wrong in a screenshot (a column that kept the wrong
width, a side list longer than the article, a card row out of line) and failed before its fix.
The demo data is loaded into the live server's database for each test.

Skipped without /usr/bin/chromium (fails instead when BROWSER_TESTS_REQUIRED=1).
"""

import pytest

from tests.browser import (  # noqa: F401  (chromium, open_page and site are fixtures)
    DESKTOP,
    PHONE,
    chromium,
    open_page,
    site,
)

pytestmark = [
    pytest.mark.browser,
    # As in test_browser_public: restore what the migrations put there after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WUYI = "chongqingwuyijishixueyuan"
RONGZHI = "chongqinggongshangdaxuerongzhixueyuan"
WENYI = "chongqingwenhuayishuzhiyexueyuan"
ARTICLE = "chongqinggaozhichengmiaozhundashujuzhinenghuaqianyan"


def box(page, selector):
    """The element's box in page coordinates: {top, bottom, left, right, width, height}."""
    return page.locator(selector).first.evaluate(
        """el => { const b = el.getBoundingClientRect();
                   return {top: b.top + scrollY, bottom: b.bottom + scrollY, left: b.left,
                           right: b.right, width: b.width, height: b.height}; }"""
    )


def test_compare_label_column_keeps_its_width(site, open_page):
    """The label column's width rule named a th, but the corner cell is a td: with one
    institution the labels took half the table, with four a fifth of it."""
    page = open_page(viewport=DESKTOP)
    widths = []
    for items in (WUYI, f"{WUYI},huawei-ict-xueyuan,{RONGZHI}"):
        page.goto(f"{site}/compare/?items={items}")
        label = box(page, ".compare-table tbody tr:not(.compare-table__names) th")
        rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        widths.append(label["width"])
        assert abs(label["width"] - 13 * rem) < 2, items
    assert abs(widths[0] - widths[1]) < 1
    page.problems.assert_none()


@pytest.mark.parametrize("language", ["", "/en"])
def test_article_figure_list_ends_before_the_article(site, open_page, language):
    """Beside the source article its 40 figures were cards, one a row: the side column ran
    on below the article's last line (and the page grew by that much)."""
    page = open_page(viewport=DESKTOP)
    page.goto(f"{site}{language}/news/{ARTICLE}/")
    assert page.locator(".article-aside .figure-chips li").count() >= 40
    article_end = box(page, ".article > :last-child")["bottom"]
    aside_end = box(page, ".article-aside > :last-child")["bottom"]
    assert aside_end <= article_end
    page.problems.assert_none()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_placeholder_in_a_news_card_sits_in_the_middle(site, open_page, viewport):
    """The generated placeholder cropped to 16:10 showed its frame 36 px from the top and
    13 px from the bottom of the card's picture."""
    page = open_page(viewport=viewport)
    page.goto(f"{site}/news/")
    media = box(page, ".card__media")
    stand_in = box(page, ".card__media .photo__placeholder--stand-in")
    assert abs(stand_in["width"] / stand_in["height"] - 1.6) < 0.02  # still 16:10
    assert abs(stand_in["top"] - media["top"]) < 1 and abs(stand_in["bottom"] - media["bottom"]) < 1
    name, label = box(page, ".photo__placeholder-text"), box(page, ".photo__placeholder-kind")
    above, below = name["top"] - media["top"], media["bottom"] - label["bottom"]
    assert abs(above - below) < 2
    left, right = name["left"] - media["left"], media["right"] - name["right"]
    assert abs(left - right) < 2
    page.problems.assert_none()


def test_figure_cards_in_a_row_line_up(site, open_page):
    """A card whose status line also names a period (每年, 近5年来) was 4 px taller there,
    so its badge, value and label sat lower than its neighbours'."""
    page = open_page(viewport=DESKTOP)
    page.goto(f"{site}/figures/")
    offsets = page.evaluate(
        """() => [...document.querySelectorAll(".figure-grid > .figure-card")].map(card => {
             const top = card.getBoundingClientRect().top;
             const at = sel => card.querySelector(sel).getBoundingClientRect().top - top;
             return {period: !!card.querySelector(".figure-card__period"),
                     badge: at(".badge"), value: at(".figure-card__value")};
           })"""
    )
    with_period = [o for o in offsets if o["period"]]
    without = [o for o in offsets if not o["period"]]
    assert with_period and without
    for key in ("badge", "value"):
        spread = {round(o[key]) for o in offsets}
        assert max(spread) - min(spread) <= 1, (key, spread)
    page.problems.assert_none()


def test_detail_tags_keep_their_colours(site, open_page):
    """Under a detail page's title the honours (an institution's), the cluster and 世界500强
    (an enterprise's) were as green as the kind: `.tags li` outweighed `.tag--ink`."""
    page = open_page(viewport=DESKTOP)
    background = "el => getComputedStyle(el).backgroundColor"
    page.goto(f"{site}/institutions/{RONGZHI}/")
    tags = page.locator(".detail-head .tags li")
    assert tags.first.evaluate(background) == "rgb(228, 239, 231)"  # the kind: --green-soft
    honours = {tags.nth(i).evaluate(background) for i in range(1, tags.count())}
    assert honours == {"rgb(230, 235, 242)"}  # --ink-soft, as `.tag--ink` says
    page.goto(f"{site}/enterprises/huawei/")
    assert page.locator(".detail-head .tags .tag--accent").evaluate(background) == (
        "rgb(251, 233, 221)"  # --accent-soft, as on the enterprise's card
    )
    page.problems.assert_none()


def contrast(page, selector):
    """The contrast ratio of an element's text colour with the page's background (WCAG)."""
    return page.locator(selector).evaluate(
        """el => {
          const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const fg = lum(rgb(getComputedStyle(el).color));
          const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
          return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }"""
    )


def test_error_page_number_is_legible(site, open_page):
    """The big 404 was pale green (#e4efe7) on paper with a thin outline: 1.1:1 for axe-core,
    which wants 3:1 for text that large."""
    page = open_page(viewport=DESKTOP)
    missing = f"{site}/no-such-page/"
    page.problems.allow(missing, 404)
    assert page.goto(missing).status == 404
    assert contrast(page, ".error-page__code") >= 3
    page.problems.assert_none()


def characters_per_line(locator):
    """How many characters each line of the element's text holds, top to bottom."""
    return locator.first.evaluate(
        """el => {
          const lines = new Map();
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
              if (!node.data[i].trim()) continue;
              range.setStart(node, i); range.setEnd(node, i + 1);
              const rect = range.getClientRects()[0];
              if (!rect) continue;
              const top = Math.round(rect.top);
              lines.set(top, (lines.get(top) || 0) + 1);
            }
          }
          return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(entry => entry[1]);
        }"""
    )


def test_chinese_text_ends_on_more_than_a_lone_character(site, open_page):
    """A paragraph ended on a line of its own holding “校。”, and a park's name broke as
    “中国（重庆）职业技能公共实 / 训中心” in its card."""
    page = open_page(viewport=PHONE)
    page.goto(f"{site}/partnerships/")
    lines = characters_per_line(page.locator(".partnership__desc"))
    assert len(lines) > 1 and lines[-1] >= 3, lines
    page = open_page(viewport=DESKTOP)
    page.goto(f"{site}/parks/")
    lines = characters_per_line(page.locator(".card__title", has_text="职业技能公共实训中心"))
    assert len(lines) == 2 and abs(lines[0] - lines[1]) <= 2, lines
    page.problems.assert_none()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_compare_alumni_sit_like_the_other_cells(site, open_page, viewport):
    """The alumni list took the table's list indent without bullets, began lower than the
    other cells' text, drew a dashed rule under itself and split “吕一” over two lines (and
    a figure beside it, “97% / 以上”)."""
    page = open_page(viewport=viewport)
    page.goto(f"{site}/compare/?items={WUYI},huawei-ict-xueyuan,{RONGZHI},{WENYI}")
    cell = page.locator("td", has=page.locator(".alumni"))
    assert cell.locator("li:last-child").evaluate(
        "li => getComputedStyle(li).borderBottomStyle"
    ) == ("none")
    # Where each cell's first words begin in the alumni row (left: from the cell's edge).
    starts = cell.evaluate(
        """td => [...td.parentNode.querySelectorAll("td")].map(cell => {
             const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
             let text = walker.nextNode();
             while (text && !text.data.trim()) text = walker.nextNode();
             const range = document.createRange();
             range.selectNodeContents(text);
             const rect = range.getClientRects()[0];
             return [Math.round(rect.left - cell.getBoundingClientRect().left),
                     Math.round(rect.top)];
           })"""
    )
    lefts, tops = {left for left, _ in starts}, {top for _, top in starts}
    assert max(lefts) - min(lefts) <= 1, starts
    if viewport == DESKTOP:  # side by side (on a phone the cells are stacked)
        assert max(tops) - min(tops) <= 1, starts
    names = page.locator(".compare-table td strong")  # alumni, and the figures' values
    assert names.count() >= 5
    for i in range(names.count()):
        assert names.nth(i).evaluate("el => el.getClientRects().length") == 1
    page.problems.assert_none()


@pytest.mark.parametrize("language", ["", "/en"])
def test_article_side_column_starts_level_with_the_title(site, open_page, language):
    """The side column was pushed down a fixed 5.5rem: beside the date under a one-line
    Chinese title, but beside the last line of the three-line English one."""
    page = open_page(viewport=DESKTOP)
    page.goto(f"{site}{language}/news/{ARTICLE}/")
    title, side = box(page, ".article__title"), box(page, ".article-aside h2")
    assert abs(title["top"] - side["top"]) <= 8, (title, side)
    page.problems.assert_none()


def test_compare_on_a_phone_keeps_each_name_on_one_line(site, open_page):
    """On a phone each value is labelled with its institution's name: given two fifths of
    the width, 重庆工商大学融智学院 and 重庆文化艺术职业学院 broke before their last two
    characters."""
    page = open_page(viewport=PHONE)
    page.goto(f"{site}/compare/?items={WUYI},huawei-ict-xueyuan,{RONGZHI},{WENYI}")
    heights = page.evaluate(
        """() => [...document.querySelectorAll(".compare-table tbody tr")][1]
             .querySelectorAll("td").values().map(td => {
               const s = getComputedStyle(td);
               return [td.dataset.label, (td.clientHeight - parseFloat(s.paddingTop)
                       - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight)];
             }).toArray()"""
    )
    assert len(heights) == 4
    assert all(lines < 1.5 for _, lines in heights), heights
    page.problems.assert_none()


def test_article_figure_list_on_a_phone_is_compact(site, open_page):
    """Below the article on a phone its 40 figures were cards, one a row: 3,600 px of them."""
    page = open_page(viewport=PHONE)
    page.goto(f"{site}/news/{ARTICLE}/")
    figures = page.locator(".figure-chips li")
    assert figures.count() >= 40
    assert box(page, ".figure-chips")["height"] / figures.count() <= 60
    page.problems.assert_none()


@pytest.mark.parametrize("language", ["", "/en"])
def test_compare_bar_on_a_phone_keeps_its_buttons_on_one_row(site, open_page, language):
    """Once something is ticked the bar stays at the bottom of a phone's screen: in English
    its two buttons took a row each, and the bar a fifth of the screen."""
    page = open_page(viewport=PHONE)
    page.goto(f"{site}{language}/institutions/")
    page.locator("input[name=items]").first.check()
    tops = page.locator(".compare-bar__actions .button").evaluate_all(
        "buttons => buttons.map(b => Math.round(b.getBoundingClientRect().top))"
    )
    assert len(tops) == 2 and tops[0] == tops[1], tops
    assert box(page, ".compare-bar")["height"] <= 0.17 * PHONE["height"]
    page.problems.assert_none()

"""Every page fits a 1366-pixel screen (the most common office laptop): walked in Chromium for
every persona, no page scrolls sideways and no table hides columns behind a scroll bar of its
own. The pages and their objects are those of tests/test_page_words.py (the resolver's URLs
with the isolation builders' objects), so a page an app adds later is measured too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory
from tests.test_isolation import build_objects
from tests.test_page_words import PERSONAS, _fill, _pages_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1366

# What overflows sideways: the page itself, or an element that scrolls its own content (a wide
# table in an overflow:auto box hides its last columns behind a scroll bar).
MEASURE = """() => {
  const doc = document.documentElement;
  const out = [];
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page ${doc.scrollWidth - doc.clientWidth}px`);
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
      out.push(`${name} ${el.scrollWidth - el.clientWidth}px`);
    }
  }
  return out;
}"""


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 800})
    yield context
    context.close()


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_scrolls_sideways_at_1366_px(world, live_server, wide_page, issued_invoices_cleanup, persona):
    with scopes_disabled():
        officer = MembershipFactory(workspace=world.host, role="payroll_officer",
                                    user=UserFactory(email="paie@example.test")).user
        _fill(world, officer)
    users = {**world.users, "payroll_officer": officer}
    objects = build_objects([world.partner_a, world.partner_b, world.alumni_c, world.host])
    client = login(users[persona])
    wide_page.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                            "url": live_server.url}])
    page = wide_page.new_page()
    found, measured = [], 0
    for url in _pages_of(world, persona, objects):
        response = client.get(url)  # only the pages this persona reads as HTML
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page.goto(live_server.url + url)
        measured += 1
        found += [f"{url}: {problem}" for problem in page.evaluate(MEASURE)]
    assert measured >= 10, f"only {measured} pages measured for {persona}"
    assert not found, f"{len(found)} overflows at {WIDTH} px on {measured} pages:\n" + "\n".join(found)

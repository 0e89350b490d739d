"""Templates render optional catalogue fields only when a record has them."""

from __future__ import annotations

from types import SimpleNamespace

from search_api.pages.templating import make_environment


def render_hindi(record: object) -> str:
    template = make_environment().from_string(
        '{% from "macros.html" import hindi %}<h1>X{{ hindi(record) }}</h1>'
    )
    return template.render(record=record)


def test_hindi_name_is_shown_when_present_and_skipped_when_absent() -> None:
    shown = render_hindi(SimpleNamespace(name="Doctor", hindi_name="चिकित्सक"))
    assert shown == '<h1>X <span class="hindi" lang="hi">चिकित्सक</span></h1>'
    assert render_hindi(SimpleNamespace(name="Doctor")) == "<h1>X</h1>"
    assert render_hindi(SimpleNamespace(name="Doctor", hindi_name=None)) == "<h1>X</h1>"
    assert render_hindi({"name": "Doctor", "hindi_name": "<b>"}) == (
        '<h1>X <span class="hindi" lang="hi">&lt;b&gt;</span></h1>'
    )


def test_every_page_template_compiles() -> None:
    env = make_environment()
    for name in env.list_templates():
        env.get_template(name)

"""The catalogs match the code: every message translated, none stale, placeholders and tags kept."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from bot import catalogs, i18n


def test_every_shipped_catalog_matches_the_code():
    # The guard `make test` also runs: a new _() without translations fails here.
    assert catalogs.check() == []


def test_the_source_messages_are_found():
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogs.extract() if m.id}
    # One per front: command logic, digest header (plural), console, storage's search errors.
    assert "No articles yet." in ids
    assert "<b>📰 News digest</b> · {count} new article" in ids
    assert "Bye." in ids
    assert "a quote is not closed" in ids
    assert "newest articles: /latest [N]" in ids  # N_() in the command table


def _template(*messages) -> Catalog:
    template = Catalog(domain=i18n.DOMAIN)
    for message in messages:
        template.add(message)
    return template


def test_a_missing_and_a_stale_message_are_reported():
    template = _template("Bye.", "Hello")
    catalog = Catalog(locale="nl", domain=i18n.DOMAIN)
    catalog.add("Bye.", "Tot ziens.")
    catalog.add("Gone", "Weg")
    found = catalogs.problems(template, catalog)
    assert any("missing 'Hello'" in line for line in found)
    assert any("stale" in line and "'Gone'" in line for line in found)


@pytest.mark.parametrize(("source", "string", "problem"), [
    ("Bye.", "", "untranslated"),
    ("Time: {zone}", "Tijd: {tijdzone}", "unknown placeholder"),
    ("Time: {zone}", "Tijd", "not used"),
    ("<b>Settings</b>", "Instellingen", "HTML tags differ"),
    ("<b>Settings</b>", "<i>Instellingen</i>", "HTML tags differ"),
])
def test_a_broken_translation_is_reported(source, string, problem):
    catalog = Catalog(locale="nl", domain=i18n.DOMAIN)
    catalog.add(source, string)
    assert any(problem in line for line in catalogs.problems(_template(source), catalog))


def test_fuzzy_and_wrong_plural_counts_are_reported():
    template = Catalog(domain=i18n.DOMAIN)
    template.add(("{count} file", "{count} files"))
    template.add("Bye.")
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    catalog.add(("{count} file", "{count} files"), ("{count} fichier", "{count} fichiers"))
    catalog.add("Bye.", "Au revoir.", flags=["fuzzy"])
    found = catalogs.problems(template, catalog)
    assert any("plural forms instead of 3" in line for line in found)
    assert any("fuzzy" in line for line in found)


def test_update_adds_new_messages_and_drops_gone_ones(tmp_path):
    source = tmp_path / "bot"
    source.mkdir()
    (tmp_path / "storage").mkdir()
    (source / "m.py").write_text('from bot.i18n import _\nX = _("Brand new")\n', encoding="utf-8")
    locale = tmp_path / "locale"
    catalogs.update(tmp_path, locale)
    assert any("untranslated" in line for line in catalogs.check(tmp_path, locale))
    (source / "m.py").write_text('from bot.i18n import _\nX = _("Other")\n', encoding="utf-8")
    catalogs.update(tmp_path, locale)
    ids = {m.id for m in catalogs.read_catalog("nl", locale) if m.id}
    assert ids == {"Other"}


def test_a_message_inside_an_f_string_is_reported(tmp_path):
    package = tmp_path / "bot"
    package.mkdir()
    (package / "x.py").write_text('from bot.i18n import _\n'
                                  'ok = _("Bye.")\n'
                                  'hidden = f"{_(\'Hello\')}: {1}"\n'
                                  'marked_elsewhere = f"{_(text)}"\n', encoding="utf-8")
    (tmp_path / "storage").mkdir()
    assert catalogs.hidden_messages(tmp_path) == [
        "bot/x.py:3: _() inside an f-string is not extracted; mark the message outside it"]

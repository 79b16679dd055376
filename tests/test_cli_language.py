"""The `newsbot` command and the console in the terminal's language (NEWSBOT_LANGUAGE or LANG)."""

from __future__ import annotations

import pytest

from bot import i18n
from tests.test_cli import drop, newsbot  # noqa: F401  (drop is a fixture)

LANGUAGES = ("en", "nl", "fr", "de")
LOCALES = {"en": "en_GB.UTF-8", "nl": "nl_BE.UTF-8", "fr": "fr_BE.UTF-8", "de": "de_BE.UTF-8"}


def in_language(language: str, message: str, **values) -> str:
    with i18n.using(language):
        return i18n._(message).format(**values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_cli_answers_follow_lang(tmp_path, drop, language):  # noqa: F811
    env = {"LANG": LOCALES[language]}
    ingest = newsbot(tmp_path, "ingest", **env)
    assert ingest.stdout.startswith(in_language(language, "Ingest: {summary}.", summary="")[:5])
    with i18n.using(language):
        assert i18n._("{count} new").format(count=2) in ingest.stdout
    nothing = newsbot(tmp_path, "search", "zzyzx", **env)
    assert nothing.stdout.strip() == in_language(
        language, "Nothing found for <b>{query}</b>.", query="zzyzx").replace(
            "<b>", "").replace("</b>", "")
    refused = newsbot(tmp_path, "backup", str(tmp_path), **env)
    assert refused.returncode == 2
    assert in_language(language, "{target} is a folder: give a file name, e.g. {example}",
                       target=tmp_path, example=tmp_path / "newsbot-backup.db") in refused.stderr


def test_newsbot_language_wins_over_lang(tmp_path, drop):  # noqa: F811
    newsbot(tmp_path, "ingest")
    result = newsbot(tmp_path, "latest", "-n", "30", LANG="fr_BE.UTF-8", NEWSBOT_LANGUAGE="de")
    assert result.returncode == 2
    assert "So geht's: /latest [N], wobei N von 1 bis 20 reicht" in result.stderr


def test_the_consoles_language_choice_stays_in_the_console(tmp_path, drop):  # noqa: F811
    chosen = newsbot(tmp_path, "run", stdin="/language nl\n/quit\n",
                     NEWSBOT_ARTICLES_DIR=str(drop))
    assert "Vanaf nu schrijf ik in het Nederlands." in chosen.stdout, chosen.stdout
    english = newsbot(tmp_path, "latest", "-n", "1", NEWSBOT_LANGUAGE="en")
    assert english.stdout.startswith("Latest news (1–1)"), english.stdout
    german = newsbot(tmp_path, "latest", "-n", "30", LANG="de_BE.UTF-8")
    assert "So geht's: /latest [N], wobei N von 1 bis 20 reicht" in german.stderr
    again = newsbot(tmp_path, "run", stdin="/latest 1\n/quit\n", NEWSBOT_LANGUAGE="en",
                    NEWSBOT_ARTICLES_DIR=str(drop))
    assert "Laatste nieuws (1–1)" in again.stdout  # the console keeps its own choice


def test_console_speaks_dutch(tmp_path, drop):  # noqa: F811
    result = newsbot(tmp_path, "run", stdin="/latest 1\n/quit\n", LANG="nl_BE.UTF-8",
                     NEWSBOT_ARTICLES_DIR=str(drop))
    assert result.returncode == 0, result.stderr
    assert "Consolemodus (geen TELEGRAM_BOT_TOKEN)" in result.stdout
    assert "Laatste nieuws (1–1)" in result.stdout
    assert result.stdout.rstrip().endswith("Tot ziens.")


def test_help_texts_follow_the_locale(tmp_path):
    result = newsbot(tmp_path, "latest", "--help", LANG="nl_BE.UTF-8")
    assert result.returncode == 0
    assert "artikels per pagina (1-20)" in result.stdout
    assert "articles per page" not in result.stdout


def test_a_mistyped_command_is_one_line_in_the_locales_language(tmp_path):
    result = newsbot(tmp_path, "lates", LANG="nl_BE.UTF-8")
    assert result.returncode == 2
    assert result.stderr == ("newsbot: onbekend commando 'lates'; bedoelde je latest? "
                             "(zie newsbot --help)\n")

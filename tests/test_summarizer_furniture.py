"""Page furniture in German, Dutch, French and English is recognised, and never summarized.

The page fixtures under tests/data/summarizer/ are article bodies as newsbot's readers extract
them from real pages of trafilatura's HTML benchmark (title on the first line); each comes with
the furniture sentences that used to be picked, or that the page holds.
"""

import os
import subprocess
import sys

import pytest

from summarizer import split_sentences, summarize
from summarizer.furniture import is_furniture
from tests.helpers import DATA as SAMPLES
from tests.helpers import REPO

DATA = SAMPLES / "summarizer"


@pytest.mark.parametrize(
    "sentence",
    [
        # German
        "Bild: dpa",
        "(Bild: Dieter Stork)",
        "Foto: Imago",
        "Quelle:",
        "Lesen Sie auch: Was die Reform für Mieter bedeutet",
        "Mehr zum Thema",
        "Siehe Kasten: Die wichtigsten Zahlen im Überblick",
        "Mit top+ weiterlesen",
        "Anzeige",
        "Dieser Beitrag enthält Werbung für MYMARINI.",
        "Um zu verstehen, wie unsere Webseite genutzt wird, nutzen wir Cookies.",
        "Bitte aktiviere Javascript und Cookies, damit alle Bereiche der Homepage verfügbar sind.",
        "Hinweis: Das bestehende Passwort muss mindestens 8 Zeichen lang sein.",
        "Du erhältst eine E-Mail von uns mit Infos, wie du dein Passwort zurücksetzen kannst.",
        "Du kannst jetzt dein neues Passwort festlegen.",
        "Dein Browser ist leider veraltet.",
        "Hinweis: Die folgenden Bilder und Texte unterliegen einem Copyright und dürfen nicht "
        "kopiert werden!",
        "© 2023 Stadtwerke Ahlen. Alle Rechte vorbehalten.",
        "Außerdem geben wir Informationen zur Nutzung unserer Website an unsere Partner für "
        "soziale Medien, Werbung und Analysen weiter.",
        "Hinweis: Sie verwenden einen Browser, der für moderne Websites kaum zu gebrauchen ist.",
        "Rentenpolitik | Blog | Mailaktion Bundestag | Alles klar?",
        "20:15 Uhr | Tatort: Das Mädchen im Moor (ARD)",
        "13 Besucher sind online (8 Besucher halten sich im Bereich News auf.)",
        "27.01.2022MineralölINFO November 2021 (Mineralölabsatz)",
        "Von Jens Müller",
        "danach 122,40 EUR / Jahr",
        "Login oderneu registrieren?",
        # Dutch
        "Videospeler inladen...",
        "BEKIJK - De beelden van de brand in Gent",
        "Lees ook: Nieuwe regels voor parkeren in Antwerpen",
        "Zie bijlage voor de volledige lijst van gemeenten.",
        "Inloggen of registreren",
        "Foto: Belga",
        "Beeld: VRT",
        "Wij gebruiken cookies om de website goed te laten werken.",
        "U gebruikt een browser die deze website niet goed kan weergeven.",
        "© VRT 2024 - Alle rechten voorbehouden.",
        "Ook delen we informatie over uw gebruik van onze site met onze partners voor social "
        "media, adverteren en analyse.",
        "Wachtwoord vergeten? Je krijgt een e-mail om het te herstellen.",
        "Door Jan Peeters",
        # French
        "Se connecter ou s'inscrire",
        "Photo : AFP",
        "Lire aussi : la réforme des retraites expliquée",
        "À lire aussi",
        "Voir en annexe : Place des français parmi les « publiants » (tableau récapitulatif )",
        "Crédit photo : Reuters",
        "Nous utilisons des cookies pour améliorer votre expérience sur notre site.",
        "Votre navigateur est obsolète.",
        "Vous utilisez un navigateur qui ne permet pas d'afficher ce site.",
        "© Le Soir 2024. Tous droits réservés.",
        "Nous partageons également des informations sur l'utilisation de notre site avec nos "
        "partenaires de médias sociaux, de publicité et d'analyse.",
        "Mot de passe oublié ? Un e-mail vous sera envoyé.",
        "Choisissez votre nouveau mot de passe.",
        "Publié le 12 mars 2021 à 10h30",
        "Par Marie Dupont",
        # English
        "Sign in or register",
        "By . Daily Mail Reporter .",
        "Daily Mail Reporter .",
        "PUBLISHED: 12:00 EST, 1 May 2013 | UPDATED: 13:00 EST, 1 May 2013",
        "Read more: How the deal was done",
        "See the box below for the full results.",
        "You are using a browser that this site no longer supports.",
        "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "We also share information about your use of our site with our social media, "
        "advertising and analytics partners.",
        "The party had already reached the 100-seat mark. pic.twitter.com/tXFYOG4YdN",
    ],
)
def test_furniture_is_recognised_in_every_language(sentence):
    assert is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Werbung für Tabak ist in Deutschland weitgehend verboten.",
        "Der Minister bestätigte per E-Mail seinen Rücktritt.",
        "Das Spiel beginnt um 15:30 Uhr in Dortmund.",
        "Die Gebühr steigt ab Januar um 50 Euro pro Jahr für alle Haushalte in der Stadt Köln.",
        "Von Montag an gelten neue Regeln.",
        "Frankfurt/Main (dpa) - Für einen Roman hat Frank Witzel den Buchpreis erhalten.",
        "De politie zoekt getuigen van het ongeval in Gent.",
        "Door de storm vielen bomen om.",
        "Par ailleurs, rien ne change.",
        "Voir Naples et mourir, disait-on autrefois.",
        "Le site de l'usine sera fermé en 2024.",
        "By 2010, the firm expects to nearly double its sales.",
        "The firm said it was talking to Reuters about a deal.",
        "Sie verwenden Browser-Erweiterungen, sagt die Studie, um Werbung zu blocken.",
        "Die Koalitionspartner wollen soziale Medien stärker regulieren.",
        "Das EU-Parlament beschloss am Dienstag die umstrittene Copyright-Reform.",
        "Because the family does not own the copyright to the music, the tapes cannot be "
        "copied for commercial gain.",
        "Users could not log in or register for hours.",
    ],
)
def test_news_that_looks_like_furniture_is_news(sentence):
    assert not is_furniture(sentence)


PAGES = {
    "zdf.de.corona.txt": [
        "Um zu verstehen, wie unsere Webseite genutzt wird und um dir ein interessenbezogenes "
        "Angebot präsentieren zu können, nutzen wir Cookies und andere Techniken.",
        "Hinweis: Das bestehende Passwort muss mindestens 8 Zeichen lang sein, einen "
        "Großbuchstaben, eine Ziffer und ein Sonderzeichen enthalten.",
        "Du erhältst in Kürze eine E-Mail von uns mit Infos, wie du dein Passwort zurücksetzen "
        "kannst.",
        "Bitte bestätige den Link in dieser E-Mail innerhalb von 24 Stunden, um deine "
        "Registrierung abzuschließen.",
    ],
    "bayrische-bembel.de.504.txt": [
        "Bitte aktiviere Javascript und Cookies, damit alle Bereiche der Homepage verfügbar sind.",
        "13 Besucher sind online (8 Besucher halten sich im Bereich News auf.)",
    ],
    "gdp.de-Wertschaetzung.txt": [
        "Auf unserer Website nutzen wir neben technischen erforderlichen Cookies auch optionale "
        "weitergehende Cookies zur statistischen Analyse der Nutzung unserer Website und Social "
        "Media, um Ihnen den bestmöglichen Service zu bieten und das Nutzererlebnis unserer Seite "
        "stetig zu verbessern.",
    ],
    "guenter-pilger.de.mailaktion.txt": [
        "Rentenpolitik | Blog | Mailaktion Bundestag | Alles klar?",
    ],
}


def _page(name: str) -> tuple[str, str]:
    """The title and body of a page fixture."""
    title, _, body = (DATA / name).read_text(encoding="utf-8").partition("\n\n")
    return title, body


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_german_pages_are_summarized_without_their_furniture(name):
    title, body = _page(name)
    sentences = split_sentences(body, "de")
    for furniture in PAGES[name]:
        assert furniture in sentences  # the fixture still holds it, so the check means something
    summary = summarize(body, "de", sentences=5, title=title)
    assert len(summary) == 5
    assert not set(summary) & set(PAGES[name])


def test_a_page_of_nothing_but_furniture_has_no_summary():
    title, body = _page("homify.de-Tischdecke.txt")
    assert "Dein Browser ist leider veraltet." in split_sentences(body, "de")
    assert summarize(body, "de", sentences=5, title=title) == []


def test_dutch_video_widget_glued_to_a_sentence_is_dropped():
    text = "Videospeler inladen...De stad Gent voert een parkeerregeling in. Bewoners zijn boos."
    assert split_sentences(text, "nl") == [
        "De stad Gent voert een parkeerregeling in.",
        "Bewoners zijn boos.",
    ]


def _furniture_check(tmp_path, shared) -> subprocess.CompletedProcess:
    """Run bench/furniture.py --quick with NEWSBOT_SHARED pointing at `shared`."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSBOT_SHARED": str(shared)}
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "furniture.py"), "--quick", "--no-write"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False,
    )


def test_furniture_check_runs_on_the_sample_articles(tmp_path):
    done = _furniture_check(tmp_path, SAMPLES)
    assert done.returncode == 0, done.stderr[-3000:]
    # the German dpa ninjs, heise.de and arbeitsagentur.de samples were summarized
    assert "de: 3" in done.stdout
    assert "Furniture-looking sentences chosen: **0**" in done.stdout


def test_furniture_check_without_the_shared_data_says_where_to_get_it(tmp_path):
    done = _furniture_check(tmp_path, tmp_path / "nowhere")
    assert done.returncode == 1
    assert "NEWSBOT_SHARED" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "Cristina Kirchner y Alberto Fernández, el 1 de marzo, en el Congreso (Foto: Natacha "
        "Pisarenko/Pool via REUTERS).",
        "In Südkorea zeigt eine App, wo Infizierte waren (Foto: picture alliance/Kyodo)",
        "Le ministre lors de sa visite à Lyon (Crédit photo : AFP).",
        "The minister arrives at Downing Street (Photo by Jane Doe/Getty Images)",
        "Von links nach rechts: Mathias Malischewski, Project Manager, Prof. Dr. Jan Wenske",
        "Abb.: Collage aus Internetbild und Wake News",
        "Abbildung: Statistisches Bundesamt",
        "From left to right: John Smith, Jane Doe and the mayor",
        "De gauche à droite : Marie Dupont et Jean Martin",
        "Van links naar rechts: Jan Peeters en Els Janssens",
    ],
)
def test_photo_captions_are_furniture(sentence):
    assert is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Von links nach rechts zieht sich ein Riss durch die Fassade.",
        "Der Minister (links) sprach mit dem Bürgermeister.",
        "Police released a photo of the suspect (pictured).",
    ],
)
def test_sentences_about_photos_or_sides_are_news(sentence):
    assert not is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "To view the full story, please subscribe to The Haitian Times.",
        "To continue reading this article, log in or subscribe.",
        "Um den ganzen Artikel zu lesen, schließen Sie ein Abo ab.",
        "Pour lire la suite de cet article, abonnez-vous.",
        "Om dit artikel verder te lezen, moet je inloggen.",
    ],
)
def test_paywall_notices_are_furniture(sentence):
    assert is_furniture(sentence)


def test_news_about_reading_is_news():
    assert not is_furniture("To read the report, investigators needed a court order.")
    assert not is_furniture("Um den Text zu verstehen, muss man die Vorgeschichte kennen.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Dieser Artikel erschien zuerst in der EMOTION 10/22.",
        "Doris Schuppe • Dieser Beitrag Solopreneur Social Media: LinkedIn erschien zuerst im Blog "
        "DoSchu.",
        "Dieser Artikel ist ursprünglich am 27. Februar 2017 erschienen.",
        "This article was originally published on The Conversation.",
        "Cet article a été publié initialement sur le blog de l'auteur.",
        "Dit artikel verscheen eerder in De Standaard.",
        "Article mis à jour le 7 janvier 2020.",
        "Artikel aktualisiert am 3. Mai 2023",
        "Story published on 12 May 2021",
    ],
)
def test_notes_on_where_and_when_the_article_appeared_are_furniture(sentence):
    assert is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The novel was first published in 1950 and sold a million copies.",
        "Dieser Roman erschien zuerst 1927 bei Fischer.",
        "Le livre est paru en 2019 chez Gallimard.",
        "The article published on Monday drew sharp criticism from the ministry.",
    ],
)
def test_news_on_publications_is_news(sentence):
    assert not is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Dieser Artikel enthält Affiliate-Links und/oder werbende Inhalte.",
        "Dieser Beitrag kann Affiliate-Links enthalten.",
        "This post may contain affiliate links.",
        "Cet article contient des liens affiliés.",
        "Dit artikel bevat affiliate links.",
    ],
)
def test_affiliate_and_advertising_disclosures_are_furniture(sentence):
    assert is_furniture(sentence)


def test_an_article_holding_something_else_is_news():
    assert not is_furniture("Dieser Artikel enthält Spoiler zum Finale der Serie.")
    assert not is_furniture("This report contains affiliate links to the ministry's records.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Sent from my iPhone",
        "Von meinem iPhone gesendet",
        "PocketPC.ch App von meinem HD7 T9292 aus geschrieben.",
        "Envoyé de mon iPad",
        "Verzonden vanaf mijn Samsung Galaxy",
    ],
)
def test_mail_and_forum_signatures_are_furniture(sentence):
    assert is_furniture(sentence)


def test_news_sent_from_somewhere_is_news():
    assert not is_furniture("Mourinho was sent from the touchline for taunting Liverpool fans.")
    assert not is_furniture("Der Brief wurde von meinem Anwalt aus an das Gericht geschickt und "
                            "dort am Montag geöffnet, sagte der Kläger vor der Presse in Köln.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Wir bitten um einen Moment Geduld, bis die Aktivierung abgeschlossen ist.",
        "Please wait while the video is loading.",
        "Veuillez patienter pendant le chargement de la page.",
        "Even geduld, de video wordt geladen.",
    ],
)
def test_loading_notices_are_furniture(sentence):
    assert is_furniture(sentence)


def test_news_about_patience_is_news():
    assert not is_furniture("Les Bleus devront encore patienter jusqu'en novembre.")
    assert not is_furniture("Die Behörden bitten um Geduld, bis die Ermittlungen abgeschlossen "
                            "sind.")


def test_the_headline_printed_again_in_the_body_is_no_summary_sentence():
    title = 'Die Zukunft der Arbeit "Wir dekorieren auf der Titanic die Liegestühle um"'
    body = ('Die Zukunft der Arbeit"Wir dekorieren auf der Titanic die Liegestühle um"\n\n'
            "Die Digitalisierung der Arbeitswelt werde Millionen Arbeitsplätze kosten. Auch in "
            "Zukunft würden Menschen arbeiten. Das sagt der Forscher. Er ist sicher.")
    for count in (3, 5):  # chosen among candidates, and all candidates taken
        summary = summarize(body, "de", sentences=count, title=title)
        assert summary and not any("Titanic" in sentence for sentence in summary)


@pytest.mark.parametrize(
    ("text", "credit", "after"),
    [
        ("Le littoral est surveillé. Noyades : pourquoi tant de morts ?par franceinfoSur le "
         "littoral du Sud-Ouest, les secours sont mobilisés.",
         "Noyades : pourquoi tant de morts ?par franceinfo",
         "Sur le littoral du Sud-Ouest, les secours sont mobilisés."),
        ("Ils étaient dans les Alpes. Des militants condamnés à de la prison fermepar euronews (en "
         'français)"On s\'est serré la main !", raconte l\'un d\'eux.',
         "Des militants condamnés à de la prison fermepar euronews (en français)",
         '"On s\'est serré la main !", raconte l\'un d\'eux.'),
        ("Le débat reprend. Faut-il interdire les fêtes de famille ?par BFMTVAlors que le virus "
         "circule, le gouvernement change de ton.",
         "Faut-il interdire les fêtes de famille ?par BFMTV",
         "Alors que le virus circule, le gouvernement change de ton."),
    ],
)
def test_an_embedded_videos_title_and_credit_stand_apart_and_are_furniture(text, credit, after):
    # a French page's video player: the title, "par" glued to it and the channel, glued on
    sentences = split_sentences(text, "fr")
    assert sentences[-2:] == [credit, after]
    assert is_furniture(credit) and not is_furniture(after)
    assert credit not in summarize(text, "fr", sentences=1)


@pytest.mark.parametrize(
    "sentence",
    [
        "Le colis a été envoyé par la poste.",
        "Il a été battu par Macron au second tour.",
        "Le film de Gaspar Noé a été sifflé par le public.",
        "The team's subpar performance worried fans.",
    ],
)
def test_a_sentence_with_par_is_news(sentence):
    assert not is_furniture(sentence)
    assert split_sentences(sentence, "fr") == [sentence]

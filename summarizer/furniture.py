"""Page furniture that survives scraping, in English, German, Dutch and French.

Such a sentence is never summary material: bylines and time stamps, the article's note on where
it first appeared, photo credits ("Bild: dpa", "Foto: Belga", "Photo : AFP", "© Nordex") and
captions ("… (Foto: Reuters).", "Von links nach rechts: …"), "read also" boxes and widgets
("Lesen Sie auch", "Lees ook", "BEKIJK -", "Lire aussi"), cookie, browser, password, paywall and
loading notices, advertising labels, breadcrumbs and listings, embedded tweets, mail signatures.
The rules hold for every language at once: a German page quotes English widgets and the other
way round, and the language of a page is a guess.
The anchored pattern is one cheap `match`; the others are searched only in sentences that
contain one of their key words, found by a plain substring test.
"""

from __future__ import annotations

import re

_ANCHORED = re.compile(
    r"^\W*(?:"
    # bylines, time stamps, links and boxes (English)
    r"by\s*\.|published\s*:|updated\s*:|last\s+updated\b|click\s+here\b|follow\s+@"
    r"|read\s+more\b|related\s*:|advertisement\b|(?:photo|picture|image|video)\s*:"
    r"|(?:read|see)\s+also\b|also\s+read\b|sign\s+up\b|subscribe\s+(?:to|now)\b"
    r"|click\s+(?:on|the)\b|klicke\b|klicken\s+sie\b|klik\s+(?:op|hier)\b|cliquez\b"
    # German
    r"|(?:bild|bilder|foto|fotos|quelle|grafik|video|abb\.|abbildung)\s*:|lesen\s+sie\s+(?:auch|mehr|hier)\b"
    r"|mehr\s+zum\s+thema\b|weiterlesen\b|mehr\s+lesen\b|zum\s+artikel\b"
    r"|hinweis\s*:\s*(?:das|dein|ihr)\s"
    # a disclosure of advertising or affiliate links: "Dieser Artikel enthält Affiliate-Links und/
    # oder werbende Inhalte.", "This post may contain affiliate links.", "Cet article contient
    # des liens affiliés."
    r"|(?:dieser\s+(?:beitrag|artikel|post|text)|this\s+(?:post|article|page|story|video)"
    r"|cet(?:te)?\s+(?:article|page|vidéo)|dit\s+(?:artikel|bericht|stuk))"
    r"\s+(?:enthält|kann|may|might|contains?|contient|peut|bevat|kan)\s+(?:\S+\s+){0,3}?"
    r"(?:werbung|werbende|anzeigen|affiliate|sponsored|advertising|paid\s+links|liens\s+(?:affiliés"
    r"|d['’]affiliation|sponsorisés|commerciaux)|publicité|reclame|gesponsorde|partnerlinks)"
    r"|jetzt\s+(?:anmelden|registrieren|abonnieren|einloggen)\b"
    r"|(?:registrieren|melden)\s+sie\s+sich\b|veröffentlicht\s*(?:am)?\s*:|aktualisiert\s*:"
    # Dutch
    r"|(?:beeld|bron)\s*:|lees\s+(?:ook|meer|verder)\b|bekijk\s*(?:ook\s*)?[-–:]"
    r"|videospeler\b|meer\s+nieuws\b|abonneer\b|schrijf\s+je\s+in\b"
    # French
    r"|(?:photo|crédits?(?:\s+photo)?|source)\s*:|(?:à\s+)?lire\s+(?:aussi|également|la\s+suite)\b"
    r"|voir\s+aussi\b|abonnez-vous\b|inscrivez-vous\b|publié\s+le\b"
    # a pointer to another part of the page: "Voir en annexe : …", "Siehe Kasten", "Zie bijlage"
    r"|voir\s+(?:en\s+annexe|l['’](?:annexe|encadré))\b|siehe\s+(?:auch|anhang|kasten)\b"
    r"|zie\s+(?:ook|bijlage|kader)\b|see\s+(?:the\s+)?(?:appendix|annex|box)\b"
    r"|mis\s+à\s+jour\s+le\b"
    # the article's own time stamp: "Article mis à jour le 7 janvier 2020", "Artikel aktualisiert
    # am 3. Mai", "Story published on 12 May 2021"
    r"|(?:article|artikel|beitrag|story|post|artículo)\s+(?:mis\s+à\s+jour|publié|aktualisiert"
    r"|veröffentlicht|(?:last\s+)?updated|published|bijgewerkt|gepubliceerd|actualizado|publicado)"
    r"\s*(?:le|am|on|op|el|at|:)?\s*\d"
    # a paywall's notice: "To view the full story, please subscribe…", "Um den ganzen Artikel zu
    # lesen, …", "Pour lire la suite de cet article, …", "Om dit artikel verder te lezen, …"
    r"|to\s+(?:view|read|continue\s+reading|access)\s+(?:the\s+(?:full|entire|rest\s+of\s+the)"
    r"|this(?:\s+full)?)\s+(?:story|article)\b"
    r"|um\s+(?:den|diesen)\s+(?:ganzen\s+|vollständigen\s+|kompletten\s+)?(?:artikel|beitrag|text)"
    r"\s+(?:weiter\s*|vollständig\s+)?zu\s+lesen\b"
    r"|pour\s+lire\s+(?:la\s+suite|l['’]intégralité)\s+de\s+cet\s+article\b"
    r"|om\s+(?:dit|het\s+volledige)\s+artikel\s+(?:verder\s+|volledig\s+)?te\s+lezen\b"
    r"|para\s+(?:leer|ver)\s+(?:la\s+nota|el\s+artículo|la\s+noticia)\s+complet[ao]\b"
    # a photo caption naming who stands where: "Von links nach rechts: …", "From left: …"
    r"|(?:von\s+links(?:\s+nach\s+rechts)?|v\.\s?l\.(?:\s?n\.\s?r\.)?|from\s+left(?:\s+to\s+right)?"
    r"|de\s+gauche\s+à\s+droite|van\s+links\s+naar\s+rechts|v\.\s?l\.\s?n\.\s?r\.)\s*:"
    r")"
    r"|^\W*(?:https?://|www\.)\S*\W*$"  # a bare link
    r"|^\W*©"  # a credit or copyright line
    r"|^\W*\d{1,2}\.\d{1,2}\.\d{2,4}(?:[^\s\d]|\s*$)",  # a date glued to a title, or alone
    re.IGNORECASE,
)
_TIME_STAMP = re.compile(r"\b(?:published|updated)\s*:\s*\d", re.IGNORECASE)
# A short line that is only a byline, a credit or a label: "By Jane Smith", "(Getty Images)",
# "Daily Mail Reporter", "Mit top+ weiterlesen", "Anzeige", "Von Jens Müller".
_CREDIT = re.compile(
    r"^\W*by\s+\S"
    r"|(?:getty(?:\s+images)?|reuters|associated\s+press|afp|epa|pa\s+wire|dpa|belga|anp"
    r"|imago|reporter|correspondent|weiterlesen|lees\s+meer|lire\s+la\s+suite)\W*$"
    r"|^\W*(?:anzeige|werbung|advertentie|gesponsord|publicité|advertisement|sponsored"
    r"|(?:jetzt\s+)?(?:anmelden|registrieren|abonnieren|einloggen)|inloggen|se\s+connecter"
    # An account prompt: "Login oder neu registrieren?", "Sign in or register".
    r"|(?:log\s*in|sign\s+in|anmelden|einloggen|inloggen|aanmelden|se\s+connecter|connexion)"
    r"\s*(?:oder|or|of|ou|/)\s*(?:neu\s*)?(?:registrieren|register|sign\s+up|registreren"
    r"|s['’]inscrire|inscription|create\s+an\s+account))\W*$",
    re.IGNORECASE,
)
# Bylines in the other languages: the word for "by" and nothing but capitalised names.
_BYLINE = re.compile(r"^\W*(?:Von|Door|Par)\s+[A-ZÀ-Þ][\w'-]+(?:\s+(?:van\s+|de\s+)?"
                     r"[A-ZÀ-Þ][\w'-]+)*\W*$")
_CREDIT_MAX_WORDS = 6
_ANYTHING = re.compile("")  # the key phrase alone says it
# A consent banner's second sentence, which names no cookie: "…geben wir Informationen zur
# Nutzung unserer Website an unsere Partner für soziale Medien, Werbung und Analysen weiter."
# Anchored at line starts: unanchored, `search` would retry both look-aheads from every
# character, quadratic in the sentence's length (a third of the furniture rules' time on news).
_SHARED_WITH_PARTNERS = re.compile(
    r"^(?=.*\b(?:soziale\s+medien|social\s+media|sociale\s+media|médias\s+sociaux"
    r"|réseaux\s+sociaux))(?=.*\b(?:analys|analyt))", re.IGNORECASE | re.MULTILINE)
# Where the article first appeared: "Dieser Artikel erschien zuerst in der EMOTION 10/22.", "…
# • Dieser Beitrag … erschien zuerst im Blog DoSchu.", "This article was originally published on
# The Conversation.", "Cet article a été publié initialement sur…", "Dit artikel verscheen eerder
# in…": the page's note on itself, not news (news on a book "first published in 1950" is not one).
_FIRST_APPEARED = re.compile(
    r"\b(?:this|the\s+above)\s+(?:article|post|story|piece|column|essay)\s+(?:was\s+|has\s+been\s+)?"
    r"(?:first|originally)\s+(?:appeared|published|ran|posted)"
    r"|\bdiese[rs]?\s+(?:beitrag|artikel|text|interview|gastbeitrag|kommentar)\b.{0,80}?\b(?:erschien|ist)"
    r"\s+(?:zuerst|ursprünglich|erstmals)\b"
    r"|\b(?:cet|le\s+présent)\s+(?:article|billet|texte)\s+(?:a\s+été\s+|est\s+)?"
    r"(?:initialement\s+|d['’]abord\s+|originellement\s+)?(?:publié|paru)\s+(?:initialement|d['’]abord"
    r"|à\s+l['’]origine|originellement|pour\s+la\s+première\s+fois|sur|dans)\b"
    r"|\b(?:dit|het)\s+(?:artikel|stuk|bericht)\s+(?:verscheen|werd)\s+(?:eerder|eerst|oorspronkelijk)",
    re.IGNORECASE)
# A widget asking its reader to wait while it loads or activates: "Wir bitten um einen Moment
# Geduld, bis die Aktivierung abgeschlossen ist.", "Please wait while the video loads."
_PLEASE_WAIT = re.compile(
    r"\b(?:bitten\s+(?:sie\s+)?um\s+(?:einen\s+moment\s+|etwas\s+)?geduld"
    r"|bitte\s+(?:haben\s+sie\s+)?(?:einen\s+moment\s+)?geduld|please\s+(?:wait|be\s+patient)"
    r"|veuillez\s+patienter|merci\s+de\s+patienter|(?:even|een\s+moment)\s+geduld)\b"
    r"(?=.*\b(?:aktivierung|aktiviert|geladen|laden|lädt|loading|loads|load|activation|activated"
    r"|chargement|charge|activering|geactiveerd))", re.IGNORECASE)
# Notices of the site itself, whatever the page is about: each needs its key word (a plain
# substring test of the lower-cased sentence) and a companion word that such notices use.
_NOTICES = (
    ("cookie", re.compile(
        r"\b(?:website|webseite|webpage|site|browser|zustimm|einwillig|akzeptier|accept|consent"
        r"|toestemming|utilis|nutzen|verwenden|gebruik|datenschutz|privacy|confidentialit"
        r"|einstellung|instelling|paramètre|settings|tracking)", re.IGNORECASE)),
    # A browser notice: "outdated", or the page telling its reader which browser they use.
    ("browser", re.compile(
        r"\b(?:veraltet|neuere|aktualisier|herunter|unterstützt|outdated|update|upgrade"
        r"|verouderd|ondersteund|nieuwere)"
        r"|\b(?:sie\s+(?:verwenden|nutzen)|you(?:'re|\s+are)\s+using|(?:u|je)\s+gebruikt)"
        r"\s+(?:einen|den|an?|the|een|de)\s+(?:\w+\s+)?browser(?![\w-])", re.IGNORECASE)),
    ("navigateur", re.compile(r"\b(?:obsolète|à\s+jour|récent|pris\s+en\s+charge)"
                              r"|\bvous\s+utilisez\s+(?:un|le)\s+(?:\w+\s+)?navigateur(?![\w-])",
                              re.IGNORECASE)),
    ("javascript", re.compile(r"\b(?:aktivier|einschalten|enable|activ|inschakel|aanzetten)",
                              re.IGNORECASE)),
    # A site's copyright notice: "Alle Rechte vorbehalten", "Die folgenden Bilder und Texte
    # unterliegen einem Copyright…": about this page's own content, which news on copyright
    # ("cannot be copied for commercial gain") is not.
    ("copyright", re.compile(
        r"\b(?:die\s+folgenden|diese[rsn]?\s+(?:seite|website|webseite|texte?|bilder|inhalte?)"
        r"|this\s+(?:site|page|website|material)|the\s+following|cette\s+page|ce\s+site"
        r"|deze\s+(?:site|pagina|website))\b", re.IGNORECASE)),
    ("rights reserved", _ANYTHING),
    ("rechte vorbehalten", _ANYTHING),
    ("droits réservés", _ANYTHING),
    ("rechten voorbehouden", _ANYTHING),
    ("partner", _SHARED_WITH_PARTNERS),
    ("partenaires", _SHARED_WITH_PARTNERS),
    # ... and the account form speaking to its reader: "Du kannst jetzt dein neues Passwort
    # festlegen.", "Choose your new password"
    ("passw", re.compile(r"\b(?:zurücksetzen|vergessen|mindestens|reset|forgot|at\s+least"
                         r"|e-mail|(?:dein|ihr|euer|your)\s+(?:neues|new)\s+passw)",
                         re.IGNORECASE)),
    ("wachtwoord", re.compile(r"\b(?:vergeten|minstens|herstel|e-mail"
                              r"|(?:je|uw)\s+nieuwe?\s+wachtwoord)", re.IGNORECASE)),
    ("mot de passe", re.compile(r"\b(?:oublié|réinitialis|au\s+moins|e-mail"
                                r"|(?:votre|ton)\s+nouveau\s+mot\s+de\s+passe)", re.IGNORECASE)),
    ("mail", re.compile(r"\b(?:link|registrierung|registration|registratie|inscription"
                        r"|newsletter|nieuwsbrief)\b", re.IGNORECASE)),  # "confirm the link…"
    ("appeared", _FIRST_APPEARED),
    ("published", _FIRST_APPEARED),
    ("erschien", _FIRST_APPEARED),
    ("publié", _FIRST_APPEARED),
    ("paru", _FIRST_APPEARED),
    ("verscheen", _FIRST_APPEARED),
    ("geduld", _PLEASE_WAIT),
    ("please", _PLEASE_WAIT),
    ("patienter", _PLEASE_WAIT),
    ("pic.twitter.com", re.compile(r"pic\.twitter\.com/", re.IGNORECASE)),  # an embedded tweet
    ("|", re.compile(r"\|.*\|")),  # a breadcrumb or a menu: "Politik | Blog | Aktion"
    ("online", re.compile(r"^\W*\d+\s+(?:besucher|gäste|mitglieder|users?|visitors?|members?"
                          r"|bezoekers?|leden|visiteurs?|membres?)\b.*\bonline\b",
                          re.IGNORECASE)),  # a forum's "13 Besucher sind online"
)
# A photo caption ends in its credit: "Cristina Kirchner y Alberto Fernández, en el Congreso
# (Foto: Natacha Pisarenko/Pool via REUTERS).", "… positiv getestet wurden (Foto: picture
# alliance/Kyodo)", "(Photo by Jane Doe/Getty Images)". Searched in the sentence's tail only.
_TRAILING_CREDIT = re.compile(
    r"\((?:(?:fotos?|photos?|bild(?:er|quelle)?|image|picture|beeld|imagen|crédits?(?:\s+photo)?"
    r"|(?:photo\s+)?credit)\s*:|(?:photo|foto|image|picture|bild)\s+(?:by|von|de|door|par)\s)"
    r"[^()]{1,120}\)\W*$", re.IGNORECASE)
_TRAILING_CREDIT_CHARS = 160
# A subscription offer, a short line with a price per period: "danach 122,40 EUR / Jahr".
_OFFER_MAX_WORDS = 12
_PRICE_PER = re.compile(r"\d+(?:,\d{2})?\s*(?:eur|€)\s*(?:/|pro|per|par)\s*(?:jahr|monat|jaar"
                        r"|maand|an|mois|year|month)\b", re.IGNORECASE)
# A mail or forum signature, as short as an offer: "Sent from my iPhone", "Von meinem iPhone
# gesendet", "PocketPC.ch App von meinem HD7 T9292 aus geschrieben.", "Envoyé de mon iPad".
_SIGNATURE = re.compile(
    r"\b(?:sent|posted|written)\s+(?:from|via|using|with)\s+my\s"
    r"|\bvon\s+meinem\s+(?:\S+\s+){1,4}?(?:aus\s+)?(?:gesendet|geschrieben|verschickt)\b"
    r"|\benvoyé\s+(?:de|depuis|avec)\s+mon\s|\b(?:verzonden|verstuurd)\s+(?:vanaf|met|via)\s+mijn\s",
    re.IGNORECASE)
# An embedded video's credit, "par" glued to the video's title: "Noyades : pourquoi tant de
# morts ?par franceinfo", "… de la prison fermepar euronews (en français)"; the splitter gives
# title and credit a paragraph of their own (summarizer/sentences.py:_break_video_credits).
_VIDEO_CREDIT = re.compile(r"(?<=[a-zß-ÿ?!)])par [^.!?]{1,40}$")
_VIDEO_CREDIT_CHARS = 50
# A TV or event listing line: "20:15 Uhr | ARD", "20.15 Uhr: Tatort".
_LISTING = re.compile(r"^\W*\d{1,2}[:.]\d{2}\s*(?:uhr|h)?\s*[|:–-]", re.IGNORECASE)


def is_furniture(sentence: str) -> bool:
    """Tell whether a sentence is page furniture (byline, credit, notice, widget), not news."""
    if _ANCHORED.match(sentence) or (":" in sentence and _TIME_STAMP.search(sentence)):
        return True
    # maxsplit: a long sentence is told apart without splitting all of it
    if (len(sentence.split(maxsplit=_CREDIT_MAX_WORDS)) <= _CREDIT_MAX_WORDS
            and (_CREDIT.search(sentence) or _BYLINE.match(sentence))):
        return True
    if _LISTING.match(sentence):
        return True
    if "par " in sentence and _VIDEO_CREDIT.search(sentence[-_VIDEO_CREDIT_CHARS:]):
        return True
    if ")" in sentence[-4:] and _TRAILING_CREDIT.search(sentence[-_TRAILING_CREDIT_CHARS:]):
        return True
    if len(sentence.split(maxsplit=_OFFER_MAX_WORDS)) <= _OFFER_MAX_WORDS and (
            _PRICE_PER.search(sentence) or _SIGNATURE.search(sentence)):
        return True
    lowered = sentence.lower()
    # A plain loop: any() over a generator took three times as long, for every sentence.
    for key, pattern in _NOTICES:  # noqa: SIM110 - speed, see above
        if key in lowered and pattern.search(sentence):
            return True
    return False

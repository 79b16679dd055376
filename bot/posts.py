"""Rendering what goes out as news arrives: one article, a breaking alert, a burst (pure)."""

from __future__ import annotations

from bot import i18n
from bot.i18n import _, ngettext
from bot.render import (
    MAX_ENTITIES,
    MESSAGE_LIMIT,
    article_item,
    entity_count,
    fit,
    link,
    untitled,
    utf16_len,
)
from bot.replies import Reply
from storage.articles import StoredArticle, seen
from storage.chats import Chat, Preview


def breaking_mark() -> str:
    """The line above a breaking alert, in the current language."""
    return _("🔴 <b>Breaking</b>")


def article_post(article: StoredArticle, chat: Chat, timezone: str,
                 breaking: bool = False) -> Reply:
    """One article on its own, as an instant post or a breaking alert, with the target's
    preview setting."""
    text = article_item(article, timezone, chat.summary_sentences)
    if breaking:
        text = breaking_mark() + "\n" + text
    reply = Reply(fit(text), article_ids=[article.id],
                  layout={"kind": "post", "article": article.id, "tz": timezone,
                          "sentences": chat.summary_sentences, "breaking": breaking,
                          "preview": str(chat.preview), "seen": seen([article])})
    if chat.preview is Preview.IMAGE and (article.image_url or article.url):
        # The lead image large above the text; Telegram fetches it, we download nothing.
        # Without an image URL in the file, the page's own preview image stands in.
        reply.preview_url = article.image_url or article.url
        reply.large_preview = True
    elif chat.preview is Preview.LINK and article.url:
        reply.preview_url = article.url
    return reply


def burst_post(articles: list[StoredArticle], all_ids: list[str]) -> Reply:
    """Many articles at once as one message of linked headlines (a bulk import never floods a
    channel); `all_ids` are every article the burst stands for, shown or not."""
    return Reply(burst_text(articles, len(all_ids)), article_ids=list(all_ids),
                 layout={"kind": "burst", "shown": [a.id for a in articles],
                         "all": len(all_ids), "seen": seen(articles)})


def burst_text(articles: list[StoredArticle], total: int) -> str:
    """The linked headlines of a burst standing for `total` articles, in one message."""
    header = ngettext("<b>📰 {count} new article</b>", "<b>📰 {count} new articles</b>",
                      total).format(count=i18n.number(total))
    shown: list[str] = []
    for article in articles:
        line = f"• {link(article.title or untitled(), article.url)} · /article {article.seq}"
        text = "\n".join([header, *shown, line])
        if utf16_len(text) > MESSAGE_LIMIT - 100 or entity_count(text) > MAX_ENTITIES - 2:
            break  # the rest is pointed to below: one message, whatever the burst
        shown.append(line)
    rest = total - len(shown)
    tail = [ngettext("… and {count} more: /latest 20", "… and {count} more: /latest 20",
                     rest).format(count=i18n.number(rest))] if rest else []
    return "\n".join([header, "", *shown, *tail])

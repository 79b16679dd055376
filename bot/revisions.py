"""A sent message rendered again after its stories changed (pure: no I/O, no Telegram).

A message's layout (recorded in the ledger when it was sent) says how it was built; with the
stories' current state it gives the message's text now, in the language set with
`bot.i18n.using` (the target's, bot.chat_language):

- an instant post or alert of a corrected story: the new text with "Updated HH:MM";
- of a withdrawn story: "Withdrawn by the publisher: <title>", or deleted (target setting);
- a digest message or burst: rendered again without withdrawn items (and a note saying so),
  with corrected items in their new version.

The same inputs always give the same text, so an edit repeated after a crash asks Telegram
for the text the message already has ("not modified"), never a second visible change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot import i18n
from bot.i18n import _, ngettext
from bot.posts import breaking_mark, burst_text
from bot.render import article_item, escape, fit, untitled
from bot.replies import Reply
from storage.articles import StoredArticle
from storage.chats import OnWithdraw
from storage.status import Status


@dataclass(frozen=True, slots=True)
class Revision:
    """What to do with one sent message: edit it to `reply`, or delete it."""

    action: Literal["edit", "delete"]
    reply: Reply | None = None


def updated_mark(article: StoredArticle, sent_at: datetime, timezone: str) -> str:
    """ "Updated HH:MM" (the correction's time, the target's zone) when the story was corrected
    since the message went out; else nothing."""
    # Times are stored to the second, and a correction queued an edit of this message only if
    # the message was already recorded: the same second still means "after".
    if article.corrected_at is None or article.corrected_at < sent_at:
        return ""
    return "\n<i>" + _("Updated {time}").format(
        time=i18n.format_clock(article.corrected_at, timezone)) + "</i>"


def withdrawn_notice(title: str | None) -> str:
    """What an instant post of a withdrawn story becomes."""
    return _("<i>Withdrawn by the publisher:</i> {title}").format(
        title=escape(title or untitled(), 300))


def withdrawn_note(count: int) -> str:
    """The note a digest or burst carries once some of its items were withdrawn."""
    return "<i>" + ngettext("{count} item was withdrawn by the publisher.",
                            "{count} items were withdrawn by the publisher.", count).format(
        count=i18n.number(count)) + "</i>"


def revise(layout: dict, articles: dict[str, StoredArticle], sent_at: datetime,
           on_withdraw: OnWithdraw = OnWithdraw.EDIT) -> Revision | None:
    """The message as it should read now; None when its layout is unknown (nothing to do)."""
    kind = layout.get("kind")
    if kind == "post":
        return _post(layout, articles.get(layout["article"]), sent_at, on_withdraw)
    if kind == "digest":
        return Revision("edit", Reply(_digest(layout, articles, sent_at)))
    if kind == "burst":
        shown = [articles[i] for i in layout["shown"] if i in articles]
        visible = [a for a in shown if a.status is Status.PUBLISHED]
        gone = len(shown) - len(visible)
        text = burst_text(visible, max(layout["all"] - gone, len(visible)))
        if gone:
            text += "\n\n" + withdrawn_note(gone)
        return Revision("edit", Reply(fit(text)))
    return None


def _post(layout: dict, article: StoredArticle | None, sent_at: datetime,
          on_withdraw: OnWithdraw) -> Revision | None:
    if article is None:
        return None
    if article.status is not Status.PUBLISHED:
        if on_withdraw is OnWithdraw.DELETE:
            return Revision("delete")
        return Revision("edit", Reply(withdrawn_notice(article.title)))
    text = article_item(article, layout["tz"], layout["sentences"])
    text += updated_mark(article, sent_at, layout["tz"])
    if layout.get("breaking"):
        text = breaking_mark() + "\n" + text
    reply = Reply(fit(text))
    # The edit keeps the preview the post was sent with (Telegram would drop it otherwise).
    preview = layout.get("preview", "off")
    if preview == "image" and (article.image_url or article.url):
        reply.preview_url, reply.large_preview = article.image_url or article.url, True
    elif preview == "link" and article.url:
        reply.preview_url = article.url
    return Revision("edit", reply)


def _digest(layout: dict, articles: dict[str, StoredArticle], sent_at: datetime) -> str:
    timezone, sentences = layout["tz"], layout["sentences"]
    items = [articles[i] for i in layout["items"] if i in articles]
    visible = [a for a in items if a.status is Status.PUBLISHED]
    blocks = [article_item(a, timezone, sentences) + updated_mark(a, sent_at, timezone)
              for a in visible]
    if len(items) > len(visible):
        blocks.append(withdrawn_note(len(items) - len(visible)))
    # The header and the "… and N more" line are kept as sent: they count what the digest
    # stood for when it went out.
    if layout.get("tail"):
        blocks.append(layout["tail"])
    if layout.get("header"):
        blocks[0:1] = [f"{layout['header']}\n\n{blocks[0]}" if blocks else layout["header"]]
    return fit("\n\n".join(fit(block) for block in blocks))

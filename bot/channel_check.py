"""Asking Telegram whether the bot may post in a channel or group (for /addchannel).

getChat finds it, getChatMember says what the bot is there; the answer is a plain
`ChannelCheck` that the command logic turns into a reply and a target.
"""

from __future__ import annotations

from typing import Any

from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.channels import ChannelCheck, channel_reference
from bot.i18n import N_
from bot.send import Outcome, verdict_for

# A flood wait, a time-out or a server error says nothing of the channel: the admin tries again.
_NO_ANSWER = N_("Telegram did not answer ({reason}): try again in a minute")


async def check_channel(bot: Any, text: str) -> ChannelCheck:
    """Look the chat up and check, with getChatMember, that the bot may post there."""
    reference = channel_reference(text)
    if reference is None:
        return ChannelCheck(False, problem=N_("give the channel as @name or its -100… id"))
    try:
        chat = await bot.get_chat(reference)
    except TelegramError as error:
        if _unanswered(error):
            return ChannelCheck(False, problem=_NO_ANSWER, reason=error.message)
        return ChannelCheck(False, problem=N_("Telegram does not know it, or the bot is not in "
                                              "it ({reason})"), reason=error.message)
    found = ChannelCheck(True, chat.id, chat.type, chat.title, chat.username)
    try:
        member = await bot.get_chat_member(chat.id, bot.id)
    except TelegramError as error:
        if _unanswered(error):
            return _refused(found, _NO_ANSWER, error.message)
        return _refused(found, N_("cannot check the bot's rights there ({reason})"),
                        error.message)
    status = member.status
    if status == ChatMemberStatus.OWNER:
        return found
    if chat.type == "channel":
        if status != ChatMemberStatus.ADMINISTRATOR:
            return _refused(found, N_("the bot is not an administrator of the channel: add it "
                                      "as an administrator with the right to post messages"))
        if not getattr(member, "can_post_messages", False):
            return _refused(found, N_("the bot is an administrator but may not post messages: "
                                      "give it the right to post"))
        return found
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return _refused(found, N_("the bot is not a member of this group: add it first"))
    if status == ChatMemberStatus.RESTRICTED and not getattr(member, "can_send_messages", True):
        return _refused(found, N_("the bot may not send messages in this group"))
    return found


def _unanswered(error: TelegramError) -> bool:
    """Whether Telegram's error is one a send would retry (send.verdict_for decides)."""
    verdict = verdict_for(error)
    return verdict.outcome in (Outcome.RETRY, Outcome.MAYBE_SENT)


def _refused(found: ChannelCheck, problem: str, reason: str = "") -> ChannelCheck:
    return ChannelCheck(False, found.chat_id, found.type, found.title, found.username, problem,
                        reason)

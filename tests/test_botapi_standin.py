"""The Bot API stand-in, driven by the real python-telegram-bot client over HTTP."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.send import seconds
from tests.botapi import BotApiStandIn, HtmlParseError

TOKEN = "123:ABC"
CHAT = 42
GROUP = -100500

# RetryAfter.retry_after warns about its future timedelta type; the value is what we test.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def api():
    with BotApiStandIn(token=TOKEN) as stand_in:
        stand_in.add_chat(CHAT, "private", first_name="Ada")
        stand_in.add_chat(GROUP, "supergroup", title="Newsroom", username="newsroom")
        yield stand_in


def run(api: BotApiStandIn, action: Callable[[Bot], Awaitable[Any]], token: str = TOKEN) -> Any:
    """Run one coroutine against the stand-in with a fresh, initialised PTB Bot."""

    async def main() -> Any:
        async with Bot(token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
            return await action(bot)

    return asyncio.run(main())


def test_get_me_describes_the_test_bot(api):
    me = run(api, lambda bot: bot.get_me())
    assert (me.id, me.username, me.is_bot) == (123, "newsbot_test_bot", True)


def test_wrong_token_is_unauthorized(api):
    with pytest.raises(InvalidToken):
        run(api, lambda bot: bot.get_me(), token="123:WRONG")
    assert api.calls == []


def test_valid_html_is_sent_and_recorded_as_the_user_sees_it(api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    html = '<b>Top</b> &amp; <a href="https://example.org/a">story</a>\n<i>it&#39;s</i>'
    message = run(api, lambda bot: bot.send_message(
        CHAT, html, parse_mode=ParseMode.HTML, reply_markup=keyboard))
    assert message.text == "Top & story\nit's"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 3), ("text_link", 6, 5), ("italic", 12, 4)]
    [record] = api.messages_to(CHAT)
    assert record["text"] == html and record["parse_mode"] == "HTML"
    assert record["plain"] == api.plain_text(html) == "Top & story\nit's"
    assert record["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "more:1"
    assert record["message_id"] == message.message_id


def test_channel_by_username_resolves_through_the_registry(api):
    message = run(api, lambda bot: bot.send_message("@newsroom", "digest"))
    assert message.chat.id == GROUP


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<div>x</div>", 'unsupported start tag "div" at byte offset 0'),
        ("é <b>bold", "can't find end tag corresponding to start tag \"b\""),
        ("<b>x</i>", 'unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("AT&T", "unsupported html entity at byte offset 2"),
        ('<span class="x">s</span>', 'tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_telegram_cannot_parse_is_rejected(api, html, reason):
    with pytest.raises(BadRequest) as error:
        run(api, lambda bot: bot.send_message(CHAT, html, parse_mode=ParseMode.HTML))
    assert error.value.message.lower().startswith("can't parse entities: ")
    assert reason in error.value.message.lower()
    assert api.sent == []
    with pytest.raises(HtmlParseError):
        api.plain_text(html)


def test_plain_text_decodes_entities_and_lenient_mode_follows_telegram():
    html = "  1 &lt; 2 &amp;&amp; &#x1F600;&#33; "
    assert BotApiStandIn().plain_text(html) == "1 < 2 && \N{GRINNING FACE}!"
    lenient = BotApiStandIn(strict_html=False)
    assert lenient.plain_text("AT&T &nbsp;<a>https://example.org</a>") == (
        "AT&T &nbsp;https://example.org")


def test_javascript_links_stay_unlinked_text(api):
    message = run(api, lambda bot: bot.send_message(
        CHAT, '<a href="javascript:alert(1)">click</a>', parse_mode=ParseMode.HTML))
    assert message.text == "click" and message.entities == ()


def test_length_counts_utf16_units_after_parsing(api):
    # The emoji is two UTF-16 units: 2 + 4094 = 4096 fits, one more does not.
    fits = "<b>\N{GRINNING FACE}</b>" + "a" * 4094
    run(api, lambda bot: bot.send_message(CHAT, fits, parse_mode=ParseMode.HTML))
    with pytest.raises(BadRequest, match="Message is too long"):
        run(api, lambda bot: bot.send_message(CHAT, fits + "a", parse_mode=ParseMode.HTML))
    with pytest.raises(BadRequest, match="Message text is empty"):
        run(api, lambda bot: bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML))
    assert len(api.sent) == 1


def test_unknown_chat_is_not_found(api):
    with pytest.raises(BadRequest, match="Chat not found"):
        run(api, lambda bot: bot.send_message(777, "hello"))


def test_callback_data_over_64_bytes_is_rejected(api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        run(api, lambda bot: bot.send_message(CHAT, "hi", reply_markup=keyboard))


def test_queued_429_raises_retry_after(api):
    api.fail_next("sendMessage", error_code=429, retry_after=2)
    with pytest.raises(RetryAfter) as error:
        run(api, lambda bot: bot.send_message(CHAT, "hi"))
    assert seconds(error.value.retry_after) == 2
    run(api, lambda bot: bot.send_message(CHAT, "hi"))  # only the next call failed
    assert len(api.sent) == 1


def test_rate_limit_answers_429_once_the_window_is_full(api):
    api.rate_limit(per_second=2)

    async def burst(bot: Bot) -> None:
        for n in range(3):
            await bot.send_message(CHAT, f"n{n}")

    with pytest.raises(RetryAfter) as error:
        run(api, burst)
    assert seconds(error.value.retry_after) == 1 and len(api.sent) == 2


def test_blocked_and_kicked_chats_are_forbidden(api):
    api.block_chat(CHAT)
    api.block_chat(GROUP)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        run(api, lambda bot: bot.send_message(CHAT, "hi"))
    with pytest.raises(Forbidden, match="kicked from the supergroup chat"):
        run(api, lambda bot: bot.send_message(GROUP, "hi"))


def test_a_restricted_bot_or_one_without_the_post_right_is_refused(api):
    api.set_rights(GROUP, api.bot_id, can_send_messages=False)
    with pytest.raises(BadRequest, match="(?i)not enough rights to send text messages"):
        run(api, lambda bot: bot.send_message(GROUP, "hi"))
    api.add_chat(-100777, "channel", title="Desk")
    api.set_admins(-100777, {api.bot_id})
    api.set_rights(-100777, api.bot_id, can_post_messages=False)
    with pytest.raises(BadRequest, match="(?i)need administrator rights in the channel chat"):
        run(api, lambda bot: bot.send_message(-100777, "hi"))
    api.set_rights(GROUP, api.bot_id, can_send_messages=True)
    assert run(api, lambda bot: bot.send_message(GROUP, "hi")).text == "hi"


def test_migrated_group_points_to_its_supergroup(api):
    api.add_chat(-5, "group", title="Old")
    api.migrate_chat(-5, -1005)
    with pytest.raises(ChatMigrated) as error:
        run(api, lambda bot: bot.send_message(-5, "hi"))
    assert error.value.new_chat_id == -1005
    assert run(api, lambda bot: bot.send_message(-1005, "hi")).chat.type == "supergroup"


def test_server_errors_dropped_connections_and_slow_replies(api):
    api.fail_next("sendMessage", error_code=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        run(api, lambda bot: bot.send_message(CHAT, "a"))
    api.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        run(api, lambda bot: bot.send_message(CHAT, "b"))
    api.delay("sendMessage", 0.5, count=1)
    with pytest.raises(TimedOut):
        run(api, lambda bot: bot.send_message(CHAT, "c", read_timeout=0.1))
    # The slow reply still delivered the message: a naive retry would send it twice.
    assert [m["plain"] for m in api.sent] == ["c"]


def test_get_updates_returns_injected_messages_and_honours_offset(api):
    first = api.inject_message(CHAT, "/start")
    api.inject_message(GROUP, "/digest@newsbot_test_bot now", user_id=7, username="ed")

    async def poll(bot: Bot) -> tuple[tuple[Update, ...], tuple[Update, ...]]:
        everything = await bot.get_updates()
        rest = await bot.get_updates(offset=first["update_id"] + 1)
        return everything, rest

    everything, rest = run(api, poll)
    assert [u.message.text for u in everything] == ["/start", "/digest@newsbot_test_bot now"]
    command = everything[1].message.entities[0]
    assert (command.type, command.offset, command.length) == ("bot_command", 0, 24)
    assert everything[1].effective_user.username == "ed"
    assert [u.message.chat.id for u in rest] == [GROUP]
    assert len(api.pending_updates) == 1


def test_long_poll_waits_for_timeout_or_the_next_update(api):
    async def poll(bot: Bot) -> tuple[float, float, tuple[Update, ...]]:
        started = time.monotonic()
        empty = await bot.get_updates(timeout=1)
        waited = time.monotonic() - started
        assert empty == ()
        later = asyncio.get_running_loop().call_later(0.2, api.inject_message, CHAT, "hi")
        started = time.monotonic()
        updates = await bot.get_updates(timeout=5)
        later.cancel()
        return waited, time.monotonic() - started, updates

    waited, woke_after, updates = run(api, poll)
    assert 0.9 <= waited < 2
    assert woke_after < 1 and [u.message.text for u in updates] == ["hi"]


def test_a_second_poller_ends_the_first_with_conflict(api):
    async def two_pollers(bot: Bot) -> None:
        first = asyncio.create_task(bot.get_updates(timeout=5))
        await api.wait_for_calls_async("getUpdates")
        async with Bot(TOKEN, base_url=api.base_url) as second_instance:
            await second_instance.get_updates(timeout=0)
        await first

    with pytest.raises(Conflict, match="only one bot instance"):
        run(api, two_pollers)


def test_stop_does_not_hang_on_a_waiting_long_poll():
    api = BotApiStandIn(token=TOKEN).start()

    async def main() -> float:
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
            await api.wait_for_calls_async("getUpdates")
            started = time.monotonic()
            await asyncio.to_thread(api.stop)
            stopped_after = time.monotonic() - started
            assert await poll == ()
            return stopped_after

    assert asyncio.run(main()) < 2


def test_edits_callbacks_and_members(api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="next")]])
    api.set_admins(GROUP, {7}, creator=1)

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "page 1", reply_markup=keyboard)
        api.inject_callback(CHAT, sent.message_id, "next")
        [update] = await bot.get_updates()
        assert update.callback_query.data == "next"
        assert update.callback_query.message.message_id == sent.message_id
        assert await bot.answer_callback_query(update.callback_query.id, text="ok")
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(update.callback_query.id)
        await bot.edit_message_text("page 2", CHAT, sent.message_id, reply_markup=keyboard)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("page 2", CHAT, sent.message_id, reply_markup=keyboard)
        statuses = [(await bot.get_chat_member(GROUP, user)).status for user in (1, 7, 9)]
        assert statuses == ["creator", "administrator", "member"]
        assert [m.user.id for m in await bot.get_chat_administrators(GROUP)] == [1, 7]
        assert (await bot.get_chat(GROUP)).title == "Newsroom"
        assert await bot.delete_message(CHAT, sent.message_id)

    run(api, scenario)
    assert [m["method"] for m in api.sent] == ["sendMessage", "editMessageText"]
    assert api.deleted == [(CHAT, 1)] and api.callback_answers[0]["text"] == "ok"


def test_a_message_of_more_than_100_entities_is_refused(api):
    # Telegram would send it, formatting only the first 100: the rest's links would be lost.
    async def scenario(bot: Bot) -> None:
        await bot.send_message(CHAT, "<b>x</b> " * 100, parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="101 entities"):
            await bot.send_message(CHAT, "<b>x</b> " * 101, parse_mode=ParseMode.HTML)

    run(api, scenario)


def test_a_button_press_can_be_answered_only_for_seconds_and_in_200_characters(api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="next")]])

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "page 1", reply_markup=keyboard)
        api.inject_callback(CHAT, sent.message_id, "next", seconds_ago=60)  # while down
        api.inject_callback(CHAT, sent.message_id, "next")
        old, fresh = await bot.get_updates()
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(old.callback_query.id)
        with pytest.raises(BadRequest, match="Message_too_long"):
            await bot.answer_callback_query(fresh.callback_query.id, text="x" * 201)

    run(api, scenario)


def test_edits_and_deletes_answer_with_telegrams_own_errors(api):
    async def scenario(bot: Bot) -> None:
        old = await bot.send_message(CHAT, "sent three days ago")
        api.backdate(CHAT, old.message_id, hours=72)
        with pytest.raises(BadRequest, match="Message can't be deleted"):
            await bot.delete_message(CHAT, old.message_id)
        await bot.edit_message_text("still editable", CHAT, old.message_id)
        fresh = await bot.send_message(CHAT, "just now")
        assert await bot.delete_message(CHAT, fresh.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(CHAT, fresh.message_id)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("too late", CHAT, fresh.message_id)

    run(api, scenario)
    assert [m["plain"] for m in api.edits_of(CHAT, 1)] == ["still editable"]
    assert api.message(CHAT, 1)["text"] == "still editable" and api.deleted == [(CHAT, 2)]


async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /ping with pong."""
    await update.effective_message.reply_text("pong")


def test_a_real_application_answers_ping_over_long_polling(api):
    async def main() -> list[dict]:
        app = (
            Application.builder().token(TOKEN).base_url(api.base_url)
            .base_file_url(api.base_file_url).build()
        )
        app.add_handler(CommandHandler("ping", ping))
        await app.initialize()
        await app.bot.set_my_commands([("ping", "Check the bot is alive")])
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            api.inject_message(CHAT, "/ping")
            api.inject_message(GROUP, "/ping@newsbot_test_bot", user_id=7)
            api.inject_message(GROUP, "/ping@some_other_bot", user_id=7)
            await api.wait_for_messages_async(CHAT, 1)
            return await api.wait_for_messages_async(GROUP, 1)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()

    [reply] = asyncio.run(main())
    assert reply["plain"] == "pong" and api.messages_to(CHAT)[0]["plain"] == "pong"
    assert api.commands() == [{"command": "ping", "description": "Check the bot is alive"}]
    assert api.pending_updates == []  # the updater confirmed everything on stop
    assert len(api.messages_to(GROUP)) == 1


# -- Telegram's per-chat and per-group limits, topics, previews, channel rights ----------------

def test_a_private_chat_gets_one_message_a_second_and_a_group_twenty_a_minute(api):
    api.telegram_limits()
    other = 43
    api.add_chat(other)

    async def sends(bot: Bot) -> list[str]:
        outcomes = []
        for chat_id in (CHAT, CHAT, other):  # the second to CHAT within a second: refused
            try:
                await bot.send_message(chat_id, "x")
                outcomes.append("ok")
            except RetryAfter:
                outcomes.append("429")
        for n in range(21):
            try:
                await bot.send_message(GROUP, f"g{n}")
                outcomes.append("ok")
            except RetryAfter:
                outcomes.append("429")
        return outcomes

    outcomes = run(api, sends)
    assert outcomes[:3] == ["ok", "429", "ok"]
    assert outcomes[3:] == ["ok"] * 20 + ["429"]
    assert api.refused_by_limits == [(CHAT, "private chat"), (GROUP, "group")]


def test_topics_take_messages_only_where_they_exist(api):
    forum = -100600
    api.add_chat(forum, "supergroup", title="Desk", is_forum=True)
    api.add_topic(forum, 7, "Energy")
    sent = run(api, lambda bot: bot.send_message(forum, "to the topic", message_thread_id=7))
    assert sent.message_thread_id == 7 and sent.is_topic_message
    assert api.sent[-1]["thread_id"] == 7
    for chat_id in (forum, GROUP):  # an unknown topic, and a group that is no forum
        with pytest.raises(BadRequest, match="(?i)message thread not found"):
            run(api, lambda bot, c=chat_id: bot.send_message(c, "x", message_thread_id=8))
    update = api.inject_message(forum, "/subscribe", user_id=5, thread_id=7)
    assert update["message"]["message_thread_id"] == 7


@pytest.mark.parametrize("options, error", [
    ({"url": "https://news.example.org/a", "prefer_large_media": True}, None),
    ({"is_disabled": True}, None),
    ({"url": "javascript:alert(1)"}, "URL is invalid"),
    ({"prefer_small_media": True, "prefer_large_media": True}, "together"),
    ({"is_disabled": "yes"}, "must be of type bool"),
    ({"show_above": True}, "unknown link preview option"),
])
def test_link_preview_options_are_validated(api, options, error):
    from telegram import LinkPreviewOptions

    async def send(bot: Bot):
        # Sent as raw JSON through api_kwargs so malformed options reach the stand-in.
        return await bot.send_message(CHAT, "x", api_kwargs={"link_preview_options": options})

    if error is None:
        run(api, send)
        assert api.sent[-1]["link_preview_options"] == options
    else:
        with pytest.raises(BadRequest, match="(?i)" + error):
            run(api, send)
    assert LinkPreviewOptions(is_disabled=True).is_disabled  # PTB's own type stays usable


def test_get_chat_member_tells_whether_the_bot_may_post_in_a_channel(api):
    channel = -100700
    api.add_chat(channel, "channel", title="News NL", username="news_nl")
    assert run(api, lambda bot: bot.get_chat_member(channel, 123)).status == "left"
    api.set_admins(channel, {123})
    member = run(api, lambda bot: bot.get_chat_member("@news_nl", 123))
    assert member.status == "administrator" and member.can_post_messages
    api.set_rights(channel, 123, can_post_messages=False)
    assert not run(api, lambda bot: bot.get_chat_member(channel, 123)).can_post_messages

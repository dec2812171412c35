"""The two private attributes of python-telegram-bot's `Updater` that ConfirmingUpdater sets and
reads (bot/tg/polling_ack.py): a PTB upgrade that renames them must fail here, loudly, rather
than leave polling silently broken."""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.ext import Updater

from bot.tg.polling_ack import ptb_updater_initialized, set_ptb_updater_running


def test_updater_private_state_is_where_polling_ack_expects_it() -> None:
    updater = Updater(bot=Bot("123:ABC"), update_queue=asyncio.Queue())
    assert hasattr(updater, "_running") and hasattr(updater, "_initialized")
    assert not ptb_updater_initialized(updater)
    set_ptb_updater_running(updater, True)
    assert updater.running is True
    set_ptb_updater_running(updater, False)
    assert updater.running is False

"""The Telegram transport: python-telegram-bot over the conversation core (`bot.core`)."""

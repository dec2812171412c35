"""A local stand-in for the Telegram Bot API and a web chat page in front of it.

Anyone can try the real bot in a browser without a Telegram account, and the end-to-end tests
drive the real python-telegram-bot HTTP stack against the same server.
"""

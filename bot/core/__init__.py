"""The conversation core: everything the assistant does, with no knowledge of any transport.

Transports (Telegram, the CLI, the playground) turn what a user did into an `Incoming`, call
`Assistant.handle`, and render the `Reply` objects they get back.
"""

"""The local stack: an AWS emulator, the API under `chalice local` and the chat page, on loopback."""

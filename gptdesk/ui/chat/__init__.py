"""The chat pane: transcript, Markdown rendering, per-conversation settings."""

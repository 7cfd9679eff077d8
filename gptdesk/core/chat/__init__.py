"""Conversations: the chat session being written, system prompt and sampling presets."""

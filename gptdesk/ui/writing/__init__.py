"""The writing panes (summary, story, email, translation) on one base; the prompt editor."""

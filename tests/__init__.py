"""gptdesk's test suite."""

"""The push-to-talk rules, Qt-free: Sequence numbers, operator intents, and the dispatch engine."""

"""Rules behind the offline backend: sentences, numbers, dates, places, actors, events.

Each module finds one kind of fact with character offsets into the cleaned
article text, so every value the backend ships can point at its evidence.
The rules are general (no article-specific strings): they must hold up on
outlets and wire copy the project has never seen.
"""

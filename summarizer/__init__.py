"""summarizer: grounded incident records and neutral summaries from scraped news articles."""

__version__ = "0.1.0"

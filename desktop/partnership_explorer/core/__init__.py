"""Qt-free core: store, ingestion, extraction, queries. Nothing below this package imports Qt."""

"""Question answering over the ICC documents: loading, indexing, hybrid search, cited answers.

The public API lives in `retrieval.service` (see `build_qa_service`); this package imports
nothing from `bot`.
"""

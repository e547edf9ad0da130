"""A stand-in for the pool's task that stops its worker process on a document whose name says so, as a crash in
a library or the kernel's out-of-memory killer would: imported by the worker processes of the test that uses it
(spawned workers import it from the tests' folder on their path)."""

import os

from partnership_explorer.core import pipeline

MARK = "stops-its-worker"


def extract_documents(items):
    for item in items:
        if MARK in item.name:
            os._exit(70)
    return [pipeline.extract_document(item) for item in items]

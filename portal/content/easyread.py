"""Easy-read rules as pure functions, shared by the loader and the tests."""

import re

MAX_WORDS_PER_SENTENCE = 15
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def word_count(sentence: str) -> int:
    # "sy'n" and "o'r" are one word each, as a reader says them.
    return len(sentence.split())


def long_sentences(text: str, limit: int = MAX_WORDS_PER_SENTENCE) -> list[str]:
    return [s for s in sentences(text) if word_count(s) > limit]

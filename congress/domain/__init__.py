"""The round's rules and words: pure, importing nothing of congress beyond this package."""

class CongressError(Exception):
    """A problem the user can fix; the message is Vietnamese and is shown as it is."""


class NotFound(CongressError):
    pass


class Ambiguous(CongressError):
    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates

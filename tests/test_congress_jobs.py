"""The jobs both faces call (congress.application.congresses): the override is the office's alone, the
scope is a group's own committees, and a refused job writes nothing; each refusal names its field."""
import datetime as dt

import pytest

from conftest import digest, sql
from congress.application import congresses
from congress.domain.errors import Allow, CongressError
from congress.writes.register import Actor

TODAY = dt.date(2026, 11, 21)
VINHBAO_GROUP = 11  # the sample's group for Đảng bộ xã Vĩnh Bảo

POLICY = [
    # (name, office, group, force, refused with (field, allow) or None if written)
    ("the office overrides", True, None, True, None),
    ("the command line's group overrides", True, 3, True, None),
    ("a group's web account may not override", False, VINHBAO_GROUP, True, ("force", None)),
    ("outside its scope, a group is refused", False, 3, False, ("organisation", Allow.OVERRIDE)),
    ("children not held: the office must override", True, None, False, ("held", Allow.OVERRIDE)),
]


@pytest.mark.parametrize("office, group, force, refused", [c[1:] for c in POLICY], ids=[c[0] for c in POLICY])
def test_the_override_and_the_scope(sample_db, office, group, force, refused):
    actor = Actor("thu", group, "lenh-thu", office=office)
    before = digest(sample_db)
    log = lambda: congresses.log(str(sample_db), actor, "X.VINHBAO", "1/11/2026", today=TODAY, force=force)
    if refused is None:
        assert log() == "Đã ghi nhận: Đảng bộ xã Vĩnh Bảo (X.VINHBAO) tổ chức đại hội ngày 01/11/2026."
        assert sql(sample_db, "SELECT count(*) FROM change WHERE command = 'lenh-thu'") == [(1,)]
        return
    with pytest.raises(CongressError) as error:
        log()
    assert (error.value.field, error.value.allow) == refused
    assert digest(sample_db) == before

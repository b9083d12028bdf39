"""What is local to a province and printed on the brief (issuer, place, signer, recipients): stored
in the database, not in the templates. Known keys only, so a typo is refused, not ignored."""
from __future__ import annotations

from dataclasses import dataclass

from congress.domain import vn
from congress.domain.errors import Allow, CongressError
from congress.store.sql import Store


@dataclass(frozen=True)
class SettingSpec:
    key: str
    meaning: str
    default: str | None = None  # written by `congress init`
    required: bool = True
    whole_number: bool = False


# A brief is read on paper: past this many organisations a list leaves its body for the annex.
ANNEX_ROWS = 30

SETTINGS = (
    SettingSpec("issuer.parent", "Cơ quan cấp trên của cơ quan ban hành (dòng đầu góc trái, chữ in hoa)", required=False),
    SettingSpec("issuer.name", "Cơ quan ban hành (dòng thứ hai góc trái, chữ in hoa, in đậm)"),
    SettingSpec("document.code", "Ký hiệu văn bản, sau số (Số 12-BC/TU)", "BC/TU"),
    SettingSpec("place", "Địa danh ở dòng ngày tháng (Hải Phòng, ngày …)"),
    SettingSpec("signer.authority", "Thẩm quyền ký, ví dụ T/M BAN THƯỜNG VỤ hoặc T/L BAN THƯỜNG VỤ",
                "T/L BAN THƯỜNG VỤ", required=False),
    SettingSpec("signer.title", "Chức vụ người ký (chữ in hoa)", "CHÁNH VĂN PHÒNG"),
    SettingSpec("signer.name", "Họ tên người ký"),
    SettingSpec("recipients", "Nơi nhận, ngăn cách bằng dấu chấm phẩy (;)",
                "Ban Thường vụ (để báo cáo);Các tổ công tác chỉ đạo đại hội;Lưu Văn phòng"),
    # no default written by init, so the committed sample stays as built; the brief falls back to ANNEX_ROWS
    SettingSpec("brief.annex_rows", f"Số dòng các danh sách dài được in trong thân báo cáo, quá thì sang phụ lục "
                f"(mặc định {ANNEX_ROWS})", required=False, whole_number=True),
)
SETTING_KEYS = {spec.key: spec for spec in SETTINGS}


def default_settings():
    from congress.store.schema import Setting

    return [Setting(key=spec.key, value=spec.default) for spec in SETTINGS if spec.default]


def read_settings(store: Store) -> dict[str, str]:
    return {key: value for key, value in store.rows("SELECT key, value FROM setting") if key in SETTING_KEYS}


def set_setting(store: Store, actor, key: str, value: str) -> bool:
    """Known keys only, so a typo is refused instead of silently ignored by the brief."""
    from congress.writes.register import record

    spec = SETTING_KEYS.get(key)
    if spec is None:
        raise CongressError(f"Không có thiết lập «{key}». Các khóa hợp lệ: {', '.join(SETTING_KEYS)}.")
    value = vn.nfc(value.strip())
    if not value and spec.required:
        raise CongressError(f"Thiết lập «{key}» không được để trống.")
    if value and spec.whole_number and not (value.isdigit() and int(value) > 0):
        raise CongressError(f"Thiết lập «{key}» là một số nguyên dương, ví dụ {ANNEX_ROWS}.")
    stored = store.one("SELECT value FROM setting WHERE key = :key", key=key)
    old = stored[0] if stored else None
    if old == value or (old is None and not value):
        return False
    if stored is None:
        store.change("INSERT INTO setting (key, value) VALUES (:key, :value)", key=key, value=value)
    else:
        store.change("UPDATE setting SET value = :value WHERE key = :key", key=key, value=value)
    record(store, actor, "setting.set", field=key, old=old, new=value)
    return True


def checked_settings(store: Store) -> dict[str, str]:
    found = read_settings(store)
    missing = [spec.key for spec in SETTINGS if spec.required and not found.get(spec.key)]
    if missing:
        raise CongressError(f"Chưa đủ thiết lập để in báo cáo: {', '.join(missing)}.", allow=Allow.SETTINGS,
                            missing=missing)
    return found

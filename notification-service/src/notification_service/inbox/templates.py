"""Personal messages in Vietnamese and English, chosen by the account's language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    title: str
    body: str


TEMPLATES: dict[str, dict[str, Template]] = {
    "welcome": {
        "vi": Template(
            "Chào mừng đến với Hue-S", "Xin chào {display_name}! Tài khoản Hue-S của bạn đã được tạo."
        ),
        "en": Template("Welcome to Hue-S", "Hello {display_name}! Your Hue-S account has been created."),
    },
    "password-expiring": {
        "vi": Template(
            "Mật khẩu sắp hết hạn",
            "Mật khẩu của bạn sẽ hết hạn sau {days_left} ngày (ngày {local_day}). Vui lòng đổi mật khẩu.",
        ),
        "en": Template(
            "Your password expires soon",
            "Your password expires in {days_left} days (on {local_day}). Please change it.",
        ),
    },
    "account-locked": {
        "vi": Template(
            "Tài khoản bị khóa",
            "Tài khoản của bạn đã bị khóa{until}. Nếu không phải bạn yêu cầu, hãy liên hệ Sở TT&TT.",
        ),
        "en": Template(
            "Account locked",
            "Your account was locked{until}. If this was not expected, contact the DIC.",
        ),
    },
    # Hooks for events whose contracts are not on main yet (feedback's report status, integration's
    # application decisions): add the handler in events/handlers.py once the contract exists.
    "report-status": {
        "vi": Template("Cập nhật phản ánh", 'Phản ánh "{title}" của bạn: {status}.'),
        "en": Template("Report update", 'Your report "{title}": {status}.'),
    },
    "application-decided": {
        "vi": Template("Hồ sơ tích hợp", 'Hồ sơ tích hợp "{name}" đã được {decision}.'),
        "en": Template("Integration application", 'Integration application "{name}" was {decision}.'),
    },
}


def render(kind: str, language: str, **values: object) -> Template:
    template = TEMPLATES[kind].get(language) or TEMPLATES[kind]["vi"]
    return Template(template.title.format(**values), template.body.format(**values))
